// One contract suite (testing/contracts/cache-policy.ts) run over every eviction policy; the same
// suite checks user modules in `stacksim check-algorithm --family cache-policy`.
import { describe, expect, it } from 'vitest';
import { replay } from '../../../models/cache/replay.ts';
import { cachePolicyContract } from '../../../testing/contracts/cache-policy.ts';
import { ALL_POLICIES, build } from './helpers.ts';

const ADMISSION = new Set(['lfu', 'w-tinylfu', 'opt']);

describe.each(ALL_POLICIES)('eviction policy contract: %s', (name) => {
  for (const property of cachePolicyContract(
    (o, trace) => build(name, o, trace),
    ADMISSION.has(name),
  )) {
    it(property.name, () => {
      expect(property.check()).toEqual({ ok: true });
    });
  }
});

describe('policy specifics', () => {
  const run = (name: Parameters<typeof build>[0], keys: number[], cap = 3) => {
    const p = build(name, { capacity: cap }, keys);
    const hits: boolean[] = [];
    for (const k of keys) {
      const h = p.get(k);
      hits.push(h);
      if (!h) p.admit(k, 1);
    }
    return { p, hits };
  };

  it('LRU keeps the recently used key, FIFO evicts the oldest insertion anyway', () => {
    const seq = [1, 2, 3, 1, 4, 1];
    expect(run('lru', seq).hits).toEqual([false, false, false, true, false, true]);
    expect(run('fifo', seq).hits).toEqual([false, false, false, true, false, false]);
  });

  it('CLOCK and SIEVE give a hit key a second chance', () => {
    const seq = [1, 2, 3, 1, 4, 1];
    expect(run('clock', seq).hits.at(-1)).toBe(true);
    expect(run('sieve', seq).hits.at(-1)).toBe(true);
  });

  it('SIEVE keeps the hand between evictions (paper example: visited survive)', () => {
    // cap 3: 1 2 3, hit 1 and 2, insert 4 evicts 3 (only unvisited); insert 5 evicts 4? no:
    // hand stops after 3's neighbour (toward head = 4 is newer), sweep clears 1 and 2.
    const { p } = run('sieve', [1, 2, 3, 1, 2, 4, 5]);
    expect(p.has(3)).toBe(false);
    expect(p.has(5)).toBe(true);
    expect(p.size).toBe(3);
  });

  it('perfect LFU remembers counts of evicted keys', () => {
    const { p } = run('lfu', [1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 3, 3, 3], 2);
    expect(p.has(1)).toBe(false);
    expect(p.has(4)).toBe(true);
    expect(p.has(3)).toBe(true);
  });

  it('OPT evicts the key used farthest in the future', () => {
    // 4 is used later than 1, 2 and 3, so OPT bypasses it and hits all three.
    const { hits } = run('opt', [1, 2, 3, 4, 1, 2, 3, 4], 3);
    expect(hits.filter(Boolean).length).toBe(3);
    expect(run('lru', [1, 2, 3, 4, 1, 2, 3, 4], 3).hits.filter(Boolean).length).toBe(0);
  });

  it('OPT rejects a get that does not follow its trace', () => {
    const p = build('opt', { capacity: 2 }, [1, 2]);
    expect(() => p.get(2)).toThrow(RangeError);
  });

  it('S3-FIFO filters one-hit wonders into the ghost and readmits them to main', () => {
    const keys: number[] = [];
    for (let i = 0; i < 200; i++) keys.push(1, 2, 3, 1000 + i);
    const r = replay(build('s3-fifo', { capacity: 10 }, keys), keys);
    // 1, 2, 3 are hit after their first sight despite a stream of one-hit wonders.
    expect(r.hits).toBeGreaterThanOrEqual(3 * 199);
  });

  it('W-TinyLFU resists a scan that flushes LRU', () => {
    const keys: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let k = 1; k <= 50; k++) keys.push(k);
      for (let k = 0; k < 100; k++) keys.push(10_000 + round * 100 + k);
    }
    const t = replay(build('w-tinylfu', { capacity: 100 }, keys), keys, 1000);
    const l = replay(build('lru', { capacity: 100 }, keys), keys, 1000);
    expect(t.hits).toBeGreaterThan(l.hits * 2);
  });

  it('Redis LFU counters decay over idle minutes', () => {
    let now = 0;
    const p = build('redis-lfu', { capacity: 2, clock: () => now });
    p.admit(1, 1);
    for (let i = 0; i < 2000; i++) p.get(1);
    now = 30 * 60_000_000;
    p.admit(2, 1);
    for (let i = 0; i < 20; i++) p.get(2);
    p.admit(3, 1);
    // key 1 idled 30 min: its counter decayed below key 2's, so 1 is evicted.
    expect(p.has(1)).toBe(false);
    expect(p.has(2)).toBe(true);
  });
});
