import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpCacheBehavior, httpCacheState } from '../../models/cache/http-cache.ts';
import { httpCacheSchema } from '../../models/cache/http-cache-config.ts';
import { LruPolicy } from '../../models/cache/policies/lru.ts';
import type { CacheKey } from '../../models/cache/policy.ts';
import { replay } from '../../models/cache/replay.ts';
import { TtlCache } from '../../models/cache/ttl-cache.ts';
import { harness, makeReq } from '../unit/cache/driver.ts';
import { ALL_POLICIES, build } from '../unit/cache/helpers.ts';

const traceArb = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 400 });

describe('cache policy properties', () => {
  it('never exceed their entry and byte capacity', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_POLICIES),
        traceArb,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 10, max: 400 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 400, maxLength: 400 }),
        (name, trace, cap, capBytes, ops) => {
          const p = build(name, { capacity: cap, capacityBytes: capBytes }, trace);
          trace.forEach((k, i) => {
            if (!p.get(k)) p.admit(k, 1 + ((k * 31) % 50));
            if (ops[i] === 0) p.delete(trace[(i * 7) % trace.length]!);
            expect(p.size).toBeLessThanOrEqual(cap);
            expect(p.bytes).toBeLessThanOrEqual(capBytes);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('LRU inclusion: a larger LRU never has fewer hits on the same trace', () => {
    fc.assert(
      fc.property(traceArb, fc.integer({ min: 1, max: 30 }), (trace, c) => {
        const small = replay(new LruPolicy({ capacity: c }), trace);
        const large = replay(new LruPolicy({ capacity: c + 1 }), trace);
        expect(large.hits).toBeGreaterThanOrEqual(small.hits);
      }),
      { numRuns: 200 },
    );
  });

  it('OPT never has fewer hits than any other policy on the same trace', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_POLICIES.filter((n) => n !== 'opt')),
        traceArb,
        fc.integer({ min: 1, max: 15 }),
        (name, trace, c) => {
          const other = replay(build(name, { capacity: c }, trace), trace);
          const opt = replay(build('opt', { capacity: c }, trace), trace);
          expect(opt.hits).toBeGreaterThanOrEqual(other.hits);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a TTL cache never returns an expired entry as fresh, sliding or not', () => {
    const opArb = fc.record({
      key: fc.integer({ min: 1, max: 10 }),
      dt: fc.integer({ min: 0, max: 5_000 }),
      ttl: fc.integer({ min: 1, max: 10_000 }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), fc.boolean(), (ops, sliding) => {
        const c = new TtlCache<number>(new LruPolicy({ capacity: 5 }), { sliding });
        let now = 0;
        const lastUse = new Map<CacheKey, number>();
        for (const op of ops) {
          now += op.dt;
          const e = c.fresh(op.key, now);
          if (e === undefined) {
            c.set(op.key, now, 1, op.ttl, now, 1_000);
            lastUse.set(op.key, now);
          } else {
            const anchor = sliding ? lastUse.get(op.key)! : e.storedAt;
            expect(now - anchor).toBeLessThan(e.ttl);
            lastUse.set(op.key, now);
          }
          const stale = c.lookup(op.key, now);
          if (stale !== undefined) expect(now).toBeLessThan(stale.staleUntil);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every miss reaches the upstream exactly once unless coalesced; every request is answered once', () => {
    const reqArb = fc.record({
      key: fc.integer({ min: 1, max: 4 }),
      dt: fc.integer({ min: 0, max: 300_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(reqArb, { minLength: 1, maxLength: 80 }),
        fc.constantFrom('none', 'coalesce', 'xfetch'),
        fc.integer({ min: 1, max: 400_000 }),
        fc.integer({ min: 1, max: 3 }),
        (reqs, stampede, delay, capacity) => {
          const h = harness(2);
          h.origin.delay = delay;
          h.origin.maxAge = 1;
          const config = httpCacheSchema.parse({ upstream: 'origin', capacity, stampede });
          const probe = h.probe('edge');
          const ref = h.sim.spawn(
            'edge',
            httpCacheBehavior,
            httpCacheState(config, 'edge', probe, h.network),
          );
          let at = 0;
          for (const r of reqs) {
            at += r.dt;
            h.send(ref, makeReq(r.key), at);
          }
          h.sim.run({ until: at + 10_000_000 });
          const c = (n: string) => probe.counters.get(n) ?? 0;
          expect(h.sink.statuses.length).toBe(reqs.length);
          expect(c('hits') + c('misses')).toBe(reqs.length);
          expect(c('upstream')).toBe(c('misses') - c('coalesced'));
          expect(h.origin.requests).toBe(c('upstream'));
        },
      ),
      { numRuns: 150 },
    );
  });
});
