import type { RunResult } from '../models/scenario/build.ts';
import type { HeadlineFigure } from '../models/scenario/headline-format.ts';
import { metricEstimate } from './interval.ts';

/** Units a headline value is shown in (see HEADLINE_UNITS). */
type Unit = NonNullable<HeadlineFigure['unit']>;

/**
 * One resolved headline figure (results.json `headline[i]`): the label and selector from the
 * scenario, the unit used, the value (mean over replications for a number; null when the
 * metric was absent or, for a time to recover, never reached), its 95% interval, and the text
 * `run` prints. `steps` holds a `[seconds, value]` list (e.g. replicas over time, replication 0);
 * `perMember` a number per replica or client (replication 0).
 */
export interface Headline {
  readonly label: string;
  readonly component: string;
  readonly metric: string;
  readonly unit: Unit;
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Replications that had a value. */
  readonly n: number;
  readonly steps?: readonly (readonly [number, number])[];
  readonly perMember?: Readonly<Record<string, number | null>>;
  readonly text: string;
}

/** The default unit of a metric path. */
export function unitOf(metric: string): Unit {
  if (/^recovery\.\d+\.(recovered|endedGood)$/.test(metric)) return '%';
  if (/^(latency|breakdown)\.|seconds$|^recovery\./.test(metric)) return 's';
  if (/amplification$/.test(metric)) return 'x';
  if (/PerExpiry$/.test(metric)) return '';
  if (metric === 'throughput' || metric === 'ratios.goodput') return '/s';
  if (metric === 'utilisation' || metric.startsWith('ratios.')) return '%';
  if (/^(counters|status)\.|^(arrivals|completions)$/.test(metric)) return 'count';
  return '';
}

/**
 * Walks `metric` into a component result; `status.N` reads byStatus; a status or counter the
 * component has but that never counted is 0 (as in the results summary).
 */
export function selectMetric(component: unknown, metric: string): unknown {
  const v = walk(component, metric);
  if (v === undefined && component !== undefined && /^(status|counters)\.[^.]+$/.test(metric))
    return 0;
  return v;
}

function walk(component: unknown, metric: string): unknown {
  const parts = metric.split('.');
  if (parts[0] === 'status') parts[0] = 'byStatus';
  let at: unknown = component;
  for (const p of parts) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[p];
  }
  return at;
}

const sig = (v: number) => {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
};

/** Seconds in words: 0 s, 850 µs, 12.3 ms, 1.25 s, 140 s, 20.5 min. */
export function secondsText(s: number): string {
  if (s === 0) return '0 s';
  const a = Math.abs(s);
  if (a < 1e-3) return `${sig(s * 1e6)} µs`;
  if (a < 1) return `${sig(s * 1e3)} ms`;
  if (a < 1000) return `${sig(s)} s`;
  return `${sig(s / 60)} min`;
}

/** A whole number with thin groups of three digits: 12 345. */
function grouped(v: number): string {
  const digits = String(Math.abs(v));
  const parts: string[] = [];
  for (let end = digits.length; end > 0; end -= 3)
    parts.unshift(digits.slice(Math.max(0, end - 3), end));
  return `${v < 0 ? '-' : ''}${parts.join(' ')}`;
}

/** A value in its unit, in words. */
export function valueText(v: number, unit: Unit): string {
  switch (unit) {
    case 's':
      return secondsText(v);
    case '%':
      return `${(v * 100).toFixed(Math.abs(v) >= 0.1 || v === 0 ? 1 : 2)}%`;
    case 'x':
      return `${sig(v)}×`;
    case '/s':
      return `${sig(v)}/s`;
    case 'count':
      return Number.isInteger(v) ? grouped(v) : sig(v);
    case 'replicas':
      return `${Number.isInteger(v) ? v : sig(v)} replicas`;
    default:
      return Number.isInteger(v) ? grouped(v) : sig(v);
  }
}

const isSteps = (v: unknown): v is [number, number][] =>
  Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2);

function stepsText(steps: readonly (readonly [number, number])[], unit: Unit): string {
  const shown = steps
    .slice(0, 8)
    .map(([t, n], i) =>
      i === 0 ? valueText(n, unit) : `${valueText(n, unit)} at ${secondsText(t)}`,
    );
  return `${shown.join(' → ')}${steps.length > 8 ? ` → … (${steps.length - 8} more changes)` : ''}`;
}

function memberText(m: Readonly<Record<string, number | null>>, unit: Unit): string {
  const values = Object.values(m).filter((v): v is number => v !== null);
  const missing = Object.keys(m).length - values.length;
  if (values.length === 0) return `none of ${Object.keys(m).length}`;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (lo === hi)
    return `${valueText(lo, unit)} for all ${values.length}${missing > 0 ? `; ${missing} never` : ''}`;
  return `${valueText(lo, unit)} to ${valueText(hi, unit)} over ${values.length} (mean ${valueText(mean, unit)})${missing > 0 ? `; ${missing} never` : ''}`;
}

/** Resolves one figure over the replications. */
export function resolveHeadline(f: HeadlineFigure, runs: readonly RunResult[]): Headline {
  const unit = f.unit ?? unitOf(f.metric);
  const base = { label: f.label, component: f.component, metric: f.metric, unit };
  const raw = runs.map((r) => selectMetric(r.components[f.component], f.metric));
  const first = raw[0];
  if (isSteps(first)) {
    const steps = first.map(([t, n]) => [t, n] as const);
    return {
      ...base,
      value: null,
      lower: null,
      upper: null,
      n: 1,
      steps,
      text: stepsText(steps, unit),
    };
  }
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    const perMember: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(first)) perMember[k] = typeof v === 'number' ? v : null;
    return {
      ...base,
      value: null,
      lower: null,
      upper: null,
      n: 1,
      perMember,
      text: memberText(perMember, unit),
    };
  }
  const values = raw.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const never = raw.filter((v) => v === null).length;
  if (values.length === 0) {
    const recovery = f.metric.startsWith('recovery.');
    let text = 'not measured';
    if (never > 0) text = recovery ? 'did not recover' : 'never';
    else if (recovery)
      text =
        'not measured (the fault did not end within the run, or no measured window came before it)';
    return { ...base, value: null, lower: null, upper: null, n: 0, text };
  }
  const ci = metricEstimate(values, f.metric);
  const finite = ci.lower !== null && ci.upper !== null && ci.upper > ci.lower;
  const lower = finite ? ci.lower : null;
  const upper = finite ? ci.upper : null;
  let text = valueText(ci.mean, unit);
  if (lower !== null && upper !== null)
    text += ` (95% CI ${valueText(lower, unit)} to ${valueText(upper, unit)}, ${values.length} runs)`;
  if (never > 0) text += `; did not recover in ${never} of ${raw.length} runs`;
  return { ...base, value: ci.mean, lower, upper, n: values.length, text };
}

/** The scenario's headline figures resolved over its replications (empty without report.headline). */
export function resolveHeadlines(
  figures: readonly HeadlineFigure[] | undefined,
  runs: readonly RunResult[],
): Headline[] {
  return runs.length === 0 ? [] : (figures ?? []).map((f) => resolveHeadline(f, runs));
}
