import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from '../../../models/ratelimit/algorithms/adaptive-concurrency.ts';
import { FixedWindow } from '../../../models/ratelimit/algorithms/fixed-window.ts';
import { Gcra } from '../../../models/ratelimit/algorithms/gcra.ts';
import { LeakyMeter } from '../../../models/ratelimit/algorithms/leaky-meter.ts';
import { LeakyQueue } from '../../../models/ratelimit/algorithms/leaky-queue.ts';
import { SlidingCounter } from '../../../models/ratelimit/algorithms/sliding-counter.ts';
import { TokenBucket } from '../../../models/ratelimit/algorithms/token-bucket.ts';
import { TokenBucketTick } from '../../../models/ratelimit/algorithms/token-bucket-tick.ts';
import { createAlgorithm } from '../../../models/ratelimit/spec.ts';

const S = 1_000_000;
const MS = 1000;

describe('leaky meter = NGINX limit_req', () => {
  it('rate=1r/s burst=5: 7 simultaneous requests pass, delayed 0..5 s, and the 7th is rejected', () => {
    const m = new LeakyMeter({ rate: 1, burst: 5, delay: 0 });
    const ds = Array.from({ length: 7 }, () => m.decide('k', 10 * S));
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, false]);
    expect(ds.slice(0, 6).map((d) => d.delay / S)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('nodelay passes the burst at once, still rejects beyond it, then frees 1 per second', () => {
    const m = new LeakyMeter({ rate: 1, burst: 5, delay: Number.POSITIVE_INFINITY });
    const ds = Array.from({ length: 7 }, () => m.decide('k', 10 * S));
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, false]);
    expect(ds.every((d) => d.delay === 0)).toBe(true);
    expect(m.decide('k', 10 * S + 999 * MS).allowed).toBe(false);
    expect(m.decide('k', 11 * S).allowed).toBe(true);
  });

  it('delay=2 passes the first 3 undelayed, then delays by the excess beyond 2', () => {
    const m = new LeakyMeter({ rate: 2, burst: 4, delay: 2 });
    const ds = Array.from({ length: 6 }, () => m.decide('k', S));
    expect(ds.map((d) => (d.allowed ? d.delay / MS : -1))).toEqual([0, 0, 0, 500, 1000, -1]);
  });

  it('uses whole milliseconds and integer milli-requests like the C code', () => {
    const m = new LeakyMeter({ rate: 3, burst: 0, delay: 0 });
    expect(m.decide('k', 0).allowed).toBe(true);
    // 333 ms leaks 3000·333/1000 = 999 milli-requests: excess 1 > 0, rejected; 334 ms passes.
    expect(m.decide('k', 333 * MS + 999).allowed).toBe(false);
    expect(m.decide('k', 334 * MS).allowed).toBe(true);
  });
});

describe('token bucket: continuous refill versus one token per tick', () => {
  it('gives different answers on the same arrivals', () => {
    const cont = new TokenBucket({ rate: 10, burst: 1 });
    const tick = new TokenBucketTick({ burst: 1, interval: 100 * MS, tokensPerFill: 1 });
    const times = [0, 110 * MS, 205 * MS];
    expect(times.map((t) => cont.decide('k', t).allowed)).toEqual([true, true, false]);
    expect(times.map((t) => tick.decide('k', t).allowed)).toEqual([true, true, true]);
  });

  it('GCRA with maxBurst = b − 1 decides like a continuous token bucket of capacity b', () => {
    const tb = new TokenBucket({ rate: 8, burst: 4 });
    const g = new Gcra({ count: 8, period: S, maxBurst: 3 });
    let t = 0;
    let x = 11;
    for (let i = 0; i < 5000; i++) {
      x = (x * 69069 + 1) % 4294967296;
      t += 1 + Math.floor((x / 4294967296) * 250 * MS);
      expect(g.decide('k', t).allowed).toBe(tb.decide('k', t).allowed);
    }
  });

  it('reports redis-cell style fields for GCRA', () => {
    const g = new Gcra({ count: 1, period: S, maxBurst: 2 });
    const d = g.decide('k', 0);
    expect(d).toMatchObject({ allowed: true, limit: 3, remaining: 2, resetAfter: S });
    g.decide('k', 0);
    g.decide('k', 0);
    const r = g.decide('k', 0);
    expect(r).toMatchObject({ allowed: false, remaining: 0, retryAfter: S });
  });
});

describe('windows', () => {
  it('fixed window admits 2L across a boundary, the weighted counter does not', () => {
    const fw = new FixedWindow({ limit: 10, window: S });
    const sc = new SlidingCounter({ limit: 10, window: S });
    let fwN = 0;
    let scN = 0;
    for (let i = 0; i < 20; i++) {
      const t = S - 10 * MS + i * MS; // 20 requests within 20 ms around t = 1 s
      if (fw.decide('k', t).allowed) fwN++;
      if (sc.decide('k', t).allowed) scN++;
    }
    expect(fwN).toBe(20);
    expect(scN).toBe(10);
  });

  it('fixed window reports the time to the window end as Retry-After', () => {
    const fw = new FixedWindow({ limit: 1, window: S });
    fw.decide('k', 300 * MS);
    expect(fw.decide('k', 300 * MS).retryAfter).toBe(700 * MS);
  });
});

describe('leaky queue and adaptive concurrency', () => {
  it('leaky queue spaces admissions by 1/rate and rejects when the queue is full', () => {
    const q = new LeakyQueue({ rate: 10, capacity: 3 });
    const ds = Array.from({ length: 5 }, () => q.decide('k', S));
    expect(ds.map((d) => (d.allowed ? d.delay / MS : -1))).toEqual([0, 100, 200, 300, -1]);
  });

  it('AIMD shrinks the limit on slow completions and grows it on fast ones', () => {
    const a = new AdaptiveConcurrency({
      initial: 10,
      min: 2,
      max: 50,
      backoff: 0.5,
      timeout: 100 * MS,
    });
    for (let i = 0; i < 10; i++) expect(a.decide('k', 0).allowed).toBe(true);
    expect(a.decide('k', 0).allowed).toBe(false);
    a.onComplete('k', 0, 500 * MS, true);
    expect(a.limit).toBe(5);
    for (let i = 0; i < 9; i++) a.onComplete('k', 0, 500 * MS, true);
    expect(a.limit).toBe(2);
    for (let i = 0; i < 10; i++) {
      let n = 0;
      while (a.decide('k', 0).allowed) n++;
      for (let j = 0; j < n; j++) a.onComplete('k', 0, MS, true);
    }
    expect(a.limit).toBeGreaterThan(10);
    // Grows only while the limit is in use: two in flight at a time cannot push it past 5.
    const b = new AdaptiveConcurrency({ initial: 2, min: 1, max: 50, backoff: 0.5, timeout: S });
    for (let i = 0; i < 50; i++) {
      b.decide('k', 0);
      b.decide('k', 0);
      b.onComplete('k', 0, MS, true);
      b.onComplete('k', 0, MS, true);
    }
    expect(b.limit).toBe(5);
  });
});

describe('concurrency = NGINX limit_conn', () => {
  it('limit 2: a third request of one key in flight is rejected until one completes', () => {
    const a = createAlgorithm({ algorithm: 'concurrency', limit: 2 });
    expect([1, 2, 3].map(() => a.decide('ip', 0).allowed)).toEqual([true, true, false]);
    expect(a.decide('other', 0).allowed).toBe(true);
    a.onComplete?.('ip', 10, 10, true);
    expect(a.decide('ip', 10).allowed).toBe(true);
    expect(a.decide('ip', 10).allowed).toBe(false);
    for (const k of ['ip', 'ip', 'other']) a.onComplete?.(k, 20, 10, true);
    expect(a.size()).toBe(0);
  });
});
