// Links transmit in FIFO order (issue 18): a message waits for the bytes queued ahead of it in
// the same direction, then takes size ÷ bandwidth. With Poisson arrivals of exponentially sized
// messages the link is an M/M/1 queue, so the mean time from send to the last byte on the wire
// is 1/(μ − λ).
import { describe, expect, it } from 'vitest';
import { type Behavior, exponential, Simulation } from '../../../engine/index.ts';
import { linkSchema, Network } from '../../../models/net/network.ts';

interface Tick {
  readonly type: 'tick';
}
interface Sender {
  readonly net: { current?: Network };
  readonly sum: { total: number; n: number; max: number };
  readonly gapMean: number;
  readonly sizeMean: number;
  readonly until: number;
}
const TICK: Tick = { type: 'tick' };
const PROPAGATION = 5; // µs, the link's fixed one-way latency

const sender: Behavior<Sender> = {
  on: {
    tick: (s, _m: Tick, ctx) => {
      const size = exponential(s.sizeMean).sample(ctx.rng('size'));
      const d = s.net.current!.delay(ctx, ctx.lookup('b'), size);
      s.sum.total += d - PROPAGATION;
      s.sum.n++;
      s.sum.max = Math.max(s.sum.max, d - PROPAGATION);
      if (ctx.now < s.until)
        ctx.after(Math.max(1, exponential(s.gapMean).sample(ctx.rng('gap'))), TICK);
    },
  },
};

function sojourn(lambdaPerSecond: number, seconds: number, bandwidth: string, sizeMean: number) {
  const sim = new Simulation({ seed: 3 });
  const holder: { current?: Network } = {};
  const sum = { total: 0, n: 0, max: 0 };
  const a = sim.spawn('a', sender, {
    net: holder,
    sum,
    gapMean: 1e6 / lambdaPerSecond,
    sizeMean,
    until: seconds * 1e6,
  });
  sim.spawn('b', { on: {} } as Behavior<object>, {});
  const link = linkSchema.parse({ between: ['a', 'b'], latency: `${PROPAGATION}us`, bandwidth });
  holder.current = new Network(sim, [link]);
  sim.schedule(a, TICK, 0);
  sim.run({ until: seconds * 1e6 + 1 });
  return { mean: sum.total / sum.n / 1e6, n: sum.n };
}

describe('a link with bandwidth is a FIFO queue', () => {
  it('Poisson arrivals of exponential sizes reproduce M/M/1: W = 1/(μ − λ)', () => {
    // 1 MB/s and 1 000-byte messages on average: μ = 1 000/s
    for (const [lambda, tolerance] of [
      [500, 0.04],
      [800, 0.08],
    ] as const) {
      const { mean, n } = sojourn(lambda, 400, '1MB/s', 1000);
      expect(n).toBeGreaterThan(lambda * 390);
      const theory = 1 / (1000 - lambda);
      expect(Math.abs(mean - theory) / theory).toBeLessThan(tolerance);
    }
  });

  it('light traffic waits for nothing: the delay is size ÷ bandwidth', () => {
    const { mean } = sojourn(1, 2000, '1MB/s', 1000);
    expect(Math.abs(mean - 0.001) / 0.001).toBeLessThan(0.1);
  });
});
