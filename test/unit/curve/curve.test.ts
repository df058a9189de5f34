import { describe, expect, it } from 'vitest';
import { runCurve } from '../../../models/cache/curve/run.ts';
import { parsePolicyList, parseSizeList } from '../../../models/cache/curve/spec.ts';
import { StackDistanceLru } from '../../../models/cache/curve/stack-distance.ts';
import { createPolicy, type PolicyName } from '../../../models/cache/policies/index.ts';
import { parseSize } from '../../../models/core/units.ts';
import { emptyRecord, type TraceSource } from '../../../models/trace/record.ts';
import { zipfTrace } from '../cache/helpers.ts';
import { type RefCache, refArc, refClock, refFifo, refLru, refSieve } from './reference.ts';

const REFERENCES: readonly [PolicyName, (c: number) => RefCache][] = [
  ['lru', refLru],
  ['fifo', refFifo],
  ['clock', refClock],
  ['sieve', refSieve],
  ['arc', refArc],
];

function source(keys: ArrayLike<number>, sizeOf: (k: number) => number = () => 1): TraceSource {
  let i = 0;
  const r = emptyRecord();
  return {
    next() {
      if (i >= keys.length) return undefined;
      r.key = keys[i]!;
      r.size = sizeOf(keys[i]!);
      r.time = i++;
      return r;
    },
  };
}

describe('policies against brute-force references (Zipf trace)', () => {
  const trace = zipfTrace(2_000, 0.9, 30_000, 11);
  describe.each(REFERENCES)('%s', (name, makeRef) => {
    it.each([1, 7, 64, 300])('capacity %i: hit/miss equal request by request', (c) => {
      const ref = makeRef(c);
      const p = createPolicy(name, { capacity: c });
      let misses = 0;
      for (let i = 0; i < trace.length; i++) {
        const key = trace[i]!;
        const expected = ref.access(key);
        const hit = p.get(key);
        if (!hit) {
          p.admit(key, 1);
          misses++;
        }
        if (hit !== expected)
          throw new Error(
            `${name} c=${c}: request ${i} (key ${key}): policy ${hit ? 'hit' : 'missed'}, reference ${expected ? 'hit' : 'missed'}`,
          );
      }
      expect(misses).toBeGreaterThan(c);
      expect(misses).toBeLessThan(trace.length);
    });
  });

  it('runCurve gives the same miss counts as the references', () => {
    const sizes = [10, 100, 400];
    const specs = parsePolicyList('lru,fifo,clock,sieve,arc');
    if (!specs.ok) throw new Error(specs.message);
    const points = runCurve(source(trace), {
      policies: specs.value,
      sizes: sizes.map((v) => ({ label: String(v), value: v })),
      ignoreSize: true,
      sampleRate: 1,
      seed: 1,
      onePassLru: false,
    });
    for (const [name, makeRef] of REFERENCES) {
      for (const c of sizes) {
        const ref = makeRef(c);
        let misses = 0;
        for (let i = 0; i < trace.length; i++) if (!ref.access(trace[i]!)) misses++;
        const pt = points.find((p) => p.policy === name && p.cacheSize === c)!;
        expect(pt.misses, `${name}@${c}`).toBe(misses);
        expect(pt.missRatio).toBeCloseTo(misses / trace.length, 12);
      }
    }
  });
});

describe('one-pass LRU by stack distance', () => {
  it('equals per-size LRU runs exactly (object counts, every size 1..600)', () => {
    const trace = zipfTrace(3_000, 1.0, 40_000, 5);
    const sizes = Array.from({ length: 600 }, (_, i) => i + 1);
    const sd = new StackDistanceLru(sizes);
    for (let i = 0; i < trace.length; i++) sd.access(trace[i]!);
    const misses = sd.misses();
    for (const c of [1, 2, 3, 17, 64, 255, 256, 599, 600]) {
      const lru = createPolicy('lru', { capacity: c });
      let m = 0;
      for (let i = 0; i < trace.length; i++) {
        if (!lru.get(trace[i]!)) {
          m++;
          lru.admit(trace[i]!, 1);
        }
      }
      expect(misses[c - 1], `size ${c}`).toBe(m);
    }
    expect(misses[0]).toBeGreaterThan(misses[599]!);
  });

  it('gives the same misses with an integer tree for unit weights, and refuses other weights', () => {
    const trace = zipfTrace(40_000, 0.8, 300_000, 13);
    const sizes = [10, 100, 1_000, 10_000, 40_000];
    const float = new StackDistanceLru(sizes);
    const int = new StackDistanceLru(sizes, { unitWeights: true });
    for (let i = 0; i < trace.length; i++) {
      float.access(trace[i]!);
      int.access(trace[i]!);
    }
    expect(int.misses()).toEqual(float.misses());
    expect(int.missWeights()).toEqual(float.missWeights());
    expect(int.misses()[0]).toBeGreaterThan(int.misses()[4]!);
    expect(() => int.access(1, 2)).toThrow(/unitWeights/);
  });

  it('survives compaction of its position tree (trace longer than 65 536) exactly', () => {
    const trace = zipfTrace(500, 0.8, 200_000, 9);
    const sd = new StackDistanceLru([50, 200]);
    for (let i = 0; i < trace.length; i++) sd.access(trace[i]!);
    const [m50, m200] = sd.misses();
    for (const [c, expected] of [
      [50, m50],
      [200, m200],
    ] as const) {
      const lru = createPolicy('lru', { capacity: c });
      let m = 0;
      for (let i = 0; i < trace.length; i++) {
        if (!lru.get(trace[i]!)) {
          m++;
          lru.admit(trace[i]!, 1);
        }
      }
      expect(expected).toBe(m);
    }
  });

  it('stays exact in bytes over compactions that grow the tree (40 000 distinct keys)', () => {
    const trace = zipfTrace(40_000, 0.7, 300_000, 11);
    const sizeOf = (k: number) => 100 + ((k * 7919) % 900);
    const caps = [200_000, 3_000_000];
    const sd = new StackDistanceLru(caps);
    for (let i = 0; i < trace.length; i++) sd.access(trace[i]!, sizeOf(trace[i]!));
    const missed = sd.missWeights();
    caps.forEach((c, at) => {
      const lru = createPolicy('lru', { capacityBytes: c });
      let bytes = 0;
      for (let i = 0; i < trace.length; i++) {
        const k = trace[i]!;
        if (!lru.get(k)) {
          bytes += sizeOf(k);
          lru.admit(k, sizeOf(k));
        }
      }
      expect(missed[at], `capacity ${c}`).toBe(bytes);
    });
    expect(missed[0]).toBeGreaterThan(missed[1]!);
  });

  it('equals per-size byte-capacity LRU runs when no object exceeds a cache', () => {
    const trace = zipfTrace(1_000, 0.9, 30_000, 3);
    const sizeOf = (k: number) => 100 + ((k * 7919) % 900);
    const caps = [5_000, 20_000, 100_000];
    const points = runCurve(source(trace, sizeOf), {
      policies: [{ label: 'lru', name: 'lru', tuning: {} }],
      sizes: caps.map((v) => ({ label: String(v), value: v })),
      ignoreSize: false,
      sampleRate: 1,
      seed: 1,
      onePassLru: true,
    });
    for (const c of caps) {
      const lru = createPolicy('lru', { capacityBytes: c });
      let m = 0;
      let mb = 0;
      for (let i = 0; i < trace.length; i++) {
        const k = trace[i]!;
        if (!lru.get(k)) {
          m++;
          mb += sizeOf(k);
          lru.admit(k, sizeOf(k));
        }
      }
      const pt = points.find((p) => p.cacheSize === c)!;
      expect(pt.misses).toBe(m);
      expect(pt.missBytes).toBe(mb);
    }
  });
});

describe('curve specs', () => {
  it('reads policies with tuning and rejects unknown ones', () => {
    const ok = parsePolicyList(
      'lru, s3-fifo(smallRatio=0.2;moveToMainThreshold=2),opt(bypass=false)',
    );
    expect(ok).toEqual({
      ok: true,
      value: [
        { label: 'lru', name: 'lru', tuning: {} },
        {
          label: 's3-fifo(smallRatio=0.2;moveToMainThreshold=2)',
          name: 's3-fifo',
          tuning: { smallRatio: 0.2, moveToMainThreshold: 2 },
        },
        { label: 'opt(bypass=false)', name: 'opt', tuning: { bypass: false } },
      ],
    });
    expect(parsePolicyList('lru,lruu')).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown policy "lruu"'),
    });
    expect(parsePolicyList('s3-fifo(small=1)')).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown tuning "small"'),
    });
    expect(parsePolicyList('opt(bypass=1)')).toMatchObject({
      ok: false,
      message: expect.stringContaining('true or false'),
    });
  });

  it('reads shares, counts and byte sizes', () => {
    expect(parseSizeList('0.1%,1000,64KB', parseSize)).toEqual({
      ok: true,
      value: [
        { label: '0.1%', kind: 'share', value: 0.001 },
        { label: '1000', kind: 'absolute', value: 1000 },
        { label: '64KB', kind: 'absolute', value: 64_000 },
      ],
    });
    expect(parseSizeList('0%', parseSize).ok).toBe(false);
    expect(parseSizeList('big', parseSize).ok).toBe(false);
  });
});
