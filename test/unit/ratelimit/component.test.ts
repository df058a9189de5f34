import { describe, expect, it } from 'vitest';
import { createGate } from '../../../models/ratelimit/gate.ts';
import { testKvState } from '../../helpers/kv-store.ts';
import { type Arrival, makeRequest, runLimiter } from './harness.ts';

const S = 1_000_000;
const MS = 1000;
const burst = (n: number, at: number, extra: Partial<Arrival> = {}): Arrival[] =>
  Array.from({ length: n }, () => ({ at, ...extra }));

describe('rate-limiter component', () => {
  it('answers 429 with Retry-After and X-RateLimit-* headers, and forwards the rest', () => {
    const run = runLimiter({
      limiter: { algorithm: { algorithm: 'fixed-window', limit: 3, window: '1s' } },
      arrivals: burst(5, 200 * MS),
    });
    expect(run.admitted).toHaveLength(3);
    const rejected = run.seen.filter((s) => s.status === 429);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]!.res.headers).toEqual({
      retryAfter: 1,
      rateLimitLimit: 3,
      rateLimitRemaining: 0,
      rateLimitReset: 1,
    });
    const ok = run.seen.find((s) => s.status === 200)!;
    expect(ok.res.headers.rateLimitLimit).toBe(3);
    expect(run.result.counters).toMatchObject({ allowed: 3, rejected: 2 });
    expect(run.result.ratios.rejectRatio429).toBeCloseTo(0.4);
  });

  it('uses a configured status (NGINX limit_req_status default 503) and header style none', () => {
    const run = runLimiter({
      limiter: {
        algorithm: { algorithm: 'token-bucket', rate: '1/s', burst: 1 },
        status: 503,
        headers: 'none',
      },
      arrivals: burst(2, 0),
    });
    const r = run.seen.find((s) => s.status !== 200)!;
    expect(r.status).toBe(503);
    expect(r.res.headers).toEqual({ retryAfter: 1 });
  });

  it('holds delayed requests (leaky meter) and reports the delay distribution', () => {
    const run = runLimiter({
      limiter: { algorithm: { algorithm: 'leaky-meter', rate: '10/s', burst: 5 } },
      arrivals: burst(4, 0),
    });
    expect(run.admitted).toEqual([0, 100 * MS, 200 * MS, 300 * MS]);
    expect(run.result.counters.delayed).toBe(3);
    expect(run.result.latency.max).toBeCloseTo(0.3, 2);
    const delay = run.result.extras!.delay as { count: number; max: number };
    expect(delay.count).toBe(3);
  });

  it('applies per-tier limits from req.tier and reports per-tier counts', () => {
    const arrivals: Arrival[] = [];
    for (let t = 0; t < 2 * S; t += 2 * MS) {
      arrivals.push({ at: t, tier: 'free', user: 1 }, { at: t, tier: 'pro', user: 2 });
    }
    const run = runLimiter({
      limiter: {
        key: 'apiKey',
        tiers: {
          free: { algorithm: 'token-bucket', rate: '10/s', burst: 10 },
          pro: { algorithm: 'token-bucket', rate: '100/s', burst: 100 },
        },
      },
      arrivals,
    });
    const tiers = run.result.extras!.tiers as Record<string, { allowed: number }>;
    expect(tiers.free!.allowed).toBe(10 + 19); // burst + 10/s × 1.998 s
    expect(tiers.pro!.allowed).toBeGreaterThanOrEqual(299);
    expect(tiers.pro!.allowed).toBeLessThanOrEqual(300);
  });

  it('locks a user out after repeated failed logins, and only on the login route', () => {
    const arrivals: Arrival[] = [];
    for (let i = 0; i < 10; i++)
      arrivals.push({ at: i * 10 * MS, user: 7, route: '/login', credentialsValid: false });
    arrivals.push({ at: 200 * MS, user: 7, route: '/api' });
    arrivals.push({ at: 200 * MS, user: 8, route: '/login', credentialsValid: true });
    const run = runLimiter({
      limiter: {
        lockout: { route: '/login', key: 'user', maxFailures: 3, window: '1m', duration: '15m' },
      },
      arrivals,
    });
    const statuses = run.seen
      .filter((s) => s.arrival.user === 7 && s.arrival.route === '/login')
      .map((s) => s.status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    expect(run.seen.filter((s) => s.arrival.route === '/api')[0]!.status).toBe(200);
    expect(run.seen.filter((s) => s.arrival.user === 8)[0]!.status).toBe(200);
    expect(run.result.counters.lockedOut).toBe(7);
  });

  it('a per-instance limiter multiplies with the replica count', () => {
    const arrivals: Arrival[] = [];
    for (let t = 0; t < 10 * S; t += MS) arrivals.push({ at: t });
    const algorithm = { algorithm: 'fixed-window', limit: 10, window: '1s' };
    const one = runLimiter({ limiter: { algorithm }, arrivals });
    const four = runLimiter({ limiter: { algorithm }, replicas: 4, arrivals });
    expect(one.admitted).toHaveLength(100);
    expect(four.admitted).toHaveLength(400);
    expect(four.result.replicas).toBe(4);
    // Over-admission against the configured 10/s, measured across replicas: 300 of 400.
    expect(four.result.extras!.overAdmitted).toBe(300);
  });
});

describe('shared counters in a kv-store', () => {
  const arrivals: Arrival[] = [];
  for (let t = 0; t < 5 * S; t += 250) arrivals.push({ at: t }); // 4000/s offered over 8 limiters
  const algorithm = { algorithm: 'fixed-window', limit: 100, window: '1s' };

  it('atomic INCR obeys the global bound exactly; read-then-write over-admits', () => {
    const atomic = runLimiter({
      limiter: { algorithm, store: { id: 'kv', mode: 'atomic' } },
      replicas: 8,
      arrivals,
    });
    const racy = runLimiter({
      limiter: { algorithm, store: { id: 'kv', mode: 'read-then-write' } },
      replicas: 8,
      arrivals,
    });
    expect(atomic.admitted).toHaveLength(500);
    expect(atomic.result.extras!.overAdmitted).toBe(0);
    expect(racy.admitted.length).toBeGreaterThan(500);
    expect(racy.result.extras!.overAdmitted).toBe(racy.admitted.length - 500);
    const rtt = atomic.result.extras!.storeRoundTrip as { mean: number };
    expect(rtt.mean).toBeCloseTo(0.001, 6);
  });

  it('fails open or closed when the store is down or hangs', () => {
    const few = arrivals.slice(0, 50);
    const down = testKvState();
    down.down = true;
    const open = runLimiter({
      limiter: { algorithm, store: { id: 'kv', failure: 'open' } },
      arrivals: few,
      store: down,
    });
    expect(open.admitted).toHaveLength(50);
    expect(open.result.counters.storeFailOpen).toBe(50);
    const hung = testKvState();
    hung.hung = true;
    const closed = runLimiter({
      limiter: { algorithm, store: { id: 'kv', failure: 'closed', timeout: '5ms' } },
      arrivals: few,
      store: hung,
    });
    expect(closed.admitted).toHaveLength(0);
    expect(closed.result.counters.storeTimeouts).toBe(50);
    expect(closed.seen.every((s) => s.at - s.sentAt === 5 * MS && s.status === 429)).toBe(true);
  });
});

describe('app-server gate', () => {
  it('satisfies RequestGate and keeps state per instance', () => {
    const gate = createGate({ algorithm: { algorithm: 'token-bucket', rate: '1/s', burst: 2 } });
    const req = makeRequest();
    expect(gate.admit(req, 0)).toEqual({
      allowed: true,
      headers: { rateLimitLimit: 2, rateLimitRemaining: 1, rateLimitReset: 1 },
    });
    gate.admit(req, 0);
    const r = gate.admit(req, 0);
    expect(r.allowed).toBe(false);
    expect(r.status).toBe(429);
    expect(r.headers?.retryAfter).toBe(1);
    const other = createGate({ algorithm: { algorithm: 'token-bucket', rate: '1/s', burst: 2 } });
    expect(other.admit(req, 0).allowed).toBe(true);
  });
});

describe('gate kinds for the app server rateLimit step', () => {
  it('builds a gate from the flat step config', async () => {
    const { RATE_LIMIT_GATE_KINDS } = await import('../../../models/ratelimit/gate.ts');
    const kind = RATE_LIMIT_GATE_KINDS.find((k) => k.algorithm === 'leaky-meter')!;
    const gate = kind.build({
      algorithm: 'leaky-meter',
      rate: '1/s',
      burst: 5,
      status: 503,
      routes: ['/api'],
    });
    const req = makeRequest();
    const delays = Array.from({ length: 7 }, () => gate.admit(req, 0));
    expect(delays.map((v) => (v.allowed ? (v.delay ?? 0) / S : v.status))).toEqual([
      0, 1, 2, 3, 4, 5, 503,
    ]);
  });
});
