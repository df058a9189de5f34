import { describe, expect, it } from 'vitest';
import { needsPreflight } from '../../../models/client/cors.ts';
import { Harness } from '../../helpers/client-harness.ts';

const LINK = [{ between: ['client', 'server'], latency: '10ms' }];
const ORIGIN = 'https://app.example';

function run(opts: {
  method: string;
  auth?: boolean;
  origin: string;
  maxAge: string;
  gap: number;
}) {
  const h = new Harness(1, LINK);
  const server = h.echo('server', { service: 1_000 });
  const rows = Array.from({ length: 5 }, (_, i) => [i * opts.gap, opts.method, '/cart', i, 0]);
  h.open('client', {
    target: 'server',
    arrival: { process: 'replay', rows },
    mix: [
      {
        name: 'cart',
        method: opts.method,
        route: '/cart',
        headers: { origin: opts.origin, ...(opts.auth ? { authorization: 'bearer' } : {}) },
      },
    ],
    connection: { tls: 'none' },
    cors: { origins: [ORIGIN], maxAge: opts.maxAge },
  });
  h.run();
  return { r: h.result('client'), server };
}

describe('CORS preflight', () => {
  it('simple requests need none; other methods or Authorization do', () => {
    expect(needsPreflight('GET', { origin: ORIGIN })).toBe(false);
    expect(needsPreflight('POST', { origin: ORIGIN })).toBe(false);
    expect(needsPreflight('PUT', { origin: ORIGIN })).toBe(true);
    expect(needsPreflight('GET', { origin: ORIGIN, authorization: 'bearer' })).toBe(true);
    expect(needsPreflight('PUT', {})).toBe(false);
  });

  it('caches the preflight per (origin, route) for max-age', () => {
    const cached = run({ method: 'PUT', origin: ORIGIN, maxAge: '600s', gap: 1 });
    expect(cached.r.counters.preflights).toBe(1);
    expect(cached.server.byMethod.get('OPTIONS')).toBe(1);
    expect(cached.server.byMethod.get('PUT')).toBe(5);
    expect(cached.r.byStatus['200']).toBe(5);
    // The first request pays one extra round trip plus the server's work.
    expect(cached.r.latency.max).toBeCloseTo(0.02 + 0.021 + 0.021, 4);
    expect(cached.r.breakdown?.preflight?.p99).toBeCloseTo(0.021, 3);
    const expired = run({ method: 'GET', auth: true, origin: ORIGIN, maxAge: '1s', gap: 2 });
    expect(expired.r.counters.preflights).toBe(5);
  });

  it('blocks a disallowed origin after the preflight: status 0, counted, request never sent', () => {
    const { r, server } = run({
      method: 'DELETE',
      origin: 'https://evil.example',
      maxAge: '600s',
      gap: 1,
    });
    expect(r.byStatus).toEqual({ '0': 5 });
    expect(r.counters.corsBlocked).toBe(5);
    expect(server.byMethod.get('DELETE')).toBeUndefined();
    expect(server.byMethod.get('OPTIONS')).toBe(5);
  });

  it('a simple request from a disallowed origin reaches the server but is blocked', () => {
    const { r, server } = run({
      method: 'POST',
      origin: 'https://evil.example',
      maxAge: '600s',
      gap: 1,
    });
    expect(server.byMethod.get('POST')).toBe(5);
    expect(r.counters.corsBlocked).toBe(5);
    expect(r.counters.goodput).toBeUndefined();
  });
});
