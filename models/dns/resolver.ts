import type { ActorRef, Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { createPolicy } from '../cache/policies/index.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import type { Network } from '../net/network.ts';
import type { AuthAnswer } from './authoritative.ts';
import type { DnsAnswer, DnsQuery, Rcode } from './messages.ts';
import { type DnsResolverConfig, dnsResolverSchema } from './resolver-config.ts';

/** A cached resolution: rcode, addresses, original TTL and record version. */
interface Cached {
  readonly rcode: Rcode;
  readonly addresses: readonly string[];
  readonly version: number;
}

interface Waiter {
  readonly q: DnsQuery;
  readonly arrived: SimTime;
  answered: boolean;
}

interface Recursion {
  readonly name: string;
  readonly waiters: Waiter[];
  readonly timer: number;
}

/** Plain state of a dns-resolver actor. */
export interface ResolverState {
  readonly config: DnsResolverConfig;
  readonly probe: Probe;
  readonly network: Network;
  readonly dists: { hit: Distribution; root: Distribution; tld: Distribution };
  cache: TtlCache<Cached> | undefined;
  auth: ActorRef;
  /** Until when the TLD and the zone delegations are cached. */
  tldUntil: SimTime;
  zoneUntil: SimTime;
  nextTag: number;
  readonly recursions: Map<number, Recursion>;
  readonly byName: Map<string, number>;
}

function send(
  s: ResolverState,
  ctx: Context,
  w: Waiter,
  c: Cached | undefined,
  ttl: SimTime,
): void {
  if (w.answered) return;
  w.answered = true;
  const rcode: Rcode = c === undefined ? 'SERVFAIL' : c.rcode;
  const msg: DnsAnswer = {
    type: 'dns.answer',
    tag: w.q.tag,
    rcode,
    addresses: c?.addresses ?? [],
    ttl,
  };
  if (c !== undefined && rcode === 'NOERROR') s.probe.count(`answers-v${c.version}`, ctx.now);
  if (rcode === 'SERVFAIL') s.probe.count('servfail', ctx.now);
  s.probe.complete(
    ctx.now,
    rcode === 'NOERROR' ? 200 : rcode === 'NXDOMAIN' ? 404 : 503,
    ctx.now - w.arrived,
  );
  s.network.send(ctx, w.q.replyTo, msg, 100, true); // UDP
}

function remaining(expiresAt: SimTime, now: SimTime): SimTime {
  return Math.max(1_000_000, Math.floor((expiresAt - now) / 1e6) * 1e6);
}

/** Starts (or joins) the recursion for `name`; false when the resolver is out of slots. */
function recurse(s: ResolverState, ctx: Context, name: string, w: Waiter | undefined): boolean {
  const existing = s.byName.get(name);
  if (existing !== undefined) {
    if (w !== undefined) s.recursions.get(existing)!.waiters.push(w);
    return true;
  }
  if (s.recursions.size >= s.config.maxConcurrent) return false;
  const tag = s.nextTag++;
  const timeout = { type: 'res.timeout', tag };
  const timer = ctx.timeout(s.config.queryTimeout, timeout);
  s.recursions.set(tag, { name, waiters: w === undefined ? [] : [w], timer });
  s.byName.set(name, tag);
  s.probe.count('recursions', ctx.now);
  let delay = 0;
  if (ctx.now >= s.zoneUntil) {
    if (ctx.now >= s.tldUntil) {
      delay += s.dists.root.sample(ctx.rng('root'));
      s.probe.count('rootQueries', ctx.now);
    }
    delay += s.dists.tld.sample(ctx.rng('tld'));
    s.probe.count('tldQueries', ctx.now);
  }
  const ask = { type: 'res.ask', tag };
  ctx.after(delay, ask);
  return true;
}

function end(s: ResolverState, ctx: Context, tag: number, a: AuthAnswer | undefined): void {
  const r = s.recursions.get(tag);
  if (r === undefined) return;
  s.recursions.delete(tag);
  s.byName.delete(r.name);
  ctx.cancel(r.timer);
  const c = s.config;
  const cache = s.cache!;
  if (a === undefined || a.rcode === 'SERVFAIL') {
    const stale = c.serveStale ? cache.peek(r.name) : undefined;
    for (const w of r.waiters) {
      // Waiters already answered stale at the client timeout are not counted twice.
      if (stale !== undefined && !w.answered) s.probe.count('staleServed', ctx.now);
      send(s, ctx, w, stale?.value, c.staleReplyTtl);
    }
    return;
  }
  const tldTtl = Math.min(c.delegationTtl, c.maxTtl);
  s.tldUntil = Math.max(s.tldUntil, ctx.now + tldTtl);
  s.zoneUntil = Math.max(s.zoneUntil, ctx.now + tldTtl);
  const ttl =
    a.rcode === 'NXDOMAIN'
      ? Math.min(a.ttl, c.maxNegativeTtl)
      : Math.min(c.maxTtl, Math.max(c.minTtl, a.ttl));
  const value: Cached = { rcode: a.rcode, addresses: a.addresses, version: a.version ?? 0 };
  cache.set(r.name, value, 1, ttl, ctx.now, c.serveStale ? c.staleMax : 0);
  for (const w of r.waiters) send(s, ctx, w, value, ttl);
}

function lookup(s: ResolverState, ctx: Context, w: Waiter): void {
  const c = s.config;
  const name = w.q.name;
  const e = s.cache!.lookup(name, ctx.now);
  if (e !== undefined && ctx.now < e.expiresAt) {
    s.probe.count('hits', ctx.now);
    send(s, ctx, w, e.value, remaining(e.expiresAt, ctx.now));
    if (c.prefetch && e.expiresAt - ctx.now < e.ttl / 10 && !s.byName.has(name)) {
      if (recurse(s, ctx, name, undefined)) s.probe.count('prefetches', ctx.now);
    }
    return;
  }
  s.probe.count('misses', ctx.now);
  if (!recurse(s, ctx, name, w)) {
    s.probe.count('overload', ctx.now);
    if (e !== undefined) {
      s.probe.count('staleServed', ctx.now);
      send(s, ctx, w, e.value, c.staleReplyTtl);
      return;
    }
    send(s, ctx, w, undefined, 0);
    return;
  }
  if (e !== undefined) {
    const t = { type: 'res.client-timeout', w, name };
    ctx.timeout(c.clientTimeout, t);
  }
}

/** The recursive resolver actor. */
export const dnsResolverBehavior: Behavior<ResolverState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.cache = new TtlCache(createPolicy('lru', { capacity: s.config.capacity }));
      s.auth = ctx.lookup(s.config.authoritative);
    },
    'dns.query': (s, q: DnsQuery, ctx) => {
      s.probe.arrive(ctx.now);
      const look = { type: 'res.lookup', w: { q, arrived: ctx.now, answered: false } };
      ctx.after(s.dists.hit.sample(ctx.rng('hit')), look);
    },
    'res.lookup': (s, m: { w: Waiter }, ctx) => lookup(s, ctx, m.w),
    'res.ask': (s, m: { tag: number }, ctx) => {
      const r = s.recursions.get(m.tag);
      if (r === undefined) return;
      const q: DnsQuery = { type: 'dns.query', name: r.name, replyTo: ctx.self, tag: m.tag };
      s.probe.count('authQueries', ctx.now);
      s.network.send(ctx, s.auth, q, 100, true); // UDP
    },
    'dns.answer': (s, a: AuthAnswer, ctx) => end(s, ctx, a.tag, a),
    'res.timeout': (s, m: { tag: number }, ctx) => end(s, ctx, m.tag, undefined),
    'res.client-timeout': (s, m: { w: Waiter; name: string }, ctx) => {
      if (m.w.answered) return;
      const e = s.cache!.peek(m.name);
      if (e === undefined) return;
      s.probe.count('staleServed', ctx.now);
      send(s, ctx, m.w, e.value, s.config.staleReplyTtl);
    },
    'fault.crash': (s) => {
      s.cache!.clear();
      s.tldUntil = 0;
      s.zoneUntil = 0;
    },
    // a crash is a cache flush and an immediate restart: nothing is left to do when it ends
    'fault.restart': () => {},
  },
};

/** Initial state of a dns-resolver actor. */
export function resolverState(
  config: DnsResolverConfig,
  probe: Probe,
  network: Network,
): ResolverState {
  return {
    config,
    probe,
    network,
    dists: {
      hit: buildDurationDist(config.hitLatency),
      root: buildDurationDist(config.rootLatency),
      tld: buildDurationDist(config.tldLatency),
    },
    cache: undefined,
    auth: -1,
    tldUntil: 0,
    zoneUntil: 0,
    nextTag: 1,
    recursions: new Map(),
    byName: new Map(),
  };
}

/** The dns-resolver component kind. */
export const dnsResolverKind = defineComponent({
  type: 'dns-resolver',
  description:
    'Recursive DNS resolver shared by clients (Unbound/BIND): TTL cache with min/max clamps, negative caching, prefetch, serve-stale (RFC 8767), request coalescing, root → TLD → authoritative iteration on a miss, concurrency limit and query timeout ⇒ SERVFAIL.',
  schema: dnsResolverSchema,
  replicable: true,
  references: (c) => [
    { path: ['authoritative'], id: c.authoritative, acceptsGroup: false, carriesRequests: false },
  ],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    env.sim.spawn(
      instance.actorId,
      dnsResolverBehavior,
      resolverState(instance.config, probe, env.network),
    );
  },
});
