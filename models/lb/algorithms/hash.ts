import { z } from 'zod';
import type { Balancer } from '../algorithm.ts';
import { hashOnSchema, mix32, requestHash } from '../hashing.ts';

/** Config of modulo hashing (NGINX `hash $key` without `consistent`, HAProxy map-based). */
export const hashSchema = z.strictObject({ name: z.literal('hash'), on: hashOnSchema });
/** Parsed modulo-hash config. */
export type HashConfig = z.output<typeof hashSchema>;

/**
 * Modulo hashing over all backends: backend = hash(key) mod n. If that backend is not eligible
 * the hash is re-mixed up to 20 times (as NGINX rehashes), then the eligible list is used.
 * Membership changes remap most keys. O(1).
 */
export function hash(config: Omit<HashConfig, 'name'>): Balancer {
  return {
    name: 'hash',
    cost: 'O(1)',
    pick(view, req) {
      const e = view.eligible;
      if (e.length === 0) return -1;
      let h = requestHash(req, config.on);
      for (let t = 0; t < 20; t++) {
        const i = h % view.n;
        if (view.isEligible(i)) return i;
        h = mix32(h + t + 1);
      }
      return e[h % e.length]!;
    },
  };
}
