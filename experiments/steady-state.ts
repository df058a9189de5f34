import { studentTQuantile } from '../engine/index.ts';
import type { ComponentSeries } from '../models/scenario/results.ts';

/** The MSER-5 choice: how many leading observations to drop, and the statistic it minimised. */
export interface Mser5 {
  /** Observations (windows) to drop: 5 × the chosen number of batches. */
  readonly truncation: number;
  /** Batch means of 5 observations used, and the minimised MSER value. */
  readonly batches: number;
  readonly statistic: number;
}

/**
 * MSER-5 (White 1997; Franklin & White 2008): average the series in batches of 5, then choose
 * d in [0, batches/2] minimising Σ_{j>=d}(Z_j − Z̄_d)² / (b − d)²; ties take the smallest d.
 * Drops 5·d observations. A series shorter than 10 observations gets truncation 0.
 */
export function mser5(series: readonly number[]): Mser5 {
  const b = Math.floor(series.length / 5);
  if (b < 2) return { truncation: 0, batches: b, statistic: 0 };
  const z: number[] = [];
  for (let j = 0; j < b; j++) {
    let s = 0;
    for (let k = 0; k < 5; k++) s += series[5 * j + k]!;
    z.push(s / 5);
  }
  // suffix sums of z and z² give each candidate's sum of squares in O(1)
  let sum = 0;
  let sumSq = 0;
  const stats: number[] = new Array(b).fill(0);
  for (let d = b - 1; d >= 0; d--) {
    sum += z[d]!;
    sumSq += z[d]! * z[d]!;
    const n = b - d;
    const ss = Math.max(0, sumSq - (sum * sum) / n);
    stats[d] = ss / (n * n);
  }
  let best = 0;
  for (let d = 1; d <= Math.floor(b / 2); d++) if (stats[d]! < stats[best]!) best = d;
  return { truncation: 5 * best, batches: b, statistic: stats[best]! };
}

/** Which per-window output to analyse: mean latency (weighted by completions) or throughput. */
export type SeriesMetric = 'latency' | 'throughput';

/** One component's per-window values (and weights) from a run's series, windows [from, to). */
export function windowValues(
  series: readonly ComponentSeries[],
  component: string,
  metric: SeriesMetric,
  from = 0,
  to = Number.POSITIVE_INFINITY,
): { values: number[]; weights: number[]; window: number } {
  const s = series.find((c) => c.component === component);
  if (s === undefined) throw new RangeError(`no series for component "${component}"`);
  const completions = (s.metrics.completions ?? []).slice(from, to);
  const values =
    metric === 'latency'
      ? (s.metrics.latencyMean ?? []).slice(from, to)
      : completions.map((c) => c / s.window);
  const weights = metric === 'latency' ? completions : completions.map(() => 1);
  return { values: [...values], weights: [...weights], window: s.window };
}

/** Steady-state estimate from one long run by the method of batch means. */
export interface BatchMeans {
  readonly batches: number;
  /** Windows per batch, and windows left out at the start (so batches are equal). */
  readonly batchSize: number;
  readonly dropped: number;
  readonly mean: number;
  readonly halfWidth: number;
  readonly lower: number;
  readonly upper: number;
  /** Lag-1 autocorrelation of the batch means. */
  readonly lag1: number;
  /** True when lag1 > 1.645/√batches (batch means look correlated: batches too small). */
  readonly tooSmall: boolean;
  readonly note: string;
}

/**
 * Batch means over per-window values: `batches` equal batches of consecutive windows (leading
 * windows that do not fill a batch are dropped); each batch's value is the weighted mean of its
 * windows; Student-t 95% interval over batch means; lag-1 autocorrelation checked.
 */
export function batchMeans(
  values: readonly number[],
  weights: readonly number[] = values.map(() => 1),
  batches = 20,
): BatchMeans {
  if (!(Number.isInteger(batches) && batches >= 2))
    throw new RangeError('batches must be an integer >= 2');
  const size = Math.floor(values.length / batches);
  if (size < 1) {
    throw new RangeError(`batch means: ${values.length} windows cannot make ${batches} batches`);
  }
  const dropped = values.length - size * batches;
  const means: number[] = [];
  for (let j = 0; j < batches; j++) {
    let num = 0;
    let den = 0;
    for (let k = dropped + j * size; k < dropped + (j + 1) * size; k++) {
      num += values[k]! * weights[k]!;
      den += weights[k]!;
    }
    means.push(den > 0 ? num / den : 0);
  }
  const mean = means.reduce((a, b) => a + b, 0) / batches;
  let ss = 0;
  let cross = 0;
  for (let j = 0; j < batches; j++) {
    const e = means[j]! - mean;
    ss += e * e;
    if (j + 1 < batches) cross += e * (means[j + 1]! - mean);
  }
  const sd = Math.sqrt(ss / (batches - 1));
  const halfWidth = (studentTQuantile(0.975, batches - 1) * sd) / Math.sqrt(batches);
  const lag1 = ss > 0 ? cross / ss : 0;
  const limit = 1.645 / Math.sqrt(batches);
  const tooSmall = lag1 > limit;
  const note = tooSmall
    ? `batches too small: lag-1 autocorrelation of batch means is ${lag1.toFixed(3)} (> ${limit.toFixed(3)}); run longer or use fewer batches`
    : `lag-1 autocorrelation ${lag1.toFixed(3)} (<= ${limit.toFixed(3)}): batch means look independent`;
  return {
    batches,
    batchSize: size,
    dropped,
    mean,
    halfWidth,
    lower: mean - halfWidth,
    upper: mean + halfWidth,
    lag1,
    tooSmall,
    note,
  };
}
