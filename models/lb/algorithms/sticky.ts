import { z } from 'zod';
import type { SimTime } from '../../../engine/index.ts';
import { duration } from '../../core/units.ts';
import type { Balancer } from '../algorithm.ts';

/** The sticky-cookie options; `fallback` names the algorithm for unbound sessions. */
export const stickyOptionsSchema = z.strictObject({
  name: z.literal('sticky'),
  ttl: duration().default(3_600_000_000).describe('binding expires this long after last use'),
});

/**
 * Cookie stickiness (HAProxy `cookie SRV insert`, NGINX `sticky cookie`): a request whose session
 * is bound to an eligible backend goes there; unbound, expired or bound-to-a-down-backend
 * sessions are balanced by `inner` and (re)bound. Requests without a session are not bound.
 * Bindings are kept in last-use order so expired ones are pruned from the front.
 */
export function sticky(inner: Balancer, ttl: SimTime): Balancer {
  const bound = new Map<number, { backend: number; lastUsed: SimTime }>();
  const prune = (now: SimTime) => {
    for (const [session, b] of bound) {
      if (now - b.lastUsed <= ttl) break;
      bound.delete(session);
    }
  };
  const balancer: Balancer = {
    name: `sticky(${inner.name})`,
    cost: inner.cost,
    pick(view, req, rng) {
      const session = req.headers.session;
      if (session === undefined) return inner.pick(view, req, rng);
      prune(view.now);
      const b = bound.get(session);
      let i = b !== undefined && view.isEligible(b.backend) ? b.backend : -1;
      if (i < 0) i = inner.pick(view, req, rng);
      if (i < 0) return -1;
      bound.delete(session);
      bound.set(session, { backend: i, lastUsed: view.now });
      return i;
    },
  };
  if (inner.onStart !== undefined) balancer.onStart = inner.onStart.bind(inner);
  if (inner.onEnd !== undefined) balancer.onEnd = inner.onEnd.bind(inner);
  return balancer;
}
