import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confidenceInterval } from '../../../engine/index.ts';
import {
  boundedEstimate,
  boundOf,
  differenceEstimate,
  metricEstimate,
  resolutionOf,
} from '../../../experiments/interval.ts';

describe('bounded intervals', () => {
  it('never cross 0 for a non-negative quantity, even when the t interval would', () => {
    // mean 1, sd ≈ 1.73: the plain t interval is [-3.3, 5.3]
    const xs = [0, 0, 3];
    expect(confidenceInterval(xs).lower).toBeLessThan(0);
    const e = metricEstimate(xs, 'counters.retries');
    expect(e.method).toBe('sqrt'); // a count: (√m ± h/(2√m))², lower end at 0
    expect(e.lower).toBe(0);
    expect(e.upper!).toBeCloseTo((1 + confidenceInterval(xs).halfWidth / 2) ** 2, 9);
    // a latency: carried through log, strictly positive
    const l = metricEstimate([0.001, 0.001, 0.5], 'latency.mean');
    expect(confidenceInterval([0.001, 0.001, 0.5]).lower).toBeLessThan(0);
    expect(l.method).toBe('log');
    expect(l.lower!).toBeGreaterThan(0);
    expect(l.lower!).toBeLessThan(l.mean);
    expect(l.upper!).toBeGreaterThan(l.mean);
  });

  it('keep a share inside [0, 1] (logit)', () => {
    const e = metricEstimate([0.99, 0.999, 0.9], 'ratios.hitRatio');
    expect(e.method).toBe('logit');
    expect(e.upper!).toBeLessThan(1);
    expect(e.lower!).toBeGreaterThan(0);
    expect(confidenceInterval([0.99, 0.999, 0.9]).upper).toBeGreaterThan(1);
  });

  it('hold for any values (property): inside the bound and around the mean', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.constantFrom('ratios.errorRatio5xx', 'latency.mean', 'throughput', 'counters.retries'),
        (xs, metric) => {
          const e = metricEstimate(xs, metric);
          expect(e.lower!).toBeGreaterThanOrEqual(0);
          if (boundOf(metric) === 'unit') expect(e.upper!).toBeLessThanOrEqual(1);
          expect(e.lower!).toBeLessThanOrEqual(e.mean + 1e-12);
          expect(e.upper!).toBeGreaterThanOrEqual(e.mean - 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('all values on the bound give the degenerate interval there', () => {
    expect(metricEstimate([0, 0, 0], 'ratios.errorRatio5xx')).toMatchObject({ lower: 0, upper: 0 });
    expect(metricEstimate([1, 1], 'ratios.hitRatio')).toMatchObject({ lower: 1, upper: 1 });
  });

  it('a differences interval is the plain t interval (it may be negative)', () => {
    const d = [-2, 1, 3];
    const ci = confidenceInterval(d);
    const e = boundedEstimate(d, 'any');
    expect(e.lower).toBeCloseTo(ci.lower, 12);
    expect(e.upper).toBeCloseTo(ci.upper, 12);
  });
});

describe("a percentile's interval is never narrower than its histogram bucket", () => {
  it('the resolution at 18 ms is the 256 µs bucket (1.4%)', () => {
    expect(resolutionOf('latency.p99', 0.018)).toBeCloseTo(256e-6, 12);
    expect(resolutionOf('latency.mean', 0.018)).toBe(0); // a mean is exact
  });

  it('every replication in the same bucket no longer gives a half-width of 0', () => {
    const same = [0.018048, 0.018048, 0.018048, 0.018048];
    expect(confidenceInterval(same).halfWidth).toBe(0); // the old report
    const e = metricEstimate(same, 'latency.p99');
    expect(e.resolution).toBeCloseTo(256e-6, 12);
    expect(e.upper! - e.lower!).toBeCloseTo(256e-6, 12);
    expect(e.halfWidth).toBeCloseTo(128e-6, 12);
    const d = differenceEstimate([0, 0, 0, 0], 'latency.p99', 0.018048);
    expect(d.lower!).toBeCloseTo(-128e-6, 12);
    expect(d.upper!).toBeCloseTo(128e-6, 12);
  });
});
