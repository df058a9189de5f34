import { describe, expect, it } from 'vitest';
import {
  confidenceInterval,
  createStream,
  LatencyHistogram,
  normal,
  studentTQuantile,
  TimeWeighted,
  Welford,
} from '../../../engine/index.ts';

describe('Welford', () => {
  it('matches the two-pass mean and sample variance, and merges like one stream', () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const w = new Welford();
    for (const x of xs) w.add(x);
    expect(w.count).toBe(4);
    expect(w.mean).toBe(1e9 + 10);
    expect(w.variance).toBeCloseTo(30, 9); // catastrophic cancellation would lose this
    const a = new Welford();
    const b = new Welford();
    a.add(xs[0]!);
    for (const x of xs.slice(1)) b.add(x);
    a.merge(b);
    expect(a.count).toBe(4);
    expect(a.mean).toBeCloseTo(w.mean, 6);
    expect(a.variance).toBeCloseTo(30, 6);
    a.merge(new Welford());
    expect(a.count).toBe(4);
    expect(new Welford().variance).toBe(0);
  });
});

describe('TimeWeighted', () => {
  it('integrates a queue with simultaneous changes and restarts after warm-up', () => {
    const q = new TimeWeighted(100, 2);
    q.add(110, 1); // 3 from 110
    q.add(110, 5); // 8 at 110 for zero time
    q.add(110, -6); // 2 from 110
    q.set(120, 0);
    expect(q.area(130)).toBe(2 * 10 + 2 * 10);
    expect(q.mean(140)).toBeCloseTo(40 / 40, 12);
    expect([q.max, q.min, q.current]).toEqual([8, 0, 0]);
    q.reset(140);
    q.set(150, 4);
    expect(q.area(160)).toBe(40);
    expect(q.mean(160)).toBe(2);
    expect([q.max, q.min]).toEqual([4, 0]);
    expect(q.mean(160)).toBe(2);
    expect(() => q.set(145, 1)).toThrow(RangeError);
    expect(new TimeWeighted(5, 3).mean(5)).toBe(3);
  });
});

describe('LatencyHistogram', () => {
  it('keeps values below 1 µs in a low bucket reported exactly when they are zeros', () => {
    const h = new LatencyHistogram();
    h.recordN(0, 90);
    h.recordN(5000, 10);
    expect(h.percentile(50)).toBe(0);
    expect(h.percentile(90)).toBe(0);
    expect(h.percentile(91)).toBe(5000);
    expect(h.mean).toBe(500);
    expect(h.count).toBe(100);
  });

  it('clamps values beyond 2^32 µs into an overflow bucket but keeps max exact', () => {
    const h = new LatencyHistogram();
    h.record(10);
    h.record(1e12);
    h.record(5e12);
    expect(h.max).toBe(5e12);
    expect(h.percentile(100)).toBe(5e12);
    expect(h.percentile(60)).toBe(5e12);
    expect(h.percentile(10)).toBe(10);
  });

  it('reports empty histograms as zeros, rejects bad input, and resets', () => {
    const h = new LatencyHistogram();
    expect([h.count, h.mean, h.min, h.max, h.percentile(99)]).toEqual([0, 0, 0, 0, 0]);
    expect(h.cdf()).toEqual([]);
    expect(() => h.record(-1)).toThrow(RangeError);
    expect(() => h.record(Number.NaN)).toThrow(RangeError);
    expect(() => h.percentile(101)).toThrow(RangeError);
    expect(() => h.recordN(1, 1.5)).toThrow(RangeError);
    h.record(42);
    h.reset();
    expect(h.toJSON()).toEqual(new LatencyHistogram().toJSON());
  });

  it('cdf gives increasing points ending at (max, 1)', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 1000; v++) h.record(v * 1000);
    const full = h.cdf();
    const ten = h.cdf(10);
    expect(ten).toHaveLength(10);
    expect(ten[9]).toEqual([1_000_000, 1]);
    expect(ten[4]![1]).toBe(0.5);
    expect(Math.abs(ten[4]![0] - 500_000) / 500_000).toBeLessThan(0.01);
    for (const pts of [full, ten]) {
      for (let i = 1; i < pts.length; i++) {
        expect(pts[i]![0]).toBeGreaterThanOrEqual(pts[i - 1]![0]);
        expect(pts[i]![1]).toBeGreaterThan(pts[i - 1]![1]);
      }
    }
    expect(full[full.length - 1]![1]).toBe(1);
  });

  it('fromJSON rejects inconsistent input', () => {
    const good = new LatencyHistogram();
    good.record(3);
    const json = good.toJSON();
    expect(() => LatencyHistogram.fromJSON({ ...json, count: 2 })).toThrow(/sum to 1/);
    expect(() => LatencyHistogram.fromJSON({ ...json, buckets: [99999, 1] })).toThrow(/range/);
  });
});

describe('confidenceInterval', () => {
  it('covers the true mean about 95% of the time (n = 5 normal samples)', () => {
    const d = normal(10, 3);
    const rng = createStream(11, 'ci', 'coverage');
    const trials = 4000;
    let covered = 0;
    for (let i = 0; i < trials; i++) {
      const xs = Array.from({ length: 5 }, () => d.sample(rng));
      const ci = confidenceInterval(xs);
      if (ci.lower <= 10 && 10 <= ci.upper) covered++;
    }
    const tol = 3.29 * Math.sqrt((0.95 * 0.05) / trials);
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(tol);
  });

  it('handles n = 1, constant samples and bad input', () => {
    expect(confidenceInterval([4]).halfWidth).toBe(Number.POSITIVE_INFINITY);
    expect(confidenceInterval([4, 4, 4]).halfWidth).toBe(0);
    expect(() => confidenceInterval([])).toThrow(RangeError);
    expect(() => confidenceInterval([1, 2], 1)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.959964, 6);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });
});
