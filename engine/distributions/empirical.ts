import type { Rng } from '../rng.ts';
import { type Distribution, DistributionError, requireFinite } from './distribution.ts';

/**
 * Resamples the given values uniformly (a bootstrap distribution). The moments are those of the
 * values themselves (population variance, dividing by n).
 */
export function empirical(samples: readonly number[]): Distribution {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new DistributionError('empirical: samples must be a non-empty array of finite numbers');
  }
  const values = samples.slice();
  let sum = 0;
  for (const [i, v] of values.entries()) {
    requireFinite('empirical', `samples[${i}]`, v);
    sum += v;
  }
  const n = values.length;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return {
    name: `empirical(n=${n})`,
    mean,
    variance: ss / n,
    sample: (rng: Rng) => values[Math.floor(rng.next() * n)] ?? mean,
  };
}

/**
 * A piecewise-linear CDF through `points` ([value, cumulativeProbability]), sampled by inverting
 * it. Values and probabilities must be non-decreasing, probabilities in [0, 1], the last one 1.
 * A first probability p0 > 0 is a point mass p0 at the first value.
 */
export function empiricalCdf(points: readonly (readonly [number, number])[]): Distribution {
  const where = 'empiricalCdf';
  if (!Array.isArray(points) || points.length === 0) {
    throw new DistributionError(`${where}: points must be a non-empty array of [value, prob]`);
  }
  const xs: number[] = [];
  const ps: number[] = [];
  for (const [i, point] of points.entries()) {
    if (!Array.isArray(point) || point.length !== 2) {
      throw new DistributionError(`${where}: points[${i}] must be a [value, prob] pair`);
    }
    const [x, p] = point;
    requireFinite(where, `points[${i}] value`, x);
    requireFinite(where, `points[${i}] probability`, p);
    if (p < 0 || p > 1) {
      throw new DistributionError(`${where}: points[${i}] probability must be in [0, 1], got ${p}`);
    }
    const prevX = xs[i - 1];
    const prevP = ps[i - 1];
    if (prevX !== undefined && prevP !== undefined && (x < prevX || p < prevP)) {
      throw new DistributionError(
        `${where}: points[${i}] must not decrease in value or probability (got [${x}, ${p}] after [${prevX}, ${prevP}])`,
      );
    }
    xs.push(x);
    ps.push(p);
  }
  const last = ps[ps.length - 1] ?? 0;
  if (Math.abs(last - 1) > 1e-9) {
    throw new DistributionError(`${where}: the last probability must be 1, got ${last}`);
  }
  ps[ps.length - 1] = 1;
  let m1 = (ps[0] ?? 0) * (xs[0] ?? 0);
  let m2 = m1 * (xs[0] ?? 0);
  for (let i = 1; i < xs.length; i++) {
    const a = xs[i - 1] ?? 0;
    const b = xs[i] ?? 0;
    const dp = (ps[i] ?? 0) - (ps[i - 1] ?? 0);
    m1 += (dp * (a + b)) / 2;
    m2 += (dp * (a * a + a * b + b * b)) / 3;
  }
  return {
    name: `empiricalCdf(${xs.length} points)`,
    mean: m1,
    variance: Math.max(0, m2 - m1 * m1),
    sample: (rng: Rng) => {
      const u = rng.next();
      // First index with ps[i] > u (exists because ps[last] = 1 > u).
      let lo = 0;
      let hi = ps.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((ps[mid] ?? 1) > u) hi = mid;
        else lo = mid + 1;
      }
      const x1 = xs[lo] ?? 0;
      if (lo === 0) return x1;
      const x0 = xs[lo - 1] ?? x1;
      const p0 = ps[lo - 1] ?? 0;
      const p1 = ps[lo] ?? 1;
      return x0 + ((u - p0) / (p1 - p0)) * (x1 - x0);
    },
  };
}
