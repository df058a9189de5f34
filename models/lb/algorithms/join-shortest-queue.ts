import { z } from 'zod';
import type { Balancer } from '../algorithm.ts';

/** Config of join-the-shortest-queue. ORACLE: reads the backends' true queues. */
export const joinShortestQueueSchema = z.strictObject({ name: z.literal('join-shortest-queue') });

/**
 * ORACLE, not a real product: joins the backend whose true number in system (view.peekQueue)
 * is smallest, random among ties. Without the peekQueue capability it uses the balancer's own
 * in-flight counts, which equal the true queues only when this balancer is the sole sender. O(n).
 */
export function joinShortestQueue(): Balancer {
  return {
    name: 'join-shortest-queue',
    cost: 'O(n)',
    pick(view, _req, rng) {
      const peek = view.peekQueue ?? ((i: number) => view.inflight(i));
      let best = -1;
      let bestLen = Number.POSITIVE_INFINITY;
      let ties = 0;
      for (const i of view.eligible) {
        const q = peek(i);
        if (q < bestLen) {
          bestLen = q;
          best = i;
          ties = 1;
        } else if (q === bestLen) {
          ties++;
          if (rng.next() * ties < 1) best = i;
        }
      }
      return best;
    },
  };
}
