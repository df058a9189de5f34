import { createStream } from '../../engine/index.ts';
import { RedisLfuPolicy } from '../../models/cache/policies/redis-lfu.ts';
import { RedisLruPolicy } from '../../models/cache/policies/redis-lru.ts';
import type { CaseResult } from '../compare.ts';
import { stream } from '../random.ts';
import { Resp } from '../resp.ts';
import { freePort, redisArgs, ServerProcess } from '../servers.ts';

const VALUE = 'x'.repeat(1000);
const REQUESTS = 12_000;
const WARMUP = 3_000;
/** Hit ratios of Redis and stacksim must agree within this many percentage points. */
const TOLERANCE_PP = 1;

/** Zipf(s = 1) keys over `n` objects, seeded (inverse CDF by binary search). */
function zipfTrace(n: number, count: number, seed: string): number[] {
  const cdf: number[] = [];
  let acc = 0;
  for (let k = 1; k <= n; k++) {
    acc += 1 / k;
    cdf.push(acc);
  }
  const rnd = stream(seed);
  return Array.from({ length: count }, () => {
    const u = rnd() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  });
}

async function usedMemory(c: Resp): Promise<number> {
  const info = String(await c.call('INFO', 'memory'));
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** allkeys-lru / allkeys-lfu with maxmemory-samples 5 against redis-lru / redis-lfu. */
export async function redisEvictionCases(binary: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const policy of ['allkeys-lru', 'allkeys-lfu'] as const) {
    const port = await freePort();
    const redis = new ServerProcess('redis-evict');
    try {
      await redis.start(binary, redisArgs(port, redis.dir), port);
      const c = await Resp.connect(port);
      const base = await usedMemory(c);
      await c.call('CONFIG', 'SET', 'maxmemory', base + 2_000_000);
      await c.call('CONFIG', 'SET', 'maxmemory-policy', policy);
      await c.call('CONFIG', 'SET', 'maxmemory-samples', 5);
      // Capacity in keys: fill with far more keys than fit, count what stays, start afresh.
      for (let k = 0; k < 4000; k++) await c.call('SET', `fill:${k}`, VALUE);
      const capacity = Number(await c.call('DBSIZE'));
      await c.call('FLUSHALL');
      const trace = zipfTrace(capacity * 5, REQUESTS, `redis-evict-${policy}`);
      let hits = 0;
      // When each request was made, µs since the first: Redis's LRU clock is wall time.
      const at: number[] = [];
      const start = performance.now();
      for (let i = 0; i < trace.length; i++) {
        at.push(Math.round((performance.now() - start) * 1000));
        const key = `k:${trace[i]}`;
        const v = await c.call('GET', key);
        if (v !== null) {
          if (i >= WARMUP) hits++;
        } else await c.call('SET', key, VALUE);
      }
      c.close();
      const real = hits / (REQUESTS - WARMUP);
      const rng = createStream(1, 'conformance', policy);
      let i = 0;
      const clock = () => at[i] ?? 0;
      const ours =
        policy === 'allkeys-lru'
          ? new RedisLruPolicy({ capacity, rng, samples: 5, clock })
          : new RedisLfuPolicy({ capacity, rng, samples: 5, clock });
      // replay() with the clock following the trace: request i happens at at[i]
      const timed = trace.map((k, j) => ({ k, j }));
      let simHits = 0;
      for (const { k, j } of timed) {
        i = j;
        if (ours.get(k)) {
          if (j >= WARMUP) simHits++;
        } else ours.admit(k, 1);
      }
      const sim = simHits / (REQUESTS - WARMUP);
      const gap = Math.abs(real - sim) * 100;
      results.push({
        product: 'redis',
        feature: `${policy}, maxmemory-samples 5 (${capacity} keys fit), Zipf(1) over ${capacity * 5} keys`,
        kind: 'approximate',
        compared: REQUESTS - WARMUP,
        agreed: REQUESTS - WARMUP,
        measure: `hit ratio redis ${(real * 100).toFixed(2)}%, stacksim ${ours.name} ${(sim * 100).toFixed(2)}%, gap ${gap.toFixed(2)} pp, tolerance ${TOLERANCE_PP} pp`,
        pass: gap <= TOLERANCE_PP,
        disagreements: [],
        note: "Eviction samples keys at random on both sides (different random streams), so only the hit ratio is compared; requests counted after a warm-up of 3 000. stacksim is given the instant of each request (Redis's LRU clock counts whole seconds, its LFU decay whole minutes).",
      });
    } finally {
      await redis.stop();
    }
  }
  return results;
}
