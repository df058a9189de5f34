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

/** One eviction configuration: the policy and its knobs (Redis defaults when absent). */
interface EvictConfig {
  readonly policy: 'allkeys-lru' | 'allkeys-lfu';
  readonly samples: number;
  readonly logFactor?: number;
  readonly decayMinutes?: number;
}

/** The defaults (samples 5), a second maxmemory-samples, and non-default LFU knobs. */
const CONFIGS: readonly EvictConfig[] = [
  { policy: 'allkeys-lru', samples: 5 },
  { policy: 'allkeys-lfu', samples: 5 },
  { policy: 'allkeys-lru', samples: 10 },
  { policy: 'allkeys-lfu', samples: 10 },
  { policy: 'allkeys-lfu', samples: 5, logFactor: 1, decayMinutes: 0 },
  { policy: 'allkeys-lfu', samples: 5, logFactor: 100, decayMinutes: 2 },
];

function knobs(c: EvictConfig): string {
  const lfu =
    c.logFactor === undefined
      ? ''
      : `, lfu-log-factor ${c.logFactor}, lfu-decay-time ${c.decayMinutes}`;
  return `maxmemory-samples ${c.samples}${lfu}`;
}

/** allkeys-lru / allkeys-lfu and their knobs against redis-lru / redis-lfu. */
export async function redisEvictionCases(binary: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const config of CONFIGS) {
    const { policy, samples } = config;
    const port = await freePort();
    const redis = new ServerProcess('redis-evict');
    try {
      await redis.start(binary, redisArgs(port, redis.dir), port);
      const c = await Resp.connect(port);
      const base = await usedMemory(c);
      await c.call('CONFIG', 'SET', 'maxmemory', base + 2_000_000);
      await c.call('CONFIG', 'SET', 'maxmemory-policy', policy);
      await c.call('CONFIG', 'SET', 'maxmemory-samples', samples);
      if (config.logFactor !== undefined) {
        await c.call('CONFIG', 'SET', 'lfu-log-factor', config.logFactor);
        await c.call('CONFIG', 'SET', 'lfu-decay-time', config.decayMinutes ?? 1);
      }
      // Capacity in keys: fill with far more keys than fit, count what stays, start afresh.
      for (let k = 0; k < 4000; k++) await c.call('SET', `fill:${k}`, VALUE);
      const capacity = Number(await c.call('DBSIZE'));
      await c.call('FLUSHALL');
      const trace = zipfTrace(capacity * 5, REQUESTS, `redis-evict-${policy}`);
      // Redis's clocks are wall-clock (LRU: whole seconds, LFU: whole minutes of the epoch)
      let hits = 0;
      // When each request was made, epoch µs: the second and minute boundaries fall alike.
      const at: number[] = [];
      for (let i = 0; i < trace.length; i++) {
        at.push(Math.round((performance.timeOrigin + performance.now()) * 1000));
        const key = `k:${trace[i]}`;
        const v = await c.call('GET', key);
        if (v !== null) {
          if (i >= WARMUP) hits++;
        } else await c.call('SET', key, VALUE);
      }
      c.close();
      const real = hits / (REQUESTS - WARMUP);
      const rng = createStream(1, 'conformance', `${policy}-${knobs(config)}`);
      let i = 0;
      const clock = () => at[i] ?? 0;
      const ours =
        policy === 'allkeys-lru'
          ? new RedisLruPolicy({ capacity, rng, samples, clock })
          : new RedisLfuPolicy({
              capacity,
              rng,
              samples,
              clock,
              logFactor: config.logFactor,
              decayMinutes: config.decayMinutes,
            });
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
        feature: `${policy}, ${knobs(config)} (${capacity} keys fit), Zipf(1) over ${capacity * 5} keys`,
        kind: 'approximate',
        compared: REQUESTS - WARMUP,
        agreed: REQUESTS - WARMUP,
        measure: `hit ratio redis ${(real * 100).toFixed(2)}%, stacksim ${ours.name} ${(sim * 100).toFixed(2)}%, gap ${gap.toFixed(2)} pp, tolerance ${TOLERANCE_PP} pp`,
        pass: gap <= TOLERANCE_PP,
        disagreements: [],
        note: "Eviction samples keys at random on both sides (different random streams), so only the hit ratio is compared; requests counted after a warm-up of 3 000. stacksim is given the wall-clock instant of each request (Redis's LRU clock counts whole seconds of the epoch, its LFU decay whole minutes), so a run crossing a minute boundary decays on both sides.",
      });
    } finally {
      await redis.stop();
    }
  }
  return results;
}
