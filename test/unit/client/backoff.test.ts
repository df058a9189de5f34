import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { backoffSchema, backoffSleep, baseSleep } from '../../../models/client/backoff.ts';

const cfg = backoffSchema.parse({ kind: 'exponential', base: '100ms', cap: '1s' });
const rng = () => createStream(3, 'c', 'backoff');

describe('backoff and jitter (AWS formulas)', () => {
  it('exponential: min(cap, base × 2^n)', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => baseSleep(cfg, n))).toEqual([
      100_000, 200_000, 400_000, 800_000, 1_000_000, 1_000_000,
    ]);
  });

  it('constant and none', () => {
    expect(baseSleep(backoffSchema.parse({ kind: 'constant', base: '50ms' }), 5)).toBe(50_000);
    expect(backoffSleep(backoffSchema.parse({ kind: 'none' }), 'full', 3, 0, rng())).toBe(0);
  });

  it('no jitter sleeps exactly the schedule', () => {
    expect(backoffSleep(cfg, 'none', 2, 0, rng())).toBe(400_000);
  });

  it('full jitter: uniform on [0, t], mean t/2', () => {
    const r = rng();
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const s = backoffSleep(cfg, 'full', 2, 0, r);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(400_000);
      sum += s;
    }
    expect(sum / 20_000).toBeGreaterThan(196_000);
    expect(sum / 20_000).toBeLessThan(204_000);
  });

  it('equal jitter: within [t/2, t]', () => {
    const r = rng();
    for (let i = 0; i < 2_000; i++) {
      const s = backoffSleep(cfg, 'equal', 3, 0, r);
      expect(s).toBeGreaterThanOrEqual(400_000);
      expect(s).toBeLessThanOrEqual(800_000);
    }
  });

  it('decorrelated jitter: min(cap, U(base, 3 × previous))', () => {
    const r = rng();
    let prev = 0;
    let max = 0;
    for (let i = 0; i < 2_000; i++) {
      const s = backoffSleep(cfg, 'decorrelated', i, prev, r);
      expect(s).toBeGreaterThanOrEqual(100_000);
      expect(s).toBeLessThanOrEqual(Math.min(1_000_000, 3 * Math.max(prev, 100_000)));
      max = Math.max(max, s);
      prev = s;
    }
    expect(max).toBeGreaterThan(900_000);
  });
});
