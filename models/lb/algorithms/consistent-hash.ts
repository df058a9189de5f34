import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';
import { crc32 } from '../crc32.ts';
import { hashOnSchema, requestHash, requestText } from '../hashing.ts';
import { buildNginxRing, buildRing, type Ring, ringStart } from './ring.ts';

/** Config of ketama consistent hashing (NGINX `hash … consistent`, Envoy RING_HASH). */
export const consistentHashSchema = z.strictObject({
  name: z.literal('consistent-hash'),
  on: hashOnSchema,
  pointsPerServer: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(160)
    .describe('virtual nodes per unit weight'),
  ring: z
    .enum(['stacksim', 'nginx'])
    .default('stacksim')
    .describe(
      "stacksim: its own mixing hash; nginx: NGINX's ring (crc32 of host, port and the previous point over each backend's address) and crc32 of the key's text",
    ),
});
/** Parsed consistent-hash config. */
export type ConsistentHashConfig = z.output<typeof consistentHashSchema>;

/**
 * Ketama ring with virtual nodes: the key's hash is looked up by binary search and the ring is
 * walked clockwise to the first eligible backend, so when one of n backends leaves only its
 * ~1/n share of keys moves. O(log n) per pick.
 */
export function consistentHash(config: Omit<ConsistentHashConfig, 'name'>): Balancer {
  let ring: Ring | undefined;
  let builtFor = -1;
  const ensure = (view: BackendView): Ring => {
    if (ring === undefined || builtFor !== view.n) {
      ring =
        config.ring === 'nginx'
          ? buildNginxRing(view, config.pointsPerServer)
          : buildRing(view, config.pointsPerServer);
      builtFor = view.n;
    }
    return ring;
  };
  return {
    name: 'consistent-hash',
    cost: 'O(log n)',
    pick(view, req) {
      if (view.eligible.length === 0) return -1;
      const r = ensure(view);
      const len = r.points.length;
      const h =
        config.ring === 'nginx' ? crc32(requestText(req, config.on)) : requestHash(req, config.on);
      let k = ringStart(r, h);
      for (let step = 0; step < len; step++) {
        const i = r.owners[k]!;
        if (view.isEligible(i)) return i;
        k = k + 1 === len ? 0 : k + 1;
      }
      return view.eligible[0]!;
    },
  };
}
