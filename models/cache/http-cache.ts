import type { ActorRef, Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import type { UserFactory } from '../core/user-algorithm.ts';
import {
  addPhase,
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponse,
  type HttpResponseMessage,
  reply,
  response,
  throughIntermediary,
} from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import { policyFor } from './config.ts';
import { type HttpCacheConfig, httpCacheSchema } from './http-cache-config.ts';
import { type CacheEntry, TtlCache } from './ttl-cache.ts';

/** What an http-cache stores per key. */
export interface StoredResponse {
  readonly status: number;
  readonly etag: string;
  /** Upstream fetch duration in µs (XFetch's delta). */
  readonly delta: SimTime;
}

interface Waiter {
  readonly msg: HttpRequestMessage;
  readonly arrived: SimTime;
}

/** One upstream fetch in flight: who waits for it and what to do with the answer. */
interface Fetch {
  readonly key: string;
  readonly waiters: Waiter[];
  readonly started: SimTime;
  /** Background refresh (stale-while-revalidate): nobody waits. */
  readonly background: boolean;
  /** A write forwarded to the upstream: the answer is passed through, never stored. */
  readonly write: boolean;
  readonly timer: number;
}

/** Plain state of one http-cache actor. */
export interface HttpCacheState {
  readonly config: HttpCacheConfig;
  readonly id: string;
  readonly upstreamIds: readonly string[];
  readonly probe: Probe;
  readonly network: Network;
  readonly lookup: Distribution;
  cache: TtlCache<StoredResponse> | undefined;
  upstream: ActorRef[];
  rr: number;
  nextTag: number;
  readonly fetches: Map<number, Fetch>;
  /** Key → tag of the fetch others may join (coalescing, background refresh). */
  readonly inflight: Map<string, number>;
  /** Key → when its stored copy expires, and whether that expiry was counted (≤ 100 000 keys). */
  readonly copies: Map<string, { expiresAt: SimTime; counted: boolean }>;
  down: boolean;
  now: SimTime;
  version: number;
  /** Factories of user modules (a user cache policy); set by build from BuildEnv. */
  userAlgorithm?: ((module: string) => UserFactory) | undefined;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const keyOf = (req: HttpRequest) => `${req.route}\u0000${req.key}`;

function answer(s: HttpCacheState, ctx: Context, w: Waiter, res: HttpResponse): void {
  s.network.send(ctx, w.msg.replyTo, reply(w.msg.req, w.msg.tag, res), res.size);
  s.probe.complete(ctx.now, res.status, ctx.now - w.arrived);
}

function fromEntry(s: HttpCacheState, w: Waiter, e: CacheEntry<StoredResponse>, now: SimTime) {
  const v = e.value;
  if (w.msg.req.headers.ifNoneMatch === v.etag && v.status === 200) {
    return response(304, s.id, 'not-modified', 0, { etag: v.etag });
  }
  const maxAge = Math.max(0, Math.floor((e.expiresAt - now) / 1e6));
  return response(v.status, s.id, now < e.expiresAt ? 'cache-hit' : 'cache-stale', e.size, {
    maxAge,
    etag: v.etag,
  });
}

function startFetch(
  s: HttpCacheState,
  ctx: Context,
  req: HttpRequest,
  waiters: Waiter[],
  opts: { background?: boolean; write?: boolean; etag?: string; early?: boolean },
): void {
  const tag = s.nextTag++;
  const key = keyOf(req);
  const timeout = { type: 'hc.timeout', tag };
  const timer = ctx.timeout(s.config.upstreamTimeout, timeout);
  const fetch: Fetch = {
    key,
    waiters,
    started: ctx.now,
    background: opts.background ?? false,
    write: opts.write ?? false,
    timer,
  };
  s.fetches.set(tag, fetch);
  const joinable = s.config.stampede === 'coalesce' || fetch.background || opts.early === true;
  if (!fetch.write && joinable) s.inflight.set(key, tag);
  const out: HttpRequest =
    opts.etag === undefined ? req : { ...req, headers: { ...req.headers, ifNoneMatch: opts.etag } };
  const to = s.upstream[s.rr++ % s.upstream.length]!;
  const msg: HttpRequestMessage = { type: 'http.request', req: out, replyTo: ctx.self, tag };
  s.probe.count('upstream', ctx.now);
  if (opts.etag !== undefined) s.probe.count('revalidations', ctx.now);
  s.network.send(ctx, to, msg, out.size);
}

/** The TTL (µs) to store a response for, or 0 when it is not cacheable. */
function ttlFor(c: HttpCacheConfig, res: HttpResponse): number {
  if (res.status === 404) return c.negativeTtl;
  if (res.status !== 200) return 0;
  if (c.honorCacheControl && res.headers.maxAge !== undefined) return res.headers.maxAge * 1e6;
  return c.ttl ?? 0;
}

function finish(s: HttpCacheState, ctx: Context, tag: number, res: HttpResponse | undefined): void {
  const f = s.fetches.get(tag);
  if (f === undefined) return;
  s.fetches.delete(tag);
  ctx.cancel(f.timer);
  if (s.inflight.get(f.key) === tag) s.inflight.delete(f.key);
  const c = s.config;
  const cache = s.cache!;
  const failed = res === undefined || res.status >= 500;
  if (f.write) {
    cache.delete(f.key);
    for (const w of f.waiters) answer(s, ctx, w, res ?? response(504, s.id, 'upstream-timeout'));
    return;
  }
  let entry = cache.peek(f.key);
  if (!failed && res.status === 304 && entry !== undefined) {
    s.probe.count('notModified', ctx.now);
    const ttl = entry.ttl;
    cache.set(
      f.key,
      { ...entry.value, delta: ctx.now - f.started },
      entry.size,
      ttl,
      ctx.now,
      staleWindow(c),
    );
  } else if (!failed) {
    const ttl = ttlFor(c, res);
    if (ttl > 0) {
      const etag = res.headers.etag ?? `"${s.id}-${++s.version}"`;
      const value: StoredResponse = { status: res.status, etag, delta: ctx.now - f.started };
      cache.set(f.key, value, res.size, ttl, ctx.now, staleWindow(c));
      if (s.copies.size >= 100_000) s.copies.clear();
      s.copies.set(f.key, { expiresAt: ctx.now + ttl, counted: false });
    } else cache.delete(f.key);
  }
  entry = cache.peek(f.key);
  // requests that joined another's fetch (coalescing) waited on it: say so, not "network"
  for (let i = f.background ? 0 : 1; i < f.waiters.length; i++) {
    const w = f.waiters[i]!;
    addPhase(w.msg.req, 'coalesced', s.id, w.arrived, ctx.now);
  }
  for (const w of f.waiters) {
    if (failed && entry !== undefined && ctx.now < entry.expiresAt + c.staleIfError) {
      s.probe.count('staleIfError', ctx.now);
      answer(s, ctx, w, fromEntry(s, w, entry, ctx.now));
    } else if (!failed && res.status !== 304) answer(s, ctx, w, res);
    else if (!failed && entry !== undefined) answer(s, ctx, w, fromEntry(s, w, entry, ctx.now));
    else answer(s, ctx, w, res ?? response(504, s.id, 'upstream-timeout'));
  }
}

/**
 * Counts 'expiries': a key's cached copy ran out — once per copy, however many requests miss
 * on it at the same time. With 'expiryFetches' (origin fetches started for an expired copy,
 * early refreshes included, cold misses not) this gives the origin fetches per expiry: 1 with
 * coalescing or XFetch, the number of concurrent misses without.
 */
function expired(s: HttpCacheState, key: string, now: SimTime): boolean {
  const copy = s.copies.get(key);
  if (copy === undefined || now < copy.expiresAt) return false;
  if (!copy.counted) s.probe.count('expiries', now);
  copy.counted = true;
  return true;
}

function staleWindow(c: HttpCacheConfig): number {
  return Math.max(c.staleWhileRevalidate, c.staleIfError, c.revalidate ? 3_600_000_000 : 0);
}

function handle(s: HttpCacheState, ctx: Context, w: Waiter): void {
  const req = w.msg.req;
  const c = s.config;
  const cache = s.cache!;
  const key = keyOf(req);
  if (WRITES.has(req.method)) {
    if (cache.delete(key)) s.probe.count('invalidations', ctx.now);
    startFetch(s, ctx, req, [w], { write: true });
    return;
  }
  const e = cache.lookup(key, ctx.now);
  const now = ctx.now;
  if (e !== undefined && now < e.expiresAt) {
    const early =
      c.stampede === 'xfetch' &&
      now - e.value.delta * c.xfetchBeta * Math.log(1 - ctx.rng('xfetch').next()) >= e.expiresAt;
    // One early refresh at a time: while it is in flight, others keep getting the fresh copy.
    if (!early || s.inflight.has(key)) {
      s.probe.count('hits', now);
      answer(s, ctx, w, fromEntry(s, w, e, now));
      return;
    }
    s.probe.count('earlyRefresh', now);
    s.probe.count('expiries', now);
    s.probe.count('expiryFetches', now);
    s.probe.count('misses', now);
    startFetch(s, ctx, req, [w], { early: true });
    return;
  }
  if (e !== undefined && now >= e.expiresAt && now < e.expiresAt + c.staleWhileRevalidate) {
    s.probe.count('hits', now);
    s.probe.count('staleServed', now);
    if (!s.inflight.has(key)) {
      if (expired(s, key, now)) s.probe.count('expiryFetches', now);
      startFetch(s, ctx, req, [], { background: true });
    }
    answer(s, ctx, w, fromEntry(s, w, e, now));
    return;
  }
  s.probe.count('misses', now);
  const ranOut = expired(s, key, now);
  const joined = s.inflight.get(key);
  // Coalescing joins the fetch in flight, a background refresh included: past the grace,
  // Varnish puts the request on the busy object's waiting list rather than fetch again.
  if (joined !== undefined && c.stampede === 'coalesce') {
    s.probe.count('coalesced', now);
    s.fetches.get(joined)!.waiters.push(w);
    return;
  }
  if (ranOut) s.probe.count('expiryFetches', now);
  const etag = c.revalidate && e !== undefined && e.value.status === 200 ? e.value.etag : undefined;
  startFetch(s, ctx, req, [w], etag === undefined ? {} : { etag });
}

interface Lookup {
  readonly type: 'hc.lookup';
  readonly w: Waiter;
}

/** The http-cache actor. */
export const httpCacheBehavior: Behavior<HttpCacheState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.cache = new TtlCache(
        policyFor(s.config, ctx.rng('evict'), () => s.now, undefined, s.userAlgorithm),
        {
          sliding: s.config.sliding,
        },
      );
      for (const id of s.upstreamIds) s.upstream.push(ctx.lookup(id));
    },
    'http.request': (s, msg: HttpRequestMessage, ctx) => {
      s.probe.arrive(ctx.now);
      const w: Waiter = { msg, arrived: ctx.now };
      if (s.down) {
        answer(s, ctx, w, response(503, s.id, 'cache-down'));
        return;
      }
      const look: Lookup = { type: 'hc.lookup', w };
      ctx.after(s.lookup.sample(ctx.rng('lookup')), look);
    },
    'hc.lookup': (s, m: Lookup, ctx) => {
      s.now = ctx.now;
      if (s.down) {
        answer(s, ctx, m.w, response(503, s.id, 'cache-down'));
        return;
      }
      handle(s, ctx, m.w);
    },
    'http.response': (s, m: HttpResponseMessage, ctx) => {
      s.now = ctx.now;
      finish(s, ctx, m.tag, throughIntermediary(m.res, s.id));
    },
    'hc.timeout': (s, m: { tag: number }, ctx) => finish(s, ctx, m.tag, undefined),
    'fault.crash': (s, _m, ctx) => {
      s.down = true;
      for (const [tag, f] of [...s.fetches]) {
        s.fetches.delete(tag);
        ctx.cancel(f.timer);
        for (const w of f.waiters) answer(s, ctx, w, response(503, s.id, 'cache-down'));
      }
      s.inflight.clear();
      s.cache!.clear();
    },
    'fault.restart': (s) => {
      s.down = false;
    },
  },
};

/** The http-cache component kind: CDN edge / reverse-proxy response cache on the request path. */
export const httpCacheKind = defineComponent({
  type: 'http-cache',
  description:
    'HTTP response cache (CDN edge, nginx proxy_cache, Varnish): TTLs from max-age or config, negative caching, stale-while-revalidate/if-error, ETag revalidation, invalidation on writes, stampede control (coalescing, XFetch).',
  schema: httpCacheSchema,
  replicable: true,
  references: (c) => [
    { path: ['upstream'], id: c.upstream, acceptsGroup: true, carriesRequests: true },
  ],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    const ids = env.members(instance.config.upstream);
    const state = httpCacheState(instance.config, instance.actorId, probe, env.network, ids);
    state.userAlgorithm = env.userAlgorithm;
    env.sim.spawn(instance.actorId, httpCacheBehavior, state);
  },
});

/** Initial state of an http-cache actor (upstream ids resolved at start). */
export function httpCacheState(
  config: HttpCacheConfig,
  id: string,
  probe: Probe,
  network: Network,
  upstreamIds: readonly string[] = [config.upstream],
): HttpCacheState {
  return {
    config,
    id,
    upstreamIds,
    probe,
    network,
    lookup: buildDurationDist(config.lookupLatency),
    cache: undefined,
    upstream: [],
    rr: 0,
    nextTag: 1,
    fetches: new Map(),
    inflight: new Map(),
    copies: new Map(),
    down: false,
    now: 0,
    version: 0,
  };
}
