import type { Context } from '../../engine/index.ts';
import { createLocalCache, type LocalCache, localCacheSchema } from '../cache/local.ts';
import type { HttpRequest, ResponseHeaders } from '../http/messages.ts';
import type { RouteSpec } from './app-schema.ts';
import type { AppState } from './app-state.ts';

/** The in-process cache used when a localCache step runs without a `localCache` config. */
const DEFAULT_LOCAL = localCacheSchema.parse({ capacity: 10_000 });

/**
 * The replica's in-process cache, built on first use with the replica's own random stream
 * (randomised policies) and clock; a crash drops it, so the restarted process starts cold.
 */
export function localCacheOf(s: AppState, ctx: Context): LocalCache {
  s.localNow = ctx.now;
  if (s.local === undefined) {
    s.local = createLocalCache(
      s.config.localCache ?? DEFAULT_LOCAL,
      ctx.rng('local-cache'),
      () => s.localNow,
    );
  }
  return s.local;
}

/** The local cache key of a request: route template and object key (or user id). */
export function localKey(req: HttpRequest, by: 'key' | 'user' = 'key'): string {
  return by === 'user' ? `${req.route}\u0001${req.user}` : `${req.route}\u0000${req.key}`;
}

/** Cache-Control max-age (whole seconds) and ETag headers a route's answers carry. */
export function cacheHeaders(route: RouteSpec): ResponseHeaders {
  const out: ResponseHeaders = {};
  if (route.maxAge !== undefined) out.maxAge = Math.floor(route.maxAge / 1e6);
  if (route.etag !== undefined) out.etag = route.etag;
  return out;
}
