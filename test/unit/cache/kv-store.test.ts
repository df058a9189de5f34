import { describe, expect, it } from 'vitest';
import { type Behavior, Simulation } from '../../../engine/index.ts';
import { kvState, kvStoreBehavior, kvStoreSchema } from '../../../models/cache/kv-store.ts';
import type { StoreCall, StoreOp, StoreReply } from '../../../models/core/call.ts';
import { Probe } from '../../../models/core/probe.ts';
import { Network } from '../../../models/net/network.ts';

interface Rec {
  readonly replies: StoreReply[];
}
const rec: Behavior<Rec> = { on: { 'store.reply': (s, m: StoreReply) => void s.replies.push(m) } };

function setup(extra: Record<string, unknown> = {}) {
  const sim = new Simulation({ seed: 3 });
  const probe = new Probe('redis', 'redis', 0);
  const config = kvStoreSchema.parse({ capacity: 3, latency: '1ms', ...extra });
  const ref = sim.spawn('redis', kvStoreBehavior, kvState(config, probe, new Network(sim, [])));
  const out: Rec = { replies: [] };
  const me = sim.spawn('app', rec, out);
  let tag = 0;
  const call = (op: StoreOp, key: number, at: number, more: Partial<StoreCall> = {}) => {
    const msg: StoreCall = {
      type: 'store.call',
      op,
      key,
      req: undefined,
      replyTo: me,
      tag: ++tag,
      ...more,
    };
    sim.schedule(ref, msg, at - sim.now);
  };
  const c = (n: string) => probe.counters.get(n) ?? 0;
  return { sim, ref, out, call, c, probe };
}

describe('kv-store', () => {
  it('get misses, set stores, get hits; evicts beyond capacity (LRU)', () => {
    const t = setup();
    t.call('get', 1, 0);
    t.call('set', 1, 10_000);
    t.call('get', 1, 20_000);
    for (let k = 2; k <= 4; k++) t.call('set', k, 30_000 + k * 1000);
    t.call('get', 1, 100_000);
    t.sim.run({ until: 1_000_000 });
    expect(t.out.replies.map((r) => r.outcome)).toEqual([
      'miss',
      'ok',
      'hit',
      'ok',
      'ok',
      'ok',
      'miss',
    ]);
    expect(t.c('evictions')).toBe(1);
    expect(t.c('hits')).toBe(1);
    expect(t.c('misses')).toBe(2);
  });

  it('expires keys after their ttl and incr counts within a window', () => {
    const t = setup();
    t.call('set', 1, 0, { ttl: 1_000_000 });
    t.call('get', 1, 500_000);
    t.call('get', 1, 1_500_000);
    t.call('incr', 7, 0, { ttl: 1_000_000 });
    t.call('incr', 7, 100_000, { ttl: 1_000_000 });
    t.call('incr', 7, 1_200_000, { ttl: 1_000_000 });
    t.sim.run({ until: 3_000_000 });
    const byTag = [...t.out.replies].sort((a, b) => a.tag - b.tag);
    expect(byTag.map((r) => r.outcome)).toEqual(['ok', 'hit', 'miss', 'ok', 'ok', 'ok']);
    expect(byTag.slice(3).map((r) => r.value)).toEqual([1, 2, 1]);
  });

  it('serves one command at a time (Redis) so a burst queues', () => {
    const t = setup({ latency: '10ms' });
    for (let i = 0; i < 5; i++) t.call('get', i, 0);
    t.sim.run({ until: 1_000_000 });
    expect(t.probe.latency.max).toBeGreaterThanOrEqual(50_000 - 1);
  });

  it('refuses beyond maxClients; a crash fails calls and restarts empty', () => {
    const t = setup({ maxClients: 2, latency: '10ms' });
    for (let i = 0; i < 3; i++) t.call('set', i, 0);
    t.sim.run({ until: 100_000 });
    expect(t.out.replies.filter((r) => r.outcome === 'refused').length).toBe(1);
    t.sim.schedule(t.ref, { type: 'fault.crash' }, 0);
    t.call('get', 0, t.sim.now + 10);
    t.sim.schedule(t.ref, { type: 'fault.restart' }, 20);
    t.call('get', 0, t.sim.now + 100);
    t.sim.run({ until: 1_000_000 });
    expect(t.out.replies.slice(-2).map((r) => r.outcome)).toEqual(['error', 'miss']);
  });
});
