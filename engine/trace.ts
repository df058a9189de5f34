import type { SimTime } from './time.ts';

/** One delivered event as seen by the Simulation `trace` option. */
export interface TraceRecord {
  readonly time: SimTime;
  readonly actorId: string;
  readonly type: string;
}

/** Where two traces first differ; a record is undefined when that trace had already ended. */
export interface TraceDivergence {
  readonly index: number;
  readonly a: TraceRecord | undefined;
  readonly b: TraceRecord | undefined;
}

/**
 * Collects delivered events up to `cap` records and counts the rest, so tracing a long run
 * cannot exhaust memory. Pass `recorder.hook` as the Simulation `trace` option.
 */
export class TraceRecorder {
  /** The first `cap` records, in delivery order. */
  readonly records: TraceRecord[] = [];
  /** Events seen after the cap was reached. */
  dropped = 0;
  readonly cap: number;
  /** The callback to give to `new Simulation({ trace })`. */
  readonly hook: (time: SimTime, actorId: string, type: string) => void;

  constructor(cap = 10_000) {
    if (!(cap >= 0) || !Number.isInteger(cap)) throw new Error(`invalid trace cap ${cap}`);
    this.cap = cap;
    this.hook = (time, actorId, type) => {
      if (this.records.length < this.cap) this.records.push({ time, actorId, type });
      else this.dropped++;
    };
  }
}

function same(x: TraceRecord, y: TraceRecord): boolean {
  return x.time === y.time && x.actorId === y.actorId && x.type === y.type;
}

/**
 * The first index at which two traces differ, with both records there (undefined for a trace
 * that ended first), or undefined when the traces are identical.
 */
export function firstDivergence(
  a: readonly TraceRecord[],
  b: readonly TraceRecord[],
): TraceDivergence | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!same(x, y)) return { index: i, a: x, b: y };
  }
  if (a.length === b.length) return undefined;
  return { index: n, a: a[n], b: b[n] };
}
