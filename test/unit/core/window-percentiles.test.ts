import { describe, expect, it } from 'vitest';
import { createStream, exponential } from '../../../engine/index.ts';
import {
  Probe,
  WINDOW_BUCKETS,
  windowBucket,
  windowBucketValue,
  windowPercentile,
} from '../../../models/core/probe.ts';
import { componentSeries } from '../../../models/scenario/results.ts';

describe('per-window latency percentiles', () => {
  it('a bucket value is within 4.5% of every latency in the bucket', () => {
    for (const v of [1, 1.5, 7, 99, 1_000, 12_345, 2_000_000, 3.5e9]) {
      const rep = windowBucketValue(windowBucket(v));
      expect(Math.abs(rep - v) / v).toBeLessThan(0.045);
    }
    expect(windowBucket(0)).toBe(0);
    expect(windowBucket(1e15)).toBe(WINDOW_BUCKETS - 1);
  });

  it('window percentiles follow a change of latency between windows', () => {
    const p = new Probe('users', 'users', 0, 1_000_000);
    p.series.trackPercentiles();
    const rng = createStream(1, 'test', 'lat');
    const fast = exponential(10_000);
    const slow = exponential(200_000);
    for (let i = 0; i < 5_000; i++) p.arrive(0);
    for (let i = 0; i < 5_000; i++) p.complete(500_000, 200, fast.sample(rng));
    for (let i = 0; i < 5_000; i++) p.arrive(1_000_000);
    for (let i = 0; i < 5_000; i++) p.complete(1_500_000, 200, slow.sample(rng));
    const s = componentSeries('users', [p]);
    const p99 = s.metrics.latencyP99!;
    const p50 = s.metrics.latencyP50!;
    // Exponential: p50 = mean·ln 2, p99 = mean·ln 100 (seconds), within bucket error + noise.
    expect(p50[0]! / (0.01 * Math.LN2)).toBeGreaterThan(0.9);
    expect(p50[0]! / (0.01 * Math.LN2)).toBeLessThan(1.1);
    expect(p99[1]! / (0.2 * Math.log(100))).toBeGreaterThan(0.88);
    expect(p99[1]! / (0.2 * Math.log(100))).toBeLessThan(1.12);
    expect(p99[1]!).toBeGreaterThan(10 * p99[0]!);
  });

  it('an empty histogram has percentile 0 and untracked probes add no percentile series', () => {
    expect(windowPercentile(new Uint32Array(WINDOW_BUCKETS), 99)).toBe(0);
    const p = new Probe('app', 'app', 0);
    p.arrive(0);
    p.complete(10, 200, 10);
    expect(componentSeries('app', [p]).metrics.latencyP99).toBeUndefined();
  });
});
