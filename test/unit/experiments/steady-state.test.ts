import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { batchMeans, mser5 } from '../../../experiments/steady-state.ts';

function noise(seed: number, n: number): number[] {
  const rng = createStream(seed, 'test', 'noise');
  // sum of 4 uniforms: mean 0, sd ≈ 0.577
  return Array.from({ length: n }, () => rng.next() + rng.next() + rng.next() + rng.next() - 2);
}

describe('mser5', () => {
  it('truncates inside the transient of a series that decays from 10 to 0 over 200 points', () => {
    const e = noise(1, 2000);
    const series = e.map((x, i) => x + (i < 200 ? 10 * (1 - i / 200) : 0));
    const m = mser5(series);
    // the transient is the first 200 points; only its last few points are close to steady state
    expect(m.truncation).toBeGreaterThanOrEqual(120);
    expect(m.truncation).toBeLessThanOrEqual(220);
    expect(m.truncation % 5).toBe(0);
  });

  it('keeps (almost) everything of a stationary series', () => {
    expect(mser5(noise(2, 1000)).truncation).toBeLessThan(100);
  });

  it('never truncates more than half and returns 0 for tiny series', () => {
    const rising = Array.from({ length: 100 }, (_, i) => i);
    expect(mser5(rising).truncation).toBeLessThanOrEqual(50);
    expect(mser5([5, 1, 2]).truncation).toBe(0);
  });
});

describe('batchMeans', () => {
  it('gives the mean and a CI covering it for independent values, and no warning', () => {
    const values = noise(3, 2000).map((x) => x + 5);
    const b = batchMeans(values, undefined, 20);
    expect(b.batchSize).toBe(100);
    expect(b.dropped).toBe(0);
    expect(b.lower).toBeLessThan(5);
    expect(b.upper).toBeGreaterThan(5);
    expect(b.tooSmall).toBe(false);
  });

  it('warns when batches are too small for a strongly autocorrelated series', () => {
    // AR(1) with phi = 0.999: batches of 10 are far shorter than the correlation time
    const e = noise(4, 400);
    const x: number[] = [];
    let v = 0;
    for (const n of e) {
      v = 0.999 * v + n;
      x.push(v);
    }
    const b = batchMeans(x, undefined, 40);
    expect(b.tooSmall).toBe(true);
    expect(b.note).toMatch(/batches too small/);
  });

  it('weights windows (latency means by completions) and drops leading windows', () => {
    const b = batchMeans([100, 1, 3, 1, 3], [1, 1, 3, 1, 3], 2);
    expect(b.dropped).toBe(1);
    expect(b.mean).toBeCloseTo(2.5, 12);
  });
});
