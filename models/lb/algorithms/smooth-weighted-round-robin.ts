import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';

/** Config of NGINX's default algorithm, smooth weighted round robin. */
export const smoothWeightedRoundRobinSchema = z.strictObject({
  name: z.literal('smooth-weighted-round-robin'),
});

/**
 * NGINX's smooth weighted round robin (ngx_http_upstream_get_peer): every eligible backend's
 * current weight grows by its weight, the largest wins and pays back the total. Weights 5,1,1
 * give a a b a c a a. O(n) per pick, like NGINX.
 */
export function smoothWeightedRoundRobin(): Balancer {
  let current = new Float64Array(0);
  return {
    name: 'smooth-weighted-round-robin',
    cost: 'O(n)',
    pick(view: BackendView): number {
      if (current.length !== view.n) current = new Float64Array(view.n);
      let best = -1;
      let total = 0;
      for (const i of view.eligible) {
        const w = view.weight(i);
        current[i]! += w;
        total += w;
        if (best < 0 || current[i]! > current[best]!) best = i;
      }
      if (best >= 0) current[best]! -= total;
      return best;
    },
  };
}
