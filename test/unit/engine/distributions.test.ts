import { describe, expect, it } from 'vitest';
import {
  constant,
  createStream,
  type Distribution,
  DistributionError,
  empirical,
  empiricalCdf,
  erlang,
  exponential,
  gamma,
  generalizedHarmonic,
  logGamma,
  lognormal,
  lognormalFromQuantiles,
  normal,
  normalCdf,
  pareto,
  uniform,
  weibull,
  zipf,
} from '../../../engine/index.ts';

const Z999 = 3.2905; // two-sided 99.9% normal quantile
const DRAWS = 1_000_000;
const KS_N = 20_000;
const KS_CRITICAL = Math.sqrt(-0.5 * Math.log(0.001 / 2)) / Math.sqrt(KS_N); // alpha = 0.001

/** Regularized lower incomplete gamma P(a, x) by its power series (test-only, independent). */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 10_000 && term > sum * 1e-16; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return Math.min(1, Math.exp(a * Math.log(x) - x - logGamma(a)) * sum);
}

const stdNormalCdf = (mu: number, sd: number) => (x: number) => normalCdf((x - mu) / sd);

interface Case {
  readonly dist: Distribution;
  /** The CDF, for continuous distributions (KS test). */
  readonly cdf?: (x: number) => number;
}

const truncCdf = (mu: number, sd: number) => {
  const below = normalCdf(-mu / sd);
  return (x: number) => (x <= 0 ? 0 : (normalCdf((x - mu) / sd) - below) / (1 - below));
};
const lnSigma = Math.sqrt(Math.log1p(0.64));
const q99 = (Math.log(250) - Math.log(20)) / 2.3263478740408408;

const cases: Case[] = [
  { dist: uniform(2, 7), cdf: (x) => Math.min(1, Math.max(0, (x - 2) / 5)) },
  { dist: exponential(5), cdf: (x) => 1 - Math.exp(-x / 5) },
  { dist: normal(10, 3), cdf: stdNormalCdf(10, 3) },
  { dist: normal(1, 2, { truncateAtZero: true }), cdf: truncCdf(1, 2) },
  { dist: normal(-4, 1, { truncateAtZero: true }), cdf: truncCdf(-4, 1) },
  {
    dist: lognormal({ mean: 20, cv: 0.8 }),
    cdf: (x) => normalCdf((Math.log(x) - (Math.log(20) - lnSigma ** 2 / 2)) / lnSigma),
  },
  {
    dist: lognormalFromQuantiles({ p50: 20, p99: 250 }),
    cdf: (x) => normalCdf((Math.log(x) - Math.log(20)) / q99),
  },
  { dist: gamma(0.5, 2), cdf: (x) => gammaP(0.5, x / 2) },
  { dist: gamma(2.5, 3), cdf: (x) => gammaP(2.5, x / 3) },
  { dist: erlang(3, 6), cdf: (x) => 1 - Math.exp(-x / 2) * (1 + x / 2 + (x / 2) ** 2 / 2) },
  { dist: pareto(2, 5), cdf: (x) => (x < 2 ? 0 : 1 - (2 / x) ** 5) },
  { dist: weibull(1.5, 2), cdf: (x) => 1 - Math.exp(-((x / 2) ** 1.5)) },
  { dist: weibull(0.7, 3), cdf: (x) => 1 - Math.exp(-((x / 3) ** 0.7)) },
  {
    dist: empiricalCdf([
      [1, 0],
      [2, 0.5],
      [10, 0.9],
      [100, 1],
    ]),
    cdf: (x) =>
      x < 1
        ? 0
        : x < 2
          ? (x - 1) / 2
          : x < 10
            ? 0.5 + (0.4 * (x - 2)) / 8
            : Math.min(1, 0.9 + (0.1 * (x - 10)) / 90),
  },
  { dist: empirical([1, 2, 2, 3, 10]) },
  { dist: zipf(1000, 1.1) },
];

function draws(d: Distribution, n: number, purpose: string): Float64Array {
  const rng = createStream(20240601, 'distributions-test', purpose);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = d.sample(rng);
  return xs;
}

describe('distribution moments over 10^6 draws (99.9% intervals)', () => {
  it.each(cases.map((c) => [c.dist.name, c] as const))('%s', (_name, { dist }) => {
    const xs = draws(dist, DRAWS, `moments:${dist.name}`);
    let sum = 0;
    for (const x of xs) sum += x;
    const mean = sum / DRAWS;
    let m2 = 0;
    let m4 = 0;
    for (const x of xs) {
      const d2 = (x - mean) ** 2;
      m2 += d2;
      m4 += d2 * d2;
    }
    const variance = m2 / (DRAWS - 1);
    m4 /= DRAWS;
    expect(Number.isFinite(dist.mean) && Number.isFinite(dist.variance)).toBe(true);
    expect(Math.abs(mean - dist.mean)).toBeLessThan(Z999 * Math.sqrt(dist.variance / DRAWS));
    // Standard error of the sample variance from the (sample) fourth central moment.
    const seVar = Math.sqrt((m4 - variance * variance) / DRAWS);
    expect(Math.abs(variance - dist.variance)).toBeLessThan(Z999 * seVar);
  });

  it('constant is exact', () => {
    const d = constant(7.5);
    const xs = draws(d, 1000, 'constant');
    expect(xs.every((x) => x === 7.5)).toBe(true);
    expect([d.mean, d.variance]).toEqual([7.5, 0]);
  });
});

describe('Kolmogorov–Smirnov at alpha = 0.001 (n = 20 000)', () => {
  const continuous = cases.filter((c) => c.cdf !== undefined);
  it.each(continuous.map((c) => [c.dist.name, c] as const))('%s', (_name, { dist, cdf }) => {
    const xs = draws(dist, KS_N, `ks:${dist.name}`).sort();
    let d = 0;
    xs.forEach((x, i) => {
      const f = cdf!(x);
      d = Math.max(d, Math.abs(f - i / KS_N), Math.abs((i + 1) / KS_N - f));
    });
    expect(d).toBeLessThan(KS_CRITICAL);
  });

  it('the KS check rejects a wrong distribution (exponential vs gamma(1.2))', () => {
    const xs = draws(gamma(1.2, 5 / 1.2), KS_N, 'ks-power').sort();
    let d = 0;
    xs.forEach((x, i) => {
      d = Math.max(d, Math.abs(1 - Math.exp(-x / 5) - i / KS_N));
    });
    expect(d).toBeGreaterThan(KS_CRITICAL);
  });
});

describe('empirical', () => {
  it('resamples each value with frequency proportional to its multiplicity', () => {
    const xs = draws(empirical([1, 2, 2, 3, 10]), 100_000, 'freq');
    const twos = xs.filter((x) => x === 2).length / xs.length;
    expect(Math.abs(twos - 0.4)).toBeLessThan(Z999 * Math.sqrt(0.24 / xs.length));
    expect(new Set(xs)).toEqual(new Set([1, 2, 3, 10]));
  });

  it('empiricalCdf puts a point mass on the first value when its probability is > 0', () => {
    const xs = draws(
      empiricalCdf([
        [5, 0.3],
        [6, 1],
      ]),
      100_000,
      'mass',
    );
    const atFive = xs.filter((x) => x === 5).length / xs.length;
    expect(Math.abs(atFive - 0.3)).toBeLessThan(Z999 * Math.sqrt(0.21 / xs.length));
    expect(xs.every((x) => x >= 5 && x < 6)).toBe(true);
  });
});

describe('zipf', () => {
  const exactHarmonic = (n: number, s: number) => {
    let h = 0;
    for (let k = n; k >= 1; k--) h += k ** -s;
    return h;
  };

  it.each([
    [1000, 1],
    [1000, 0.7],
    [10_000_000, 1],
    [10_000_000, 0.9],
    [10_000_000, 1.3],
  ])('ranks 1..5 of zipf(n=%d, s=%d) match the exact pmf', (n, s) => {
    const draws = 400_000;
    const rng = createStream(7, 'zipf-test', `${n}:${s}`);
    const d = zipf(n, s);
    const counts = [0, 0, 0, 0, 0, 0];
    let outOfRange = 0;
    for (let i = 0; i < draws; i++) {
      const k = d.sample(rng);
      if (!Number.isInteger(k) || k < 1 || k > n) outOfRange++;
      if (k <= 5) counts[k]! += 1;
    }
    expect(outOfRange).toBe(0);
    const norm = exactHarmonic(n, s);
    expect(Math.abs(generalizedHarmonic(n, s) / norm - 1)).toBeLessThan(1e-12);
    for (let k = 1; k <= 5; k++) {
      const p = k ** -s / norm;
      const tolerance = Z999 * Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs(counts[k]! / draws - p), `rank ${k}`).toBeLessThan(tolerance);
    }
  });

  it('n = 1 always returns 1 and the moments use O(1) harmonic sums', () => {
    expect(zipf(1, 2).sample(createStream(1, 'z', 'z'))).toBe(1);
    expect(
      Math.abs(generalizedHarmonic(10_000_000, -2) / ((1e7 * (1e7 + 1) * (2e7 + 1)) / 6) - 1),
    ).toBeLessThan(1e-12);
  });
});

describe('parameter validation', () => {
  const bad: [string, () => unknown, RegExp][] = [
    ['constant NaN', () => constant(Number.NaN), /value/],
    ['uniform max < min', () => uniform(2, 1), /max must be >= min/],
    ['exponential mean 0', () => exponential(0), /exponential: mean must be a positive/],
    ['exponential NaN', () => exponential(Number.NaN), /mean/],
    ['normal sd < 0', () => normal(0, -1), /sd must be a non-negative/],
    ['normal truncated without mass', () => normal(-100, 1, { truncateAtZero: true }), /mean\/sd/],
    ['lognormal mean 0', () => lognormal({ mean: 0, cv: 1 }), /lognormal: mean/],
    ['lognormal cv < 0', () => lognormal({ mean: 1, cv: -1 }), /cv/],
    [
      'quantiles p99 <= p50',
      () => lognormalFromQuantiles({ p50: 10, p99: 5 }),
      /p99 must be greater/,
    ],
    ['gamma shape 0', () => gamma(0, 1), /gamma: shape/],
    ['gamma scale Infinity', () => gamma(1, Number.POSITIVE_INFINITY), /scale/],
    ['erlang k fractional', () => erlang(2.5, 1), /erlang: k must be an integer >= 1/],
    ['pareto xm 0', () => pareto(0, 1), /xm/],
    ['pareto alpha < 0', () => pareto(1, -2), /alpha/],
    ['weibull shape 0', () => weibull(0, 1), /weibull: shape/],
    ['empirical empty', () => empirical([]), /non-empty/],
    ['empirical NaN', () => empirical([1, Number.NaN]), /samples\[1\]/],
    [
      'empiricalCdf last < 1',
      () =>
        empiricalCdf([
          [0, 0],
          [1, 0.5],
        ]),
      /last probability must be 1/,
    ],
    [
      'empiricalCdf decreasing',
      () =>
        empiricalCdf([
          [1, 0.5],
          [0, 1],
        ]),
      /points\[1\] must not decrease/,
    ],
    ['empiricalCdf prob > 1', () => empiricalCdf([[1, 1.5]]), /probability must be in \[0, 1\]/],
    ['zipf n 0', () => zipf(0, 1), /zipf: n must be an integer >= 1/],
    ['zipf s 0', () => zipf(10, 0), /zipf: s must be a positive/],
  ];
  it.each(bad)('%s', (_name, make, message) => {
    expect(make).toThrow(DistributionError);
    expect(make).toThrow(message);
    try {
      make();
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
    }
  });

  it('extreme but valid parameters never produce NaN or Infinity draws', () => {
    const extremes = [
      pareto(1, 0.01),
      pareto(1, 1),
      weibull(0.05, 1),
      gamma(0.01, 1),
      gamma(1000, 1e-3),
      normal(-30, 1, { truncateAtZero: true }),
      normal(1e6, 1, { truncateAtZero: true }),
      lognormal({ mean: 1, cv: 50 }),
      zipf(10_000_000, 1e-6),
      zipf(10_000_000, 50),
      zipf(2 ** 40, 1),
    ];
    const rng = createStream(3, 'extremes', 'x');
    for (const d of extremes) {
      expect(Number.isNaN(d.mean) || Number.isNaN(d.variance), d.name).toBe(false);
      for (let i = 0; i < 5000; i++) {
        const x = d.sample(rng);
        expect(Number.isFinite(x), `${d.name} drew ${x}`).toBe(true);
      }
    }
    expect(pareto(1, 2).variance).toBe(Number.POSITIVE_INFINITY);
    expect(pareto(1, 1).mean).toBe(Number.POSITIVE_INFINITY);
  });
});
