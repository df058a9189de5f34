import type { Rng, SimTime } from '../../engine/index.ts';
import { BrowserCache } from '../cache/browser.ts';
import { createPolicy } from '../cache/policies/index.ts';
import type { HttpResponse } from '../http/messages.ts';
import type { BrowserCacheConfig } from './config.ts';
import type { ClientState, Job } from './job.ts';
import type { RequestSpec } from './mix.ts';

/** The browser (private HTTP) cache of one client actor and the clock its policy reads. */
export interface ClientBrowserCache {
  readonly cache: BrowserCache;
  /** Simulated time of the last access (time-aware policies read it). */
  now: SimTime;
}

/** Builds a client's browser cache; `rng` feeds randomised eviction policies. */
export function createClientBrowserCache(config: BrowserCacheConfig, rng: Rng): ClientBrowserCache {
  let now: SimTime = 0;
  const policy = createPolicy(config.policy, {
    capacity: config.capacity,
    rng,
    clock: () => now,
  });
  const cache = new BrowserCache(config.capacity, config.keepStale, policy);
  return {
    cache,
    get now() {
      return now;
    },
    set now(v: SimTime) {
      now = v;
    },
  };
}

/**
 * The browser cache key of a request: one bounded cache per client actor shared by its users,
 * keyed by (user, or client IP for anonymous requests; route; object key). Only GETs are cached.
 */
export function browserKey(spec: RequestSpec, clientIp: number): string | undefined {
  if (spec.method !== 'GET') return undefined;
  const who = spec.user > 0 ? `u${spec.user}` : `ip${clientIp}`;
  return `${who}\u0000${spec.route}\u0000${spec.key}`;
}

/** What the browser cache decided before a request starts. */
export interface BrowserDecision {
  /** A fresh entry: the request ends at the client with status 200, latency 0. */
  readonly hit: boolean;
  /** The spec to send (with If-None-Match when a stale entry has an ETag). */
  readonly spec: RequestSpec;
}

/** Looks a request up in the client's browser cache; counts hits/misses/revalidations. */
export function consultBrowser(
  state: ClientState,
  now: SimTime,
  key: string,
  spec: RequestSpec,
): BrowserDecision {
  const b = state.browser!;
  b.now = now;
  const found = b.cache.lookup(key, now);
  if (found.state === 'fresh') {
    state.probe.count('hits', now);
    return { hit: true, spec };
  }
  state.probe.count('misses', now);
  if (found.state === 'stale' && found.etag !== undefined) {
    state.probe.count('revalidations', now);
    return { hit: false, spec: { ...spec, headers: { ...spec.headers, ifNoneMatch: found.etag } } };
  }
  return { hit: false, spec };
}

/**
 * Offers a final response to the browser cache. A 304 to a conditional request refreshes the
 * entry and the user sees the cached 200; other statuses pass through unchanged.
 */
export function storeInBrowser(
  state: ClientState,
  now: SimTime,
  job: Job,
  res: HttpResponse,
): number {
  const b = state.browser;
  if (b === undefined || job.browserKey === undefined) return res.status;
  b.now = now;
  const held = b.cache.store(job.browserKey, res.status, res.headers, res.size, now);
  if (res.status === 304 && job.spec.headers.ifNoneMatch !== undefined && held) {
    state.probe.count('notModified', now);
    return 200;
  }
  return res.status;
}
