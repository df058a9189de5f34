import { z } from 'zod';
import type { SimTime } from '../../../engine/index.ts';
import { duration } from '../../core/units.ts';
import type { SetCookie } from '../../http/messages.ts';
import type { BackendView, Balancer } from '../algorithm.ts';

/** The balancer's own cookie naming the backend (HAProxy `cookie SERVERID insert`, NGINX `sticky cookie`). */
export const stickyCookieSchema = z.strictObject({
  name: z.string().min(1).default('SERVERID').describe('cookie name (HAProxy: cookie SERVERID)'),
  maxAge: duration()
    .optional()
    .describe('NGINX sticky cookie expires=; omitted: a session cookie (HAProxy insert)'),
  path: z.string().regex(/^\//, 'a path starting with /').default('/').describe('Path attribute'),
  domain: z.string().min(1).optional().describe('Domain attribute; omitted: host-only'),
  secure: z.boolean().default(false).describe('Secure attribute (HAProxy `secure`)'),
});
/** Parsed sticky cookie options. */
export type StickyCookieConfig = z.output<typeof stickyCookieSchema>;

/** The sticky options; `fallback` names the algorithm for unbound sessions. */
export const stickyOptionsSchema = z.strictObject({
  name: z.literal('sticky'),
  by: z
    .enum(['cookie', 'session'])
    .default('cookie')
    .describe(
      "cookie: the balancer inserts a cookie naming the backend and the client's jar returns it (HAProxy cookie insert, NGINX sticky cookie); session: a table keyed by the app's session id (HAProxy stick-table, NGINX sticky learn)",
    ),
  ttl: duration()
    .default(3_600_000_000)
    .describe('by session: a binding expires this long after its last use'),
  cookie: stickyCookieSchema.prefault({}).describe('by cookie: the cookie the balancer inserts'),
});

/**
 * Session stickiness. With `cookie` (HAProxy `cookie SRV insert indirect`, NGINX `sticky
 * cookie`): a request whose cookie names an eligible backend goes there; otherwise `inner`
 * picks and the answer sets the cookie. Nothing is kept in the balancer. Without `cookie`
 * (HAProxy stick-table on the session cookie, NGINX `sticky learn`): a request whose session
 * is bound to an eligible backend goes there; unbound, expired or bound-to-a-down-backend
 * sessions are balanced by `inner` and (re)bound; requests without a session are not bound.
 * Bindings are kept in last-use order so expired ones are pruned from the front.
 */
export function sticky(inner: Balancer, ttl: SimTime, cookie?: StickyCookieConfig): Balancer {
  if (cookie !== undefined) return cookieSticky(inner, cookie);
  return sessionSticky(inner, ttl);
}

function sessionSticky(inner: Balancer, ttl: SimTime): Balancer {
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

function cookieSticky(inner: Balancer, cookie: StickyCookieConfig): Balancer {
  let names = new Map<string, number>();
  const indexOf = (view: BackendView, value: string): number => {
    if (names.size !== view.n) {
      names = new Map();
      for (let i = 0; i < view.n; i++) names.set(view.name(i), i);
    }
    return names.get(value) ?? -1;
  };
  const balancer: Balancer = {
    name: `sticky-cookie(${inner.name})`,
    cost: inner.cost,
    pick(view, req, rng) {
      const value = req.headers.cookies?.[cookie.name];
      if (value !== undefined) {
        const i = indexOf(view, value);
        // A cookie naming a down server is ignored (HAProxy without `option persist`).
        if (i >= 0 && view.isEligible(i)) return i;
      }
      return inner.pick(view, req, rng);
    },
    cookieFor(i, req, view) {
      const value = view.name(i);
      if (req.headers.cookies?.[cookie.name] === value) return undefined;
      const set: SetCookie = {
        name: cookie.name,
        value,
        path: cookie.path,
        secure: cookie.secure,
        ...(cookie.maxAge === undefined ? {} : { maxAge: Math.round(cookie.maxAge / 1_000_000) }),
        ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
      };
      return set;
    },
  };
  if (inner.onStart !== undefined) balancer.onStart = inner.onStart.bind(inner);
  if (inner.onEnd !== undefined) balancer.onEnd = inner.onEnd.bind(inner);
  return balancer;
}
