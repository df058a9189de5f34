import { describe, expect, it } from 'vitest';
import { SlidingLog } from '../../../models/ratelimit/algorithms/sliding-log.ts';
import { TokenBucket } from '../../../models/ratelimit/algorithms/token-bucket.ts';
import { rateLimiterSchema } from '../../../models/ratelimit/component.ts';
import { type Arrival, runLimiter } from './harness.ts';

const MS = 1000;

/** Uneven arrivals, 0–6 ms apart, for 3 s (a seeded LCG so the test is deterministic). */
function arrivals(): Arrival[] {
  const out: Arrival[] = [];
  let x = 12345;
  for (let t = 0; t < 3_000 * MS; ) {
    out.push({ at: t });
    x = (x * 1103515245 + 12345) % 2 ** 31;
    t += (x % 7) * MS;
  }
  return out;
}

const sliding = { algorithm: 'sliding-log', limit: 40, window: '500ms' };
const bucket = { algorithm: 'token-bucket', rate: '100/s', burst: 20 };

/** Statuses per arrival, in the order of `as`. */
function statuses(run: ReturnType<typeof runLimiter>, as: readonly Arrival[]): number[] {
  const by = new Map(run.seen.map((s) => [s.arrival, s.status]));
  return as.map((a) => by.get(a)!);
}

describe('sliding log and token bucket held in a shared store', () => {
  it('the schema takes a store with sliding-log and token-bucket, not with gcra', () => {
    for (const algorithm of [sliding, bucket]) {
      const r = rateLimiterSchema.safeParse({ upstream: 'app', algorithm, store: { id: 'kv' } });
      expect(r.success).toBe(true);
    }
    const gcra = { algorithm: 'gcra', rate: '10/s', burst: 2 };
    const bad = rateLimiterSchema.safeParse({
      upstream: 'app',
      algorithm: gcra,
      store: { id: 'kv' },
    });
    expect(bad.success).toBe(false);
  });

  it('atomic (a Lua script) decides as one local limiter would, across 8 replicas', () => {
    const as = arrivals();
    for (const [algorithm, local] of [
      [sliding, new SlidingLog({ limit: 40, window: 500 * MS })],
      [bucket, new TokenBucket({ rate: 100, burst: 20 })],
    ] as const) {
      const run = runLimiter({
        limiter: { algorithm, headers: 'none', store: { id: 'kv', mode: 'atomic' } },
        replicas: 8,
        arrivals: as,
      });
      const expected = as.map((a) => (local.decide('k', a.at).allowed ? 200 : 429));
      expect(statuses(run, as)).toEqual(expected);
      expect(expected.filter((s) => s === 429).length).toBeGreaterThan(100);
      expect(run.store!.calls).toBe(as.length); // one EVAL per request
    }
  });

  it('read-then-write over-admits under concurrency: ZADD adds up, HSET loses updates', () => {
    // 60 requests at once on 8 replicas, store 0.5 ms away: every read sees the same state
    const burst: Arrival[] = Array.from({ length: 60 }, () => ({ at: 10 * MS }));
    const log = runLimiter({
      limiter: {
        algorithm: sliding,
        headers: 'none',
        store: { id: 'kv', mode: 'read-then-write' },
      },
      replicas: 8,
      arrivals: burst,
    });
    const tb = runLimiter({
      limiter: { algorithm: bucket, headers: 'none', store: { id: 'kv', mode: 'read-then-write' } },
      replicas: 8,
      arrivals: burst,
    });
    const atomicLog = runLimiter({
      limiter: { algorithm: sliding, headers: 'none', store: { id: 'kv', mode: 'atomic' } },
      replicas: 8,
      arrivals: burst,
    });
    expect(atomicLog.admitted).toHaveLength(40);
    // all 60 read an empty log and a full bucket
    expect(log.admitted).toHaveLength(60);
    expect(tb.admitted).toHaveLength(60);
    // the log holds every admission (60 entries), the hash only the last write (19 tokens)
    const held = [...log.store!.data.values()].map((e) => e.value);
    expect((held[0] as number[]).length).toBe(60);
    const hash = [...tb.store!.data.values()].map((e) => e.value);
    expect((hash[0] as { tokens: number }).tokens).toBe(19);
  });

  it('multi (MULTI/EXEC, ZADD always) logs rejected attempts: a key hammered past the limit stays shut', () => {
    // 2 ms apart for 2 s (250 per 500 ms window), then one request after a pause of 600 ms
    const as: Arrival[] = Array.from({ length: 1000 }, (_, i) => ({ at: i * 2 * MS }));
    as.push({ at: 2_600 * MS });
    const run = (mode: string) =>
      runLimiter({
        limiter: { algorithm: sliding, headers: 'none', store: { id: 'kv', mode } },
        replicas: 4,
        arrivals: as,
      });
    const lua = statuses(run('atomic'), as);
    const multi = statuses(run('multi'), as);
    // Lua admits 40 in every 500 ms: 4 windows' worth, plus the last request
    expect(lua.filter((x) => x === 200)).toHaveLength(161);
    // MULTI admits the first 40, then the log never drops below the limit while hammered
    expect(multi.filter((x) => x === 200)).toHaveLength(41);
    expect(multi.slice(0, 40).every((x) => x === 200)).toBe(true);
    expect(multi.at(-1)).toBe(200);
    const tb = rateLimiterSchema.safeParse({
      upstream: 'app',
      algorithm: bucket,
      store: { id: 'kv', mode: 'multi' },
    });
    expect(tb.success).toBe(false);
  });
});
