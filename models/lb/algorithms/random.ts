import { z } from 'zod';
import { type BackendView, type Balancer, randomEligible } from '../algorithm.ts';

/** Config of uniform random choice (Envoy RANDOM). */
export const randomSchema = z.strictObject({ name: z.literal('random') });

/** Picks an eligible backend uniformly at random. O(1). */
export function random(): Balancer {
  return {
    name: 'random',
    cost: 'O(1)',
    pick: (view, _req, rng) => randomEligible(view, rng),
  };
}

/** Config of weight-proportional random choice (NGINX `random`). */
export const weightedRandomSchema = z.strictObject({ name: z.literal('weighted-random') });

/**
 * Picks an eligible backend with probability proportional to its effective weight, by binary
 * search over prefix sums rebuilt when the view's version changes. O(log n).
 */
export function weightedRandom(): Balancer {
  let version = -1;
  let prefix = new Float64Array(0);
  let order: readonly number[] = [];
  const rebuild = (view: BackendView) => {
    order = view.eligible;
    prefix = new Float64Array(order.length);
    let sum = 0;
    order.forEach((i, k) => {
      sum += view.weight(i);
      prefix[k] = sum;
    });
    version = view.version;
  };
  return {
    name: 'weighted-random',
    cost: 'O(log n)',
    pick(view, _req, rng) {
      if (version !== view.version || order !== view.eligible) rebuild(view);
      const m = order.length;
      if (m === 0) return -1;
      const x = rng.next() * prefix[m - 1]!;
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (prefix[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return order[lo]!;
    },
  };
}
