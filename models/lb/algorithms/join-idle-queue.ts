import { z } from 'zod';
import { type Balancer, randomEligible } from '../algorithm.ts';

/** Config of join-the-idle-queue (Lu et al., Performance Evaluation 2011). */
export const joinIdleQueueSchema = z.strictObject({ name: z.literal('join-idle-queue') });

/**
 * Join-the-idle-queue with one dispatcher: a backend whose in-flight count drops to zero joins
 * the dispatcher's I-queue (FIFO); an arrival takes the first still-idle eligible backend from
 * it, else a random eligible one. No probing per arrival. O(1) amortised.
 */
export function joinIdleQueue(): Balancer {
  const idle: number[] = [];
  let head = 0;
  let queued = new Uint8Array(0);
  let initialised = false;
  const push = (i: number) => {
    if (queued[i] === 1) return;
    queued[i] = 1;
    idle.push(i);
  };
  return {
    name: 'join-idle-queue',
    cost: 'O(1)',
    pick(view, _req, rng) {
      if (!initialised || queued.length !== view.n) {
        queued = new Uint8Array(view.n);
        idle.length = 0;
        head = 0;
        for (let i = 0; i < view.n; i++) push(i);
        initialised = true;
      }
      while (head < idle.length) {
        const i = idle[head++]!;
        queued[i] = 0;
        if (view.isEligible(i) && view.inflight(i) === 0) {
          if (head > 1024 && head * 2 > idle.length) {
            idle.splice(0, head);
            head = 0;
          }
          return i;
        }
      }
      idle.length = 0;
      head = 0;
      return randomEligible(view, rng);
    },
    onEnd(i) {
      if (queued.length > i) push(i);
    },
  };
}
