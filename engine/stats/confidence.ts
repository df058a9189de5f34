import { normalQuantile, regularizedBeta } from '../math/special.ts';
import { Welford } from './welford.ts';

/** P(T > t) for t >= 0, T Student-t with df degrees of freedom. */
export function studentTTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The p-quantile of Student's t with `df` > 0 degrees of freedom (df may be fractional or
 * Infinity). Solved by bisection on the exact tail, 0.5·I_{df/(df+t²)}(df/2, 1/2), to about 1e-12
 * relative; closed forms for df = 1 and 2.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const target = 1 - p;
  let lo = 0;
  let hi = 1;
  while (studentTTail(hi, df) > target) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTail(mid, df) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A two-sided confidence interval for a mean: mean ± halfWidth. */
export interface ConfidenceInterval {
  /** Sample mean. */
  readonly mean: number;
  /** t_{(1+level)/2, n-1} · stddev / sqrt(n); Infinity when n = 1, 0 when all values agree. */
  readonly halfWidth: number;
  /** mean - halfWidth. */
  readonly lower: number;
  /** mean + halfWidth. */
  readonly upper: number;
  /** Number of values. */
  readonly n: number;
  /** Sample standard deviation (n - 1 denominator). */
  readonly stddev: number;
}

/**
 * Student-t confidence interval for the mean of independent values (e.g. one per replication).
 * Needs at least one value; with one value the half-width is Infinity.
 */
export function confidenceInterval(values: readonly number[], level = 0.95): ConfidenceInterval {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`confidenceInterval: level must be in (0, 1), got ${level}`);
  }
  if (values.length === 0) throw new RangeError('confidenceInterval: needs at least one value');
  const w = new Welford();
  for (const v of values) {
    if (!Number.isFinite(v))
      throw new RangeError(`confidenceInterval: values must be finite, got ${v}`);
    w.add(v);
  }
  const n = w.count;
  const stddev = w.stddev;
  let halfWidth = Number.POSITIVE_INFINITY;
  if (n > 1) {
    halfWidth =
      stddev === 0 ? 0 : (studentTQuantile((1 + level) / 2, n - 1) * stddev) / Math.sqrt(n);
  }
  return {
    mean: w.mean,
    halfWidth,
    lower: w.mean - halfWidth,
    upper: w.mean + halfWidth,
    n,
    stddev,
  };
}
