import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruPolicy } from '../../models/cache/policies/lru.ts';
import type { CacheKey } from '../../models/cache/policy.ts';
import { replay } from '../../models/cache/replay.ts';
import { TtlCache } from '../../models/cache/ttl-cache.ts';
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
});
