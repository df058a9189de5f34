import { studentTQuantile, Welford } from '../engine/index.ts';

/**
 * What a metric's values can be: 'unit' — a share in [0, 1] (ratios of counts, utilisation);
 * 'nonnegative' — at least 0 (latencies, counts, rates, seconds); 'any' — a difference.
 */
export type Bound = 'unit' | 'nonnegative' | 'count' | 'any';

/** How an interval was made: Student-t on the values, or carried through log, sqrt or logit. */
export type IntervalMethod = 't' | 'log' | 'sqrt' | 'logit';

/** A mean over replications with a 95% interval that respects the metric's bounds. */
export interface BoundedEstimate {
  readonly mean: number;
  /** Student-t half-width on the original scale, at least half the resolution (null: n < 2). */
  readonly halfWidth: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
  readonly method: IntervalMethod;
  /** Width of the histogram bucket at the mean (percentiles only): the interval is never narrower. */
  readonly resolution?: number;
}

/** Shares that cannot leave [0, 1]. */
const UNIT =
  /^(utilisation|errorRatio|ratios\.(hitRatio|\w+HitRatio|rejectRatio429|errorRatio5xx)|recovery\.\d+\.(recovered|endedGood)|ratios\.wastedShare)$/;

/** Event counts (≥ 0, often 0 in some replications). */
const COUNT = /^(arrivals|completions|latency\.count|counters\.|status\.)/;

/**
 * The bound of a metric by its name (every flattened metric is ≥ 0; shares are ≤ 1 too;
 * counts are told apart because they get the square-root transform).
 */
export function boundOf(metric: string): Bound {
  if (UNIT.test(metric)) return 'unit';
  return COUNT.test(metric) ? 'count' : 'nonnegative';
}

/** Sub-buckets per power of two of the results' latency histogram (docs/histogram.md). */
const SUB_BUCKETS = 64;

/**
 * The histogram's resolution at a latency percentile of `seconds`: the width of the bucket
 * holding it, 2^floor(log2 µs) / 64 µs (1.4% at 18 ms); 0 for metrics that are not read
 * from a histogram bucket (means, counts, min and max are exact).
 */
export function resolutionOf(metric: string, seconds: number): number {
  if (!/^latency\.p\d+$/.test(metric) || !(seconds * 1e6 >= 1)) return 0;
  return 2 ** Math.floor(Math.log2(seconds * 1e6)) / SUB_BUCKETS / 1e6;
}

const T = new Map<number, number>();
function t975(df: number): number {
  let q = T.get(df);
  if (q === undefined) {
    q = studentTQuantile(0.975, df);
    T.set(df, q);
  }
  return q;
}

/**
 * Bounds from a transform (exp, log) rounded to 12 significant digits: Math.exp and Math.log are
 * not correctly rounded, and V8 versions (Node's, Chromium's) differ in the last bit; toPrecision
 * is exact, so a browser and Node report the same interval (test/playground/same-answer).
 */
const portable = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(12)) : x);

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The mean of `values` with a 95% interval inside the bound: for 'nonnegative' a delta-method
 * interval on log(mean) (mean × e^(±t·s/(√n·mean))), for 'count' on √mean, for 'unit' on
 * logit(mean), for 'any' the
 * plain Student-t interval; a mean on the bound itself (all values 0, or all 1) gets the
 * degenerate interval there. Then widened, if needed, to at least `resolution` around the mean
 * (clipped to the bound), so a percentile never looks more certain than its histogram bucket.
 */
export function boundedEstimate(
  values: readonly number[],
  bound: Bound,
  resolution = 0,
): BoundedEstimate {
  const w = new Welford();
  for (const v of values) w.add(v);
  const n = w.count;
  const mean = w.mean;
  const res = resolution > 0 ? { resolution } : {};
  if (n < 2) return { mean, halfWidth: null, lower: null, upper: null, n, method: 't', ...res };
  const se = w.stddev / Math.sqrt(n);
  const tHalf = t975(n - 1) * se;
  let lower = mean - tHalf;
  let upper = mean + tHalf;
  let method: IntervalMethod = 't';
  if (bound === 'nonnegative' && mean > 0) {
    const h = tHalf / mean;
    lower = mean * Math.exp(-h);
    upper = mean * Math.exp(h);
    method = 'log';
  } else if (bound === 'count' && mean > 0) {
    // square root, the variance-stabilising transform of counts: (√m ± h/(2√m))², the lower
    // end at 0 when it reaches it (log would put the upper end at m·e^(h/m), absurd for a
    // count that is 0 in most replications)
    const r = Math.sqrt(mean);
    const d = tHalf / (2 * r);
    lower = Math.max(0, r - d) ** 2;
    upper = (r + d) ** 2;
    method = 'sqrt';
  } else if (bound === 'unit' && mean > 0 && mean < 1) {
    const h = tHalf / (mean * (1 - mean));
    lower = expit(logit(mean) - h);
    upper = expit(logit(mean) + h);
    method = 'logit';
  } else if (bound !== 'any') {
    lower = mean;
    upper = mean;
  }
  const low = bound === 'any' ? Number.NEGATIVE_INFINITY : 0;
  const high = bound === 'unit' ? 1 : Number.POSITIVE_INFINITY;
  lower = Math.max(low, Math.min(lower, mean - resolution / 2));
  upper = Math.min(high, Math.max(upper, mean + resolution / 2));
  const halfWidth = Math.max(tHalf, resolution / 2);
  if (method !== 't') {
    lower = portable(lower);
    upper = portable(upper);
  }
  return { mean, halfWidth, lower, upper, n, method, ...res };
}

/** A metric's bounded estimate over replications: its bound, and the resolution of a percentile. */
export function metricEstimate(values: readonly number[], metric: string): BoundedEstimate {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return boundedEstimate(values, boundOf(metric), resolutionOf(metric, mean));
}

/**
 * A paired difference's estimate: unbounded (Student-t), but a percentile's interval is at least
 * the bucket width at the larger of the two sides' means.
 */
export function differenceEstimate(
  diffs: readonly number[],
  metric: string,
  sideMean: number,
): BoundedEstimate {
  return boundedEstimate(diffs, 'any', resolutionOf(metric, sideMean));
}
