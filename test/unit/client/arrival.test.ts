import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import {
  type ArrivalConfig,
  arrivalSchema,
  nextArrival,
  scheduleRate,
} from '../../../models/client/arrival.ts';

type Gen = Exclude<ArrivalConfig, { process: 'replay' }>;

function arrivals(raw: unknown, horizon: number, factor = 1, seed = 7): number[] {
  const config = arrivalSchema.parse(raw) as Gen;
  const rng = createStream(seed, 'client', 'arrival');
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t = nextArrival(config, t, factor, rng);
    if (t >= horizon) return out;
    out.push(t);
  }
}

/** |count - mean| within 4.5 standard deviations of a Poisson count. */
function expectPoissonCount(count: number, mean: number): void {
  expect(Math.abs(count - mean)).toBeLessThan(4.5 * Math.sqrt(mean));
}

describe('arrival processes', () => {
  it('poisson: the count over 100 s matches rate × time', () => {
    expectPoissonCount(arrivals({ process: 'poisson', rate: '50/s' }, 100e6).length, 5000);
  });

  it('poisson: inter-arrival gaps have mean 1/rate and CV ≈ 1', () => {
    const a = arrivals({ process: 'poisson', rate: '100/s' }, 200e6);
    const gaps = a.map((t, i) => t - (i === 0 ? 0 : a[i - 1]!));
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((x, g) => x + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan(9_700);
    expect(mean).toBeLessThan(10_300);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
  });

  it('constant: exactly rate × time arrivals, evenly spaced', () => {
    const a = arrivals({ process: 'constant', rate: '20/s' }, 10e6 + 1);
    expect(a.length).toBe(200);
    expect(a[1]! - a[0]!).toBeCloseTo(50_000, 6);
  });

  it('the load factor scales the rate', () => {
    expectPoissonCount(arrivals({ process: 'poisson', rate: '50/s' }, 100e6, 3).length, 15000);
  });

  it('on-off: arrivals only in on periods, at the on rate', () => {
    const a = arrivals({ process: 'on-off', rate: '100/s', on: '2s', off: '8s' }, 200e6);
    for (const t of a) expect(t % 10e6).toBeLessThan(2e6);
    expectPoissonCount(a.length, 100 * 2 * 20);
  });

  it('schedule: piecewise-linear rate via thinning (a ramp 0 → 200/s over 100 s)', () => {
    const raw = {
      process: 'schedule',
      points: [
        ['0s', '0/s'],
        ['100s', '200/s'],
      ],
    };
    const a = arrivals(raw, 100e6);
    expectPoissonCount(a.length, 10_000);
    const firstHalf = a.filter((t) => t < 50e6).length;
    expectPoissonCount(firstHalf, 2_500);
  });

  it('schedule: flat after the last point and interpolated in between', () => {
    const points: [number, number][] = [
      [0, 100],
      [10e6, 300],
    ];
    expect(scheduleRate(points, 5e6)).toBe(200);
    expect(scheduleRate(points, 50e6)).toBe(300);
    const raw = {
      process: 'schedule',
      points: [
        ['0s', '100/s'],
        ['10s', '300/s'],
      ],
    };
    expectPoissonCount(arrivals(raw, 60e6).filter((t) => t >= 10e6).length, 15_000);
  });

  it('rejects schedules whose times do not increase', () => {
    const bad = {
      process: 'schedule',
      points: [
        ['5s', '1/s'],
        ['1s', '2/s'],
      ],
    };
    expect(arrivalSchema.safeParse(bad).success).toBe(false);
  });
});
