import { describe, expect, it } from 'vitest';
import { httpCacheBehavior, httpCacheState } from '../../../models/cache/http-cache.ts';
import { httpCacheSchema } from '../../../models/cache/http-cache-config.ts';
import { harness, makeReq } from './driver.ts';

function edge(extra: Record<string, unknown> = {}, seed = 1) {
  const h = harness(seed);
  const config = httpCacheSchema.parse({ upstream: 'origin', capacity: 1000, ...extra });
  const probe = h.probe('edge');
  const ref = h.sim.spawn(
    'edge',
    httpCacheBehavior,
    httpCacheState(config, 'edge', probe, h.network),
  );
  const c = (name: string) => probe.counters.get(name) ?? 0;
  return { ...h, ref, probe, c };
}

describe('http-cache', () => {
  it('answers a repeat from cache and sends each miss upstream once', () => {
    const t = edge();
    for (let i = 0; i < 10; i++) t.send(t.ref, makeReq(i % 3), 1_000_000 + i * 200_000);
    t.sim.run({ until: 10_000_000 });
    expect(t.c('misses')).toBe(3);
    expect(t.c('hits')).toBe(7);
    expect(t.origin.requests).toBe(3);
    expect(t.c('upstream')).toBe(3);
    expect(t.sink.statuses.every((s) => s === 200)).toBe(true);
  });

  it('expires entries after max-age (non-renewing) and refetches', () => {
    const t = edge();
    t.origin.maxAge = 2;
    for (let i = 0; i < 10; i++) t.send(t.ref, makeReq(1), 1_000_000 + i * 500_000);
    t.sim.run({ until: 10_000_000 });
    // fetched at ~1.05 s (fresh until ~3.05 s) and at 3.5 s (fresh until ~5.55 s)
    expect(t.origin.requests).toBe(2);
  });

  it('without protection every concurrent miss on a hot key goes upstream; coalescing sends one', () => {
    for (const [mode, expected] of [
      ['none', 50],
      ['coalesce', 1],
    ] as const) {
      const t = edge({ stampede: mode });
      t.origin.delay = 100_000;
      for (let i = 0; i < 50; i++) t.send(t.ref, makeReq(9), 1_000_000 + i * 1_000);
      t.sim.run({ until: 5_000_000 });
      expect(t.origin.requests).toBe(expected);
      expect(t.c('coalesced')).toBe(50 - expected);
      expect(t.c('upstream') + t.c('coalesced')).toBe(t.c('misses'));
      expect(t.sink.statuses.length).toBe(50);
    }
  });

  it('XFetch refreshes a hot key before it expires, so no request misses at the boundary', () => {
    const t = edge({ stampede: 'xfetch' });
    t.origin.maxAge = 10;
    t.origin.delay = 500_000;
    for (let i = 0; i < 3000; i++) t.send(t.ref, makeReq(5), 1_000_000 + i * 10_000);
    t.sim.run({ until: 40_000_000 });
    // XFetch does not help a cold key (all first requests miss in the first 0.5 s); after that
    // every upstream fetch is one early refresh, about once per TTL, and nobody misses on expiry.
    const upstream = t.probe.series.extra.get('upstream')!;
    const after = upstream.slice(2).reduce((a, b) => a + b, 0);
    expect(t.c('earlyRefresh')).toBeGreaterThanOrEqual(2);
    expect(after).toBe(t.c('earlyRefresh'));
    expect(after).toBeLessThanOrEqual(4);
  });

  it('stale-while-revalidate serves stale at once and refreshes in the background', () => {
    const t = edge({ staleWhileRevalidate: '30s' });
    t.origin.maxAge = 1;
    t.send(t.ref, makeReq(1), 0);
    t.send(t.ref, makeReq(1), 3_000_000);
    t.send(t.ref, makeReq(1), 3_010_000);
    t.sim.run({ until: 5_000_000 });
    expect(t.c('staleServed')).toBe(2);
    expect(t.origin.requests).toBe(2);
    expect(t.sink.reasons.filter((r) => r === 'cache-stale').length).toBe(2);
  });

  it('stale-if-error serves the old copy when the origin fails, 5xx without it', () => {
    for (const [sie, want] of [
      ['60s', 200],
      ['0ms', 503],
    ] as const) {
      const t = edge({ staleIfError: sie });
      t.origin.maxAge = 1;
      t.send(t.ref, makeReq(1), 0);
      t.sim.run({ until: 2_000_000 });
      t.origin.status = 503;
      t.send(t.ref, makeReq(1), 5_000_000);
      t.sim.run({ until: 8_000_000 });
      expect(t.sink.statuses.at(-1)).toBe(want);
    }
  });

  it('caches 404s for the negative TTL', () => {
    const t = edge({ negativeTtl: '5s' });
    t.origin.notFound.add(4);
    for (let i = 0; i < 4; i++) t.send(t.ref, makeReq(4), i * 1_000_000);
    t.sim.run({ until: 6_000_000 });
    expect(t.origin.requests).toBe(1);
    expect(t.sink.statuses).toEqual([404, 404, 404, 404]);
  });

  it('a write invalidates the key and goes upstream', () => {
    const t = edge();
    t.send(t.ref, makeReq(2), 0);
    t.send(t.ref, makeReq(2, 'PUT'), 1_000_000);
    t.send(t.ref, makeReq(2), 2_000_000);
    t.sim.run({ until: 3_000_000 });
    expect(t.c('invalidations')).toBe(1);
    expect(t.origin.requests).toBe(3);
    expect(t.c('misses')).toBe(2);
  });

  it('answers If-None-Match with 304 and revalidates stale entries with a conditional request', () => {
    const t = edge({ revalidate: true });
    t.origin.maxAge = 1;
    t.send(t.ref, makeReq(3), 0);
    t.sim.run({ until: 500_000 });
    const probeEntry = t.probe.counters.get('upstream');
    expect(probeEntry).toBe(1);
    // the etag the edge assigned is "edge-1"
    t.send(t.ref, makeReq(3, 'GET', '"edge-1"'), 600_000);
    t.send(t.ref, makeReq(3), 5_000_000);
    t.sim.run({ until: 6_000_000 });
    expect(t.sink.statuses[1]).toBe(304);
    expect(t.origin.conditional).toBe(1);
    expect(t.c('revalidations')).toBe(1);
  });

  it('crash answers 503 and restarts cold', () => {
    const t = edge();
    t.send(t.ref, makeReq(1), 0);
    t.sim.run({ until: 1_000_000 });
    t.sim.schedule(t.ref, { type: 'fault.crash' }, 0);
    t.send(t.ref, makeReq(1), 1_500_000);
    t.sim.schedule(t.ref, { type: 'fault.restart' }, 2_000_000 - t.sim.now);
    t.send(t.ref, makeReq(1), 3_000_000);
    t.sim.run({ until: 4_000_000 });
    expect(t.sink.statuses).toEqual([200, 503, 200]);
    expect(t.origin.requests).toBe(2);
  });
});
