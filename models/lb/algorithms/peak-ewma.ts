import { z } from 'zod';
import type { SimTime } from '../../../engine/index.ts';
import { duration } from '../../core/units.ts';
import { type BackendView, type Balancer, randomIndex } from '../algorithm.ts';

/** Config of Finagle/Linkerd peak-EWMA over power of two choices. */
export const peakEwmaSchema = z.strictObject({
  name: z.literal('peak-ewma'),
  decay: duration().default(10_000_000).describe('tau of the exponential decay (Finagle 10s)'),
  defaultRtt: duration().default(30_000).describe('cost before any observation (Linkerd 30ms)'),
});
/** Parsed peak-EWMA config. */
export type PeakEwmaConfig = z.output<typeof peakEwmaSchema>;

/**
 * Finagle's peak-EWMA: per backend a latency cost that jumps to any higher observation and
 * otherwise decays exponentially (tau = decay) toward new observations; load = cost × (pending
 * + 1). Two distinct random eligible backends are compared and the lower load wins. O(1).
 */
export function peakEwma(config: Omit<PeakEwmaConfig, 'name'>): Balancer {
  const tau = config.decay;
  let cost = new Float64Array(0);
  let stamp = new Float64Array(0);
  const ensure = (n: number) => {
    if (cost.length !== n) {
      cost = new Float64Array(n).fill(config.defaultRtt);
      stamp = new Float64Array(n);
    }
  };
  const load = (view: BackendView, i: number): number => {
    const w = Math.exp(-Math.max(0, view.now - stamp[i]!) / tau);
    return cost[i]! * w * (view.inflight(i) + 1);
  };
  return {
    name: 'peak-ewma',
    cost: 'O(1)',
    pick(view, _req, rng) {
      ensure(view.n);
      const e = view.eligible;
      const m = e.length;
      if (m === 0) return -1;
      if (m === 1) return e[0]!;
      const a = randomIndex(rng, m);
      let b = randomIndex(rng, m - 1);
      if (b >= a) b++;
      const ia = e[a]!;
      const ib = e[b]!;
      return load(view, ib) < load(view, ia) ? ib : ia;
    },
    onEnd(i: number, now: SimTime, latencyUs: number) {
      if (i >= cost.length) return;
      if (latencyUs > cost[i]!) cost[i] = latencyUs;
      else {
        const w = Math.exp(-Math.max(0, now - stamp[i]!) / tau);
        cost[i] = cost[i]! * w + latencyUs * (1 - w);
      }
      stamp[i] = now;
    },
  };
}
