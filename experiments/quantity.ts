import { parseDuration, parseRate, parseSize } from '../models/core/units.ts';

/**
 * A number read from a scenario value in its own unit: a plain number, a rate ("800/s", per
 * second), a duration ("20ms", µs), a size ("10KB", bytes) or a percentage ("0.1%", a fraction).
 * `format` writes a number back in the same unit family, so swept values stay valid input.
 */
export interface Quantity {
  readonly value: number;
  readonly unit: 'number' | 'rate' | 'duration' | 'size' | 'percent';
  readonly format: (v: number) => number | string;
}

/** Shortest decimal text for a number rounded to 12 significant digits (stable in CSV/JSON). */
export function tidyNumber(v: number): number {
  return Number(v.toPrecision(12));
}

/** Reads a quantity; undefined when the value is neither a finite number nor a unit string. */
export function parseQuantity(raw: unknown): Quantity | undefined {
  if (typeof raw === 'number') {
    return Number.isFinite(raw)
      ? { value: raw, unit: 'number', format: (v) => tidyNumber(v) }
      : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const r = parseRate(text);
  if (r !== undefined) return { value: r, unit: 'rate', format: (v) => `${tidyNumber(v)}/s` };
  const d = parseDuration(text);
  if (d !== undefined) {
    return { value: d, unit: 'duration', format: (v) => `${Math.round(v)}us` };
  }
  const s = parseSize(text);
  if (s !== undefined) return { value: s, unit: 'size', format: (v) => `${Math.round(v)}B` };
  const p = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (p !== null) {
    return { value: Number(p[1]) / 100, unit: 'percent', format: (v) => `${tidyNumber(v * 100)}%` };
  }
  return undefined;
}

/**
 * A threshold for a metric in the metric's own unit: durations become seconds (latency
 * metrics are reported in seconds), percentages become fractions, plain numbers stay.
 */
export function thresholdValue(raw: unknown): number | undefined {
  const q = parseQuantity(raw);
  if (q === undefined) return undefined;
  if (q.unit === 'duration') return q.value / 1e6;
  return q.value;
}
