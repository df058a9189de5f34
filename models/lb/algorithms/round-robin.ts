import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';

/** Config of plain round robin (HAProxy `static-rr` with equal weights). */
export const roundRobinSchema = z.strictObject({ name: z.literal('round-robin') });

/** Cycles through the eligible backends in index order, ignoring weights. O(1). */
export function roundRobin(): Balancer {
  let next = 0;
  return {
    name: 'round-robin',
    cost: 'O(1)',
    pick(view: BackendView): number {
      const e = view.eligible;
      if (e.length === 0) return -1;
      if (next >= e.length) next = 0;
      return e[next++]!;
    },
  };
}
