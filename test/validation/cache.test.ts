import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Behavior, createStream, Simulation, zipf } from '../../engine/index.ts';
import { kvState, kvStoreBehavior, kvStoreSchema } from '../../models/cache/kv-store.ts';
import { PerfectLfuPolicy } from '../../models/cache/policies/lfu.ts';
import { LruPolicy } from '../../models/cache/policies/lru.ts';
import { replay } from '../../models/cache/replay.ts';
import { TtlCache } from '../../models/cache/ttl-cache.ts';
import type { StoreCall, StoreReply } from '../../models/core/call.ts';
import { Probe } from '../../models/core/probe.ts';
import { Network } from '../../models/net/network.ts';
import { referencePath } from '../helpers/reference.ts';
import { zipfTrace } from '../unit/cache/helpers.ts';

interface Case {
  readonly id: string;
  readonly params: Record<string, number>;
  readonly expected: number;
  readonly tolerance_hint: { readonly rel: number; readonly abs: number };
}
const REFERENCE: readonly Case[] = JSON.parse(readFileSync(referencePath(), 'utf8'));
const FULL = process.env.VALIDATE_FULL === '1';
const cases = (prefix: string) => REFERENCE.filter((c) => c.id.startsWith(prefix));
const within = (c: Case) => c.tolerance_hint.abs + c.tolerance_hint.rel * Math.abs(c.expected);

/** Results collected for the table printed at the end (docs/models/caching.md). */
const table: string[] = [];

describe('cache validation against reference.json (IRM traces from the engine zipf sampler)', () => {
  it.each(cases('cache-lru-'))('$id: LRU hit ratio', (c) => {
    const { N, zipf_alpha: s, C, mc_requests } = c.params as Record<string, number>;
    const trace = zipfTrace(N!, s!, 10 * C! * 20 + mc_requests!, 11);
    const r = replay(new LruPolicy({ capacity: C! }), trace, 10 * C! * 20);
    table.push(`${c.id} expected ${c.expected.toFixed(4)} simulated ${r.hitRatio.toFixed(4)}`);
    expect(Math.abs(r.hitRatio - c.expected)).toBeLessThanOrEqual(within(c));
  });

  it.each(cases('cache-lfu-'))('$id: perfect-LFU hit ratio', (c) => {
    const { N, zipf_alpha: s, C, mc_requests } = c.params as Record<string, number>;
    const warm = 500_000;
    const trace = zipfTrace(N!, s!, warm + mc_requests!, 12);
    const r = replay(new PerfectLfuPolicy({ capacity: C! }), trace, warm);
    table.push(`${c.id} expected ${c.expected.toFixed(4)} simulated ${r.hitRatio.toFixed(4)}`);
    expect(Math.abs(r.hitRatio - c.expected)).toBeLessThanOrEqual(within(c));
  });

  it.each(cases('cache-ttl-'))('$id: non-renewing TTL cache, aggregate and per object', (c) => {
    const p = c.params as Record<string, number>;
    const N = p.N!;
    const rate = p.total_rate_per_s!;
    const ttl = p.ttl_s! * 1e6;
    const requests = FULL ? 3 * p.mc_requests! : p.mc_requests!;
    const rng = createStream(13, 'ttl', c.id);
    const z = zipf(N, p.zipf_alpha!);
    const cache = new TtlCache<number>(new LruPolicy({ capacity: N }));
    const perHits = new Float64Array(6);
    const perReq = new Float64Array(6);
    let now = 0;
    let hits = 0;
    let measured = 0;
    const warm = 50_000;
    for (let i = 0; i < warm + requests; i++) {
      now += (-Math.log(1 - rng.next()) / rate) * 1e6;
      const key = z.sample(rng);
      const hit = cache.fresh(key, now) !== undefined;
      if (!hit) cache.set(key, 0, 1, ttl, now);
      if (i < warm) continue;
      measured++;
      if (hit) hits++;
      if (key <= 5) {
        perReq[key]! += 1;
        if (hit) perHits[key]! += 1;
      }
    }
    const sim = hits / measured;
    table.push(`${c.id} expected ${c.expected.toFixed(4)} simulated ${sim.toFixed(4)}`);
    expect(Math.abs(sim - c.expected)).toBeLessThanOrEqual(within(c));
    // Per object: lambda_k T / (1 + lambda_k T), with lambda_k = rate * p_k.
    let norm = 0;
    for (let k = 1; k <= N; k++) norm += k ** -p.zipf_alpha!;
    for (let k = 1; k <= 5; k++) {
      const lt = ((rate * k ** -p.zipf_alpha!) / norm) * p.ttl_s!;
      const theory = lt / (1 + lt);
      const h = perHits[k]! / perReq[k]!;
      // Binomial 4-sigma band around the theory for the observed number of requests.
      const band = 4 * Math.sqrt((theory * (1 - theory)) / perReq[k]!) + 1e-3;
      expect(Math.abs(h - theory)).toBeLessThanOrEqual(band);
    }
  });

  it('cache-lru-a0.8-C100 through the kv-store component (cache-aside driver, shorter run)', () => {
    const c = cases('cache-lru-a0.8')[0]!;
    const { N, zipf_alpha: alpha, C } = c.params as Record<string, number>;
    const requests = FULL ? 3_000_000 : 400_000;
    const warm = 20_000;
    const trace = zipfTrace(N!, alpha!, warm + requests, 14);
    const sim = new Simulation({ seed: 1 });
    const probe = new Probe('redis', 'redis', 0);
    const config = kvStoreSchema.parse({ capacity: C, latency: '100us' });
    const redis = sim.spawn('redis', kvStoreBehavior, kvState(config, probe, new Network(sim, [])));
    interface D {
      i: number;
      hits: number;
    }
    const call = (op: 'get' | 'set', key: number, me: number): StoreCall => ({
      type: 'store.call',
      op,
      key,
      req: undefined,
      replyTo: me,
      tag: 0,
    });
    const driver: Behavior<D> = {
      on: {
        'sim.start': (_d, _m, ctx) => ctx.send(redis, call('get', trace[0]!, ctx.self)),
        'store.reply': (d, m: StoreReply, ctx) => {
          if (m.outcome === 'miss') return void ctx.send(redis, call('set', trace[d.i]!, ctx.self));
          if (m.outcome === 'hit' && d.i >= warm) d.hits++;
          if (++d.i < trace.length) ctx.send(redis, call('get', trace[d.i]!, ctx.self));
        },
      },
    };
    const d: D = { i: 0, hits: 0 };
    sim.spawn('app', driver, d);
    sim.run({});
    const sim1 = d.hits / requests;
    // The reference tolerance is for 3e6 requests; the 95% half-width grows with sqrt(3e6/n).
    const tol = within(c) * Math.sqrt(3_000_000 / requests);
    table.push(`${c.id} (kv-store) expected ${c.expected.toFixed(4)} simulated ${sim1.toFixed(4)}`);
    expect(Math.abs(sim1 - c.expected)).toBeLessThanOrEqual(tol);
  });

  it('prints the table', () => {
    console.log(table.join('\n'));
    expect(table.length).toBe(cases('cache-').length + 1);
  });
});
