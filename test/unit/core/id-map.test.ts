import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IdMap } from '../../../models/core/id-map.ts';

type Op =
  | { readonly k: 'set'; readonly key: number; readonly v: number }
  | { readonly k: 'delete'; readonly key: number }
  | { readonly k: 'get'; readonly key: number };

// Keys from a small range (many collisions and probe runs) and a wide one (wrap-around).
const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 40 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('set' as const), key, v: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('delete' as const), key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('get' as const), key }) },
);

describe('IdMap', () => {
  test('behaves like a Map; values() come by ascending id', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const ref = new Map<number, number>();
        const ids = new IdMap<number>();
        for (const o of ops) {
          if (o.k === 'set') {
            ref.set(o.key, o.v);
            ids.set(o.key, o.v);
          } else if (o.k === 'delete') expect(ids.delete(o.key)).toBe(ref.delete(o.key));
          else expect(ids.get(o.key)).toBe(ref.get(o.key));
          expect(ids.size).toBe(ref.size);
        }
        for (const [k, v] of ref) {
          expect(ids.has(k)).toBe(true);
          expect(ids.get(k)).toBe(v);
        }
        const sorted = [...ref.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
        expect(ids.values()).toEqual(sorted);
      }),
      { numRuns: 500 },
    );
  });

  test('a sliding window of counter ids: lookups stay exact while the table stays small', () => {
    const ids = new IdMap<number>();
    const live: number[] = [];
    for (let id = 0; id < 100_000; id++) {
      ids.set(id, id * 2);
      live.push(id);
      if (live.length > 50) ids.delete(live.shift()!);
    }
    expect(ids.size).toBe(50);
    expect(ids.get(99_999)).toBe(199_998);
    expect(ids.get(99_949)).toBeUndefined();
    expect(ids.values()).toEqual(live.map((id) => id * 2));
  });

  test('rejects keys that are not ids', () => {
    const ids = new IdMap<number>();
    expect(() => ids.set(-1, 0)).toThrow(/not an id/);
    expect(() => ids.set(1.5, 0)).toThrow(/not an id/);
  });
});
