import { describe, expect, it } from 'vitest';
import { type Behavior, type Context, deriveSeed, Simulation } from '../../../engine/index.ts';

// An M/M/1 queue written directly against the engine: a source actor sends customers to a
// server actor. The mean time in system must match 1/(μ − λ) within a 95% interval.

const T_975_DF9 = 2.262; // Student-t 0.975 quantile, 9 degrees of freedom
const REPLICATIONS = 10;

interface Params {
  readonly lambda: number; // per second
  readonly mu: number;
  readonly warmup: number; // customers discarded at the start
  readonly customers: number; // customers measured after the warm-up
}

interface Server {
  readonly params: Params;
  readonly waiting: number[]; // arrival times, the one in service first
  head: number;
  departed: number;
  sum: number;
}

const exp = (ctx: Context, purpose: string, rate: number): number =>
  (-Math.log(1 - ctx.rng(purpose).next()) * 1e6) / rate;

const source: Behavior<{ readonly server: number; readonly lambda: number }> = {
  on: {
    'sim.start': (s, _m, ctx) => ctx.after(exp(ctx, 'arrivals', s.lambda), { type: 'arrive' }),
    arrive: (s, _m, ctx) => {
      ctx.send(s.server, { type: 'customer' });
      ctx.after(exp(ctx, 'arrivals', s.lambda), { type: 'arrive' });
    },
  },
};

const server: Behavior<Server> = {
  on: {
    customer: (s, _m, ctx) => {
      s.waiting.push(ctx.now);
      if (s.waiting.length - s.head === 1)
        ctx.after(exp(ctx, 'service', s.params.mu), { type: 'done' });
    },
    done: (s, _m, ctx) => {
      const arrived = s.waiting[s.head++]!;
      if (s.head > 4096) {
        s.waiting.splice(0, s.head);
        s.head = 0;
      }
      s.departed++;
      if (s.departed > s.params.warmup) s.sum += ctx.now - arrived;
      if (s.departed === s.params.warmup + s.params.customers) ctx.stop();
      else if (s.waiting.length > s.head)
        ctx.after(exp(ctx, 'service', s.params.mu), { type: 'done' });
    },
  },
};

/** Mean time in system in seconds over one replication. */
function replicate(seed: number, params: Params): number {
  const sim = new Simulation({ seed, fingerprint: false });
  const state: Server = { params, waiting: [], head: 0, departed: 0, sum: 0 };
  const ref = sim.spawn('server', server, state);
  sim.spawn('source', source, { server: ref, lambda: params.lambda });
  expect(sim.run().reason).toBe('stopped');
  return state.sum / params.customers / 1e6;
}

/** Student-t 95% interval of the mean over the replications. */
function interval(samples: readonly number[]): { mean: number; low: number; high: number } {
  const n = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const variance = samples.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = T_975_DF9 * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

describe('M/M/1 on the engine', () => {
  const cases: readonly (Params & { readonly name: string })[] = [
    { name: 'ρ = 0.5', lambda: 0.5, mu: 1, warmup: 2_000, customers: 40_000 },
    { name: 'ρ = 0.9', lambda: 0.9, mu: 1, warmup: 20_000, customers: 200_000 },
  ];
  for (const c of cases) {
    it(`${c.name}: mean time in system matches 1/(μ − λ) within a 95% interval`, () => {
      const theory = 1 / (c.mu - c.lambda);
      const seeds = Array.from({ length: REPLICATIONS }, (_, i) => deriveSeed(20_240_601, i));
      const ci = interval(seeds.map((seed) => replicate(seed, c)));
      expect(ci.low).toBeLessThanOrEqual(theory);
      expect(ci.high).toBeGreaterThanOrEqual(theory);
      // The interval is tight enough to reject a 10% error either way.
      expect(ci.high).toBeLessThan(theory * 1.1);
      expect(ci.low).toBeGreaterThan(theory * 0.9);
    });
  }
});
