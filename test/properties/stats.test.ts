import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  confidenceInterval,
  LatencyHistogram,
  logGamma,
  studentTQuantile,
  TimeWeighted,
} from '../../engine/index.ts';

type Step =
  | { readonly dt: number; readonly op: 'set' | 'add'; readonly value: number }
  | { readonly dt: number; readonly op: 'reset' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 })),
    op: fc.constantFrom('set' as const, 'add' as const),
    value: fc.integer({ min: -10, max: 10 }),
  }),
  fc.record({
    dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 })),
    op: fc.constant('reset' as const),
  }),
);

describe('TimeWeighted', () => {
  it('matches a brute-force unit-step integral and level shares, with equal-time changes and resets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: -5, max: 20 }),
        fc.array(stepArb, { maxLength: 40, size: 'max' }),
        fc.integer({ min: 0, max: 300 }),
        (start, initial, steps, tail) => {
          const g = new TimeWeighted(start, initial);
          const CAP = 6;
          g.trackLevels(CAP);
          // Brute force: the value in force during each unit interval [t, t+1).
          const changes: [number, number][] = [[start, initial]];
          let accountFrom = start;
          let now = start;
          let value = initial;
          let seen = [initial];
          for (const step of steps) {
            now += step.dt;
            if (step.op === 'reset') {
              g.reset(now);
              accountFrom = now;
              seen = [value];
              continue;
            }
            value = step.op === 'set' ? step.value : value + step.value;
            if (step.op === 'set') g.set(now, step.value);
            else g.add(now, step.value);
            changes.push([now, value]);
            seen.push(value);
          }
          const end = now + tail;
          let area = 0;
          let c = 0;
          let current = initial;
          const atLeast = new Array<number>(CAP).fill(0);
          for (let t = start; t < end; t++) {
            while (c < changes.length && changes[c]![0] <= t) current = changes[c++]![1];
            if (t >= accountFrom) {
              area += current;
              for (let k = 1; k <= CAP; k++) if (current >= k) atLeast[k - 1]! += 1;
            }
          }
          const span = end - accountFrom;
          const shares = span > 0 ? atLeast.map((n) => n / span) : [];
          while (shares.length > 0 && shares[shares.length - 1] === 0) shares.pop();
          const got = g.atLeast(end);
          expect(got.length).toBe(shares.length);
          for (const [k, share] of shares.entries()) expect(got[k]).toBeCloseTo(share, 12);
          expect(g.area(end)).toBe(area);
          expect(g.current).toBe(value);
          expect(g.max).toBe(Math.max(...seen));
          expect(g.min).toBe(Math.min(...seen));
          const expectedMean = end > accountFrom ? area / (end - accountFrom) : value;
          expect(g.mean(end)).toBeCloseTo(expectedMean, 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const HOUR_US = 3.6e9;
// Values spanning 1 µs .. 1 h: log-uniform reals, plus integers (the simulator's µs clock).
const latencyArb = fc.oneof(
  fc.double({ min: 0, max: Math.log(HOUR_US), noNaN: true }).map((l) => Math.exp(l)),
  fc.integer({ min: 1, max: HOUR_US }),
  fc.integer({ min: 1, max: 2000 }),
);
const QS = [0, 0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

function exactPercentile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length - 1e-9));
  return sorted[rank - 1]!;
}

describe('LatencyHistogram', () => {
  it('percentiles are within 1% of the exact nearest-rank values', () => {
    fc.assert(
      fc.property(
        fc.array(latencyArb, { minLength: 1, maxLength: 3000, size: 'max' }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 5 }),
        (values, extraQs) => {
          const h = new LatencyHistogram();
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          for (const q of [...QS, ...extraQs]) {
            const exact = exactPercentile(sorted, q);
            const got = h.percentile(q);
            expect(
              Math.abs(got - exact) / exact,
              `q=${q} exact=${exact} got=${got}`,
            ).toBeLessThanOrEqual(0.01);
          }
          expect(h.percentile(0)).toBe(sorted[0]);
          expect(h.percentile(100)).toBe(sorted[sorted.length - 1]);
          expect(h.count).toBe(values.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merge(a, b) equals recording everything into one histogram, and JSON round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(latencyArb, { maxLength: 500, size: 'max' }),
        fc.array(latencyArb, { maxLength: 500, size: 'max' }),
        (as, bs) => {
          const a = new LatencyHistogram();
          const b = new LatencyHistogram();
          const all = new LatencyHistogram();
          for (const v of as) a.record(v);
          for (const v of bs) b.record(v);
          for (const v of [...as, ...bs]) all.record(v);
          a.merge(b);
          const { sum: sumMerged, ...merged } = a.toJSON();
          const { sum: sumAll, ...direct } = all.toJSON();
          expect(merged).toEqual(direct);
          expect(Math.abs(sumMerged - sumAll)).toBeLessThanOrEqual(1e-9 * Math.max(1, sumAll));
          for (const q of QS) expect(a.percentile(q)).toBe(all.percentile(q));
          const copy = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(all.toJSON())));
          expect(copy.toJSON()).toEqual(all.toJSON());
          for (const q of QS) expect(copy.percentile(q)).toBe(all.percentile(q));
        },
      ),
      { numRuns: 200 },
    );
  });
});

// Student-t density, integrated independently by Simpson's rule.
function tCdfBySimpson(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const pdf = (x: number) => Math.exp(logC - ((df + 1) / 2) * Math.log1p((x * x) / df));
  const n = 20_000;
  const h = t / n;
  let s = pdf(0) + pdf(t);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * pdf(i * h);
  return 0.5 + (s * h) / 3;
}

describe('Student t and confidence intervals', () => {
  it('studentTQuantile inverts the t CDF (Simpson integral of the density)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 300, noNaN: true }),
        fc.double({ min: 0.55, max: 0.999, noNaN: true }),
        (df, p) => {
          const t = studentTQuantile(p, df);
          expect(tCdfBySimpson(t, df)).toBeCloseTo(p, 7);
          expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 10);
        },
      ),
      { numRuns: 60 },
    );
  });

  // Two-sided critical values t_{p, df} from standard tables, to 4 significant digits.
  const table: [number, number, number][] = [
    [0.975, 1, 12.71],
    [0.975, 2, 4.303],
    [0.975, 3, 3.182],
    [0.975, 4, 2.776],
    [0.975, 5, 2.571],
    [0.975, 10, 2.228],
    [0.975, 20, 2.086],
    [0.975, 29, 2.045],
    [0.975, 30, 2.042],
    [0.975, 60, 2.0],
    [0.975, 120, 1.98],
    [0.995, 1, 63.66],
    [0.995, 10, 3.169],
    [0.95, 5, 2.015],
    [0.95, 30, 1.697],
    [0.9, 3, 1.638],
  ];
  it.each(table)('t(%d, df=%d) = %d to 4 significant digits', (p, df, expected) => {
    const t = studentTQuantile(p, df);
    expect(Number(t.toPrecision(4))).toBe(expected);
  });

  it('confidenceInterval uses t_{(1+level)/2, n-1} · s / sqrt(n) on random samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
          minLength: 2,
          maxLength: 60,
          size: 'max',
        }),
        fc.constantFrom(0.9, 0.95, 0.99),
        (values, level) => {
          const ci = confidenceInterval(values, level);
          const n = values.length;
          const mean = values.reduce((a, b) => a + b, 0) / n;
          const s = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
          const hw = (studentTQuantile((1 + level) / 2, n - 1) * s) / Math.sqrt(n);
          expect(ci.n).toBe(n);
          const scale = 1e-9 * (1 + Math.max(...values.map(Math.abs)));
          expect(Math.abs(ci.mean - mean)).toBeLessThanOrEqual(scale);
          expect(Math.abs(ci.stddev - s)).toBeLessThanOrEqual(scale);
          expect(Math.abs(ci.halfWidth - hw)).toBeLessThanOrEqual(scale);
          expect(ci.lower).toBe(ci.mean - ci.halfWidth);
          expect(ci.upper).toBe(ci.mean + ci.halfWidth);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a known sample: 1..5 at 95%', () => {
    const ci = confidenceInterval([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    expect(ci.halfWidth).toBeCloseTo((2.7764451 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
  });
});
