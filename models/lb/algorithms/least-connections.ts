import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';

/** Config of least connections (NGINX `least_conn`, HAProxy `leastconn`). */
export const leastConnectionsSchema = z.strictObject({ name: z.literal('least-connections') });

/**
 * Full scan for the fewest in-flight requests per unit of weight (inflight / weight); ties go
 * round robin by starting each scan one position after the previous one. O(n).
 */
export function leastConnections(): Balancer {
  let start = 0;
  return {
    name: 'least-connections',
    cost: 'O(n)',
    pick(view: BackendView): number {
      const e = view.eligible;
      const m = e.length;
      if (m === 0) return -1;
      if (start >= m) start = 0;
      let best = -1;
      let bestScore = Number.POSITIVE_INFINITY;
      for (let k = 0; k < m; k++) {
        const i = e[(start + k) % m]!;
        const score = view.inflight(i) / view.weight(i);
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      start++;
      return best;
    },
  };
}
