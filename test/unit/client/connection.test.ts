import { describe, expect, it } from 'vitest';
import {
  connectionSchema,
  handshake,
  SYN_RTO,
  tlsRoundTrips,
} from '../../../models/client/connection.ts';
import { Harness } from '../../helpers/client-harness.ts';

const LINK = [{ between: ['client', 'server'], latency: '10ms' }];

describe('handshake round trips', () => {
  const conn = (raw: object) => connectionSchema.parse(raw);
  it('TLS 1.3 full 1 RTT, TLS 1.2 full 2, resumed 1.2 1, 0-RTT only for idempotent', () => {
    expect(tlsRoundTrips(conn({ tls: 'none' }), false, true)).toBe(0);
    expect(tlsRoundTrips(conn({ tls: '1.3' }), false, true)).toBe(1);
    expect(tlsRoundTrips(conn({ tls: '1.2' }), false, true)).toBe(2);
    expect(tlsRoundTrips(conn({ tls: '1.2' }), true, true)).toBe(1);
    expect(tlsRoundTrips(conn({ tls: '1.3', zeroRtt: true }), true, true)).toBe(0);
    expect(tlsRoundTrips(conn({ tls: '1.3', zeroRtt: true }), true, false)).toBe(1);
  });

  it('times TCP and TLS separately; a lost SYN costs the 1 s RTO', () => {
    expect(handshake(() => 10_000, 2)).toEqual({ ok: true, tcp: 20_000, tls: 40_000 });
    let n = 0;
    const firstLost = () => (n++ === 0 ? -1 : 10_000);
    expect(handshake(firstLost, 1)).toEqual({ ok: true, tcp: SYN_RTO + 20_000, tls: 20_000 });
    const r = handshake(() => -1, 0);
    expect(r.ok).toBe(false);
  });
});

/** Runs one cold request with the given connection config; returns the client probe. */
function coldRequest(connection: object) {
  const h = new Harness(1, LINK);
  h.echo('server', { service: 1_000 });
  h.open('client', {
    target: 'server',
    arrival: { process: 'replay', rows: [[0, 'GET', '/', 1, 0]] },
    connection,
  });
  h.run();
  return h.result('client');
}

describe('connection setup in a client', () => {
  it('TLS 1.2 costs one more RTT than TLS 1.3; phases connect and tls are recorded', () => {
    const r13 = coldRequest({ tls: '1.3' });
    const r12 = coldRequest({ tls: '1.2' });
    const rNone = coldRequest({ tls: 'none' });
    expect(r13.latency.max).toBeCloseTo(0.061, 4);
    expect(r12.latency.max).toBeCloseTo(0.081, 4);
    expect(rNone.latency.max).toBeCloseTo(0.041, 4);
    expect(r12.breakdown?.tls?.mean).toBeCloseTo(0.04, 4);
    expect(r13.breakdown?.tls?.mean).toBeCloseTo(0.02, 4);
    expect(r13.breakdown?.connect?.mean).toBeCloseTo(0.02, 4);
    expect(r13.breakdown?.service?.mean).toBeCloseTo(0.001, 4);
    expect(r13.breakdown?.network?.mean).toBeCloseTo(0.02, 4);
    expect(rNone.breakdown?.tls).toBeUndefined();
  });

  it('resumption: a second connection to the same host skips a TLS 1.2 round trip', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { service: 0 });
    h.open('client', {
      target: 'server',
      arrival: {
        process: 'replay',
        rows: [
          [0, 'GET', '/', 1, 0],
          [1, 'GET', '/', 2, 0],
        ],
      },
      connection: { tls: '1.2', keepAlive: false },
    });
    h.run();
    const p = h.probes.get('client')!;
    expect(p.counters.get('handshakes')).toBe(2);
    expect(p.latency.max).toBe(80_000); // cold: TCP + 2 TLS + request round trips
    expect(p.latency.min).toBe(60_000); // resumed: TCP + 1 TLS + request
  });

  it('HTTP/1.1 with a pool of 2 queues requests; HTTP/2 multiplexes them on one connection', () => {
    const rows = Array.from({ length: 10 }, (_, i) => [0, 'GET', '/', i, 0]);
    const run = (connection: object) => {
      const h = new Harness(1, LINK);
      const server = h.echo('server', { service: 100_000 });
      h.open('client', { target: 'server', arrival: { process: 'replay', rows }, connection });
      h.run();
      return { r: h.result('client'), server };
    };
    const h1 = run({ protocol: 'http1.1', poolSize: 2, tls: 'none' });
    const h2 = run({ protocol: 'http2', tls: 'none' });
    expect(h1.r.counters.handshakes).toBe(2);
    expect(h2.r.counters.handshakes).toBe(1);
    expect(h1.server.maxBusy).toBe(2);
    expect(h2.server.maxBusy).toBe(10);
    // HTTP/1.1: five rounds of (RTT + 100 ms) after the handshake; HTTP/2: one round.
    expect(h1.r.latency.max).toBeCloseTo(0.02 + 5 * 0.12, 3);
    expect(h2.r.latency.max).toBeCloseTo(0.02 + 0.12, 3);
    expect(h1.r.breakdown!.connect!.p99).toBeGreaterThan(0.4);
  });

  it('idle connections expire after idleTimeout', () => {
    const handshakes = (idleTimeout: string) => {
      const h = new Harness(1, LINK);
      h.echo('server');
      h.open('client', {
        target: 'server',
        arrival: { process: 'constant', rate: '1/s' },
        connection: { idleTimeout, tls: 'none' },
        stopAfter: '5s',
      });
      h.run();
      expect(h.counter('client', 'offered')).toBe(4);
      return h.counter('client', 'handshakes');
    };
    expect(handshakes('500ms')).toBe(4);
    expect(handshakes('10s')).toBe(1);
  });
});

describe('client queue gauge', () => {
  it('counts requests waiting for a pooled connection and returns to zero', () => {
    const h = new Harness(1, LINK);
    h.echo('server', { service: 100_000 });
    const rows = Array.from({ length: 5 }, (_, i) => [0, 'GET', '/', i, 0]);
    h.open('client', {
      target: 'server',
      arrival: { process: 'replay', rows },
      connection: { poolSize: 1, tls: 'none' },
    });
    h.run();
    const p = h.probes.get('client')!;
    expect(p.queue.max).toBe(4);
    expect(p.queue.current).toBe(0);
  });
});
