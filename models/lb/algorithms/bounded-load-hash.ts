import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';
import { hashOnSchema, requestHash } from '../hashing.ts';
import { buildRing, type Ring, ringStart } from './ring.ts';

/** Config of consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018). */
export const boundedLoadHashSchema = z.strictObject({
  name: z.literal('bounded-load-hash'),
  on: hashOnSchema,
  pointsPerServer: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(160)
    .describe('virtual nodes per unit weight'),
  balanceFactor: z
    .number()
    .min(1)
    .max(100)
    .default(1.25)
    .describe('c: no backend takes more than ceil(c × average load)'),
});
/** Parsed bounded-load config. */
export type BoundedLoadHashConfig = z.output<typeof boundedLoadHashSchema>;

/** The cap on one backend's in-flight count when the next request arrives: ceil(c × (m+1) / n). */
export function boundedLoadCap(view: BackendView, factor: number): number {
  return Math.ceil((factor * (view.totalInflight + 1)) / view.eligible.length);
}

/**
 * Consistent hashing with bounded loads (HAProxy `hash-balance-factor`, Envoy
 * `hash_balance_factor`): walk the ring from the key's point and take the first eligible
 * backend whose in-flight count is below the cap. A backend never exceeds the cap. O(log n)
 * lookup plus a walk past overloaded backends.
 */
export function boundedLoadHash(config: Omit<BoundedLoadHashConfig, 'name'>): Balancer {
  let ring: Ring | undefined;
  let builtFor = -1;
  return {
    name: 'bounded-load-hash',
    cost: 'O(log n)',
    pick(view, req) {
      if (view.eligible.length === 0) return -1;
      if (ring === undefined || builtFor !== view.n) {
        ring = buildRing(view, config.pointsPerServer);
        builtFor = view.n;
      }
      const cap = boundedLoadCap(view, config.balanceFactor);
      const len = ring.points.length;
      let k = ringStart(ring, requestHash(req, config.on));
      for (let step = 0; step < len; step++) {
        const i = ring.owners[k]!;
        if (view.isEligible(i) && view.inflight(i) < cap) return i;
        k = k + 1 === len ? 0 : k + 1;
      }
      return view.eligible[0]!;
    },
  };
}
