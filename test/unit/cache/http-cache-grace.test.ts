import { describe, expect, it } from 'vitest';
import { httpCacheBehavior, httpCacheState } from '../../../models/cache/http-cache.ts';
import { httpCacheSchema } from '../../../models/cache/http-cache-config.ts';
import { harness, makeReq } from './driver.ts';

function edge(extra: Record<string, unknown>) {
  const h = harness(1);
  const config = httpCacheSchema.parse({ upstream: 'origin', capacity: 1000, ...extra });
  const probe = h.probe('edge');
  const ref = h.sim.spawn(
    'edge',
    httpCacheBehavior,
    httpCacheState(config, 'edge', probe, h.network),
  );
  return { ...h, ref, probe, c: (name: string) => probe.counters.get(name) ?? 0 };
}

describe('http-cache grace and the waiting list (Varnish)', () => {
  it('past the grace, requests wait for the background fetch in flight instead of fetching again', () => {
    // Varnish: beresp.ttl 1s, beresp.grace 50ms, origin 100 ms. Fetched at 0 (fresh until
    // ~1.1 s, grace until ~1.15 s); at 1.12 s a stale answer starts a background fetch (until
    // ~1.22 s); at 1.17 s and 1.19 s the grace is over but that fetch is busy: Varnish puts
    // both on its waiting list, so the origin sees 2 fetches, not 3.
    const t = edge({ staleWhileRevalidate: '50ms', stampede: 'coalesce' });
    t.origin.maxAge = 1;
    t.origin.delay = 100_000;
    for (const at of [0, 1_120_000, 1_170_000, 1_190_000]) t.send(t.ref, makeReq(1), at);
    t.sim.run({ until: 3_000_000 });
    expect(t.origin.requests).toBe(2);
    expect(t.c('staleServed')).toBe(1);
    expect(t.c('coalesced')).toBe(2);
    expect(t.sink.statuses).toEqual([200, 200, 200, 200]);
    expect(t.sink.reasons.filter((r) => r === 'cache-stale')).toHaveLength(1);
  });

  it('without coalescing, a request past the grace fetches on its own', () => {
    const t = edge({ staleWhileRevalidate: '50ms', stampede: 'none' });
    t.origin.maxAge = 1;
    t.origin.delay = 100_000;
    for (const at of [0, 1_120_000, 1_170_000, 1_190_000]) t.send(t.ref, makeReq(1), at);
    t.sim.run({ until: 3_000_000 });
    expect(t.origin.requests).toBe(4);
    expect(t.c('coalesced')).toBe(0);
  });
});
