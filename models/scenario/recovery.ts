import type { SimTime } from '../../engine/index.ts';
import type { ComponentSeries } from './results.ts';
import type { TimelineEvent } from './timeline.ts';

/** A window's p99 counts as recovered when at most this factor × the pre-fault p99. */
export const RECOVERY_P99_FACTOR = 1.25;
/** Full windows at the end of the run whose median p99 decides `endedGood`. */
export const ENDING_WINDOWS = 10;
/** A window's 5xx ratio counts as recovered when at most the pre-fault ratio + this (1 point). */
export const RECOVERY_ERROR_POINTS = 0.01;

/**
 * Time to recover from one fault, seen by one client: the pre-fault level (median per-window
 * p99 and 5xx ratio of the measured windows before the fault), and the end of the first
 * window, starting at or after the fault ends, whose p99 and 5xx ratio are back within the
 * band, measured from the fault's end. `seconds` is null when no window recovered.
 */
export interface Recovery {
  /** The fault in words, e.g. "crash redis at 60s for 2s". */
  readonly fault: string;
  /** Simulated seconds (from time 0, warm-up included) when the fault ended (or began, if it never ends). */
  readonly faultEnd: number;
  readonly baselineP99: number;
  readonly baselineErrorRatio: number;
  /** Upper bounds a window must meet: p99 (seconds) and 5xx ratio. */
  readonly bandP99: number;
  readonly bandErrorRatio: number;
  /** Seconds from the fault's end to the end of the first recovered window; null: did not recover. */
  readonly seconds: number | null;
  /** 1 when a window recovered, else 0 (so a mean over replications is the share that did). */
  readonly recovered: number;
  /**
   * 1 when the run's last full windows (median p99 of the last 10, their 5xx ratio) are within
   * the band (the good state), else 0 (the bad
   * state: still collapsed, or relapsed after recovering). A metastable failure is recovered = 0
   * and endedGood = 0 with the trigger long gone.
   */
  readonly endedGood: number;
  /** The resolution of `seconds`: the window width. */
  readonly resolution: number;
}

const FAULTS = new Set(['crash', 'slow', 'partition', 'degrade-link']);

/** Whether a timeline event is a trigger: a fault, or a load spike that ends (factor > 1, `for`). */
export function isTrigger(e: TimelineEvent): boolean {
  if (e.action === 'load') return e.factor > 1 && e.for !== undefined;
  return FAULTS.has(e.action);
}

function describe(e: TimelineEvent): string {
  const who = 'target' in e ? e.target : e.between.join('–');
  const at = `${e.at / 1e6}s`;
  return `${e.action} ${who} at ${at}${e.for === undefined ? '' : ` for ${e.for / 1e6}s`}`;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Recovery of one client (a series with latencyP99) from every fault of the timeline, in
 * timeline order. Faults before any full measured window, faults still on at the end of the
 * run, and runs without per-window percentiles are skipped. Triggers are faults and load spikes
 * that end; `runEnd` (seconds) tells which window is the last full one, for `endedGood`.
 */
export function recoveries(
  series: ComponentSeries,
  timeline: readonly TimelineEvent[],
  warmup: SimTime,
  runEnd?: number,
): Recovery[] {
  const p99 = series.metrics.latencyP99;
  const done = series.metrics.completions;
  const errors = series.metrics.errors5xx;
  if (p99 === undefined || done === undefined || errors === undefined) return [];
  const w = series.window;
  const start = (i: number) => series.start + i * w;
  const out: Recovery[] = [];
  for (const e of timeline) {
    if (!isTrigger(e)) continue;
    const faultStart = (warmup + e.at) / 1e6;
    const faultEnd = (warmup + e.at + (e.for ?? 0)) / 1e6;
    const before: number[] = [];
    let errs = 0;
    let total = 0;
    for (let i = 0; i < done.length; i++) {
      if (start(i) < warmup / 1e6 || start(i) + w > faultStart + 1e-9 || done[i]! === 0) continue;
      before.push(p99[i]!);
      errs += errors[i]!;
      total += done[i]!;
    }
    // a fault that has not ended by the last full window cannot be recovered from yet
    const lastStart = start(done.length - 1);
    if (before.length === 0 || lastStart < faultEnd - 1e-9) continue;
    const baselineP99 = median(before);
    const baselineErrorRatio = errs / total;
    const bandP99 = baselineP99 * RECOVERY_P99_FACTOR;
    const bandErrorRatio = baselineErrorRatio + RECOVERY_ERROR_POINTS;
    // the last full window (the run may end inside the one after it)
    let last = done.length - 1;
    if (runEnd !== undefined)
      last = Math.min(last, Math.floor((runEnd - series.start) / w + 1e-9) - 1);
    // the good state: the median p99 and the error ratio of the last ENDING_WINDOWS full
    // windows after the fault are within the band (one window alone is too noisy a judge)
    const tail: number[] = [];
    let tailErrors = 0;
    let tailDone = 0;
    for (let i = last; i >= 0 && tail.length < ENDING_WINDOWS; i--) {
      if (start(i) < faultEnd - 1e-9) break;
      if (done[i]! === 0) continue;
      tail.push(p99[i]!);
      tailErrors += errors[i]!;
      tailDone += done[i]!;
    }
    const endedGood =
      tail.length > 0 && median(tail) <= bandP99 && tailErrors / tailDone <= bandErrorRatio ? 1 : 0;
    let seconds: number | null = null;
    for (let i = 0; i < done.length; i++) {
      if (start(i) < faultEnd - 1e-9 || done[i]! === 0) continue;
      // the last window may be cut short by the end of the run: only full windows count
      if (p99[i]! <= bandP99 && errors[i]! / done[i]! <= bandErrorRatio) {
        seconds = Number((start(i) + w - faultEnd).toFixed(6));
        break;
      }
    }
    out.push({
      fault: describe(e),
      faultEnd,
      baselineP99,
      baselineErrorRatio,
      bandP99,
      bandErrorRatio,
      seconds,
      recovered: seconds === null ? 0 : 1,
      endedGood,
      resolution: w,
    });
  }
  return out;
}
