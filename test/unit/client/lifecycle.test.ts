import { describe, expect, it } from 'vitest';
import { Harness } from '../../helpers/client-harness.ts';

const LINK = [{ between: ['client', 'server'], latency: '5ms' }];
const rows = (n: number, gap = 1) =>
  Array.from({ length: n }, (_, i) => [i * gap, 'GET', '/', i, 0]);

describe('request lifecycle', () => {
  it('a timeout ends each request once; late responses are discarded and counted', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { service: 200_000 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'replay', rows: rows(10) },
      timeout: '100ms',
      connection: { tls: 'none' },
    });
    h.run();
    const r = h.result('client');
    expect(r.completions).toBe(10);
    expect(r.byStatus).toEqual({ '0': 10 });
    expect(r.counters.timeouts).toBe(10);
    expect(r.counters.late).toBe(10);
    expect(r.latency.max).toBeCloseTo(0.1, 6);
    // HTTP/1.1 closes a connection with a response outstanding: a new handshake each time.
    expect(r.counters.handshakes).toBe(10);
  });

  it('dropped requests end by timeout', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { dropProb: 1 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'replay', rows: rows(3) },
      timeout: '2s',
    });
    h.run();
    expect(h.result('client').counters.timeouts).toBe(3);
    expect(h.result('client').counters.late).toBeUndefined();
  });

  it('retries 503s up to max; attempts, retries and amplification add up', () => {
    const h = new Harness(1, LINK);
    const server = h.echo('server', { failProb: 1, failStatus: 503 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'replay', rows: rows(20) },
      retries: { max: 3, backoff: { kind: 'exponential', base: '10ms', cap: '1s' } },
    });
    h.run();
    const r = h.result('client');
    expect(r.counters.offered).toBe(20);
    expect(r.counters.attempts).toBe(80);
    expect(r.counters.retries).toBe(60);
    expect(server.requests).toBe(80);
    expect(r.ratios.amplification).toBe(4);
    expect(r.byStatus).toEqual({ '503': 20 });
    expect(r.breakdown!.backoff!.mean).toBeGreaterThan(0);
  });

  it('never retries non-idempotent requests by default', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { failProb: 1 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'poisson', rate: '10/s' },
      mix: [{ name: 'cart', method: 'POST', route: '/cart' }],
      retries: { max: 3 },
      stopAfter: '5s',
    });
    h.run();
    expect(h.counter('client', 'retries')).toBe(0);
  });

  it('the retry budget caps retries at ratio × requests + reserve', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { failProb: 1 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'constant', rate: '100/s' },
      retries: { max: 3, budget: { ratio: 0.1, minPerSecond: 1, ttl: '10s' } },
      stopAfter: '8s',
    });
    h.run();
    const offered = h.counter('client', 'offered');
    const retries = h.counter('client', 'retries');
    expect(offered).toBe(799);
    expect(retries).toBeLessThanOrEqual(0.1 * offered + 10 + 1);
    expect(retries).toBeGreaterThan(0.1 * offered);
    expect(h.counter('client', 'retryBudgetExhausted')).toBeGreaterThan(offered - retries / 3 - 1);
  });

  it('honours Retry-After on 429', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { failProb: 1, failStatus: 429, retryAfter: 2 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'replay', rows: rows(1) },
      retries: { max: 1, on: ['429'] },
    });
    h.run();
    const r = h.result('client');
    expect(r.counters.retries).toBe(1);
    expect(r.latency.max).toBeGreaterThan(2);
    expect(r.breakdown!.backoff!.mean).toBeCloseTo(2, 6);
  });

  it('latency counts from the intended send time, including waiting for a connection', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { service: 1_000_000 });
    h.open('client', {
      target: 'server',
      arrival: {
        process: 'replay',
        rows: [
          [0, 'GET', '/', 1, 0],
          [0, 'GET', '/', 2, 0],
        ],
      },
      connection: { poolSize: 1, tls: 'none' },
    });
    h.run();
    expect(h.result('client').latency.max).toBeCloseTo(0.01 + 2 * 1.01, 6);
  });

  it('phase means add up to the mean latency', () => {
    const h = new Harness(3, [
      { between: ['client', 'server'], latency: { dist: 'exponential', mean: '5ms' } },
    ]);
    h.echo('server', { service: 20_000, failProb: 0.2 });
    h.open('client', {
      target: 'server',
      arrival: { process: 'poisson', rate: '50/s' },
      retries: { max: 2 },
      connection: { poolSize: 4 },
      stopAfter: '20s',
    });
    h.run();
    const r = h.result('client');
    const sum = Object.values(r.breakdown!).reduce((a, p) => a + p.mean, 0);
    expect(sum).toBeCloseTo(r.latency.mean, 6);
  });

  it('closed loop: throughput X = N / (R + Z)', () => {
    const h = new Harness(1);
    h.echo('server', { service: 100_000 });
    h.closed('client', { target: 'server', users: 10, thinkTime: '900ms', stopAfter: '100s' });
    h.run();
    const r = h.result('client');
    expect(r.counters.offered).toBeGreaterThan(990);
    expect(r.counters.offered).toBeLessThanOrEqual(1000);
  });

  it('closed loop sessions pause between sessions', () => {
    const h = new Harness(1);
    h.echo('server', { service: 0 });
    h.closed('client', {
      target: 'server',
      users: 1,
      thinkTime: '1s',
      sessionLength: 3,
      betweenSessions: '10s',
      stopAfter: '30s',
    });
    h.run();
    // Session: t=1,2,3; pause 10s; t=13,14,15; t=25,26,27 → 9 requests before 30 s.
    expect(h.counter('client', 'offered')).toBe(9);
  });
});
