import { describe, expect, test } from 'vitest';
import { needsPreflight } from '../../../models/client/cors.ts';
import { runScenario } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';

const ORIGIN = 'https://shop.example.com';

/** A browser on ORIGIN sending 10 requests of one class to an API with (or without) a CORS policy. */
function run(cls: Record<string, unknown>, cors: unknown) {
  const raw = {
    version: 1,
    name: 'cors',
    seed: 1,
    run: { duration: '10.5s', warmup: '0s', window: '0.5s' },
    components: {
      browser: {
        type: 'client.open',
        target: 'api',
        arrival: { process: 'constant', rate: '1/s' },
        cors: {},
        mix: [
          {
            name: 'c',
            route: '/cart',
            ...cls,
            headers: { origin: ORIGIN, ...(cls.headers as object) },
          },
        ],
      },
      api: {
        type: 'app-server',
        ...(cors === undefined ? {} : { cors }),
        routes: ['GET', 'POST', 'PUT'].map((method) => ({ method, route: '/cart', status: 200 })),
      },
    },
    links: [],
  };
  const v = validateScenario(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return runScenario(v.scenario).components;
}

describe('CORS: the server holds the policy, the browser enforces it', () => {
  test('Fetch rules: JSON bodies, Authorization and custom headers need a preflight; form posts and cookies do not', () => {
    const o = { origin: ORIGIN };
    expect(needsPreflight('POST', { ...o, contentType: 'application/json' })).toBe(true);
    expect(needsPreflight('POST', { ...o, contentType: 'text/plain; charset=utf-8' })).toBe(false);
    expect(needsPreflight('POST', { ...o, contentType: 'application/x-www-form-urlencoded' })).toBe(
      false,
    );
    expect(needsPreflight('GET', { ...o, extra: ['X-Requested-With'] })).toBe(true);
    expect(needsPreflight('GET', { ...o, extra: ['Accept-Language'] })).toBe(false);
    expect(needsPreflight('GET', { ...o, authorization: 'session', cookies: { sid: '1' } })).toBe(
      false,
    );
    expect(needsPreflight('PATCH', o)).toBe(true);
  });

  test('a preflight is answered by the policy (204), not routed: no OPTIONS route needed; cached for max-age', () => {
    const policy = {
      origins: [ORIGIN],
      methods: ['GET', 'PUT'],
      headers: ['Content-Type'],
      maxAge: '600s',
    };
    const c = run({ method: 'PUT', headers: { contentType: 'application/json' } }, policy);
    expect(c.browser!.counters.preflights).toBe(1);
    expect(c.api!.byStatus['204']).toBe(1);
    expect(c.api!.byStatus['405'] ?? 0).toBe(0);
    expect(c.browser!.byStatus['200']).toBe(10);
    // Without Access-Control-Max-Age the browser keeps it 5 s: two preflights in 10 s.
    const short = run(
      { method: 'PUT', headers: { contentType: 'application/json' } },
      { ...policy, maxAge: undefined },
    );
    expect(short.browser!.counters.preflights).toBe(2);
  });

  test('without a policy the preflight is routed and gets 405: the request is never sent', () => {
    const c = run({ method: 'PUT' }, undefined);
    expect(c.api!.byStatus['405']).toBe(10);
    expect(c.browser!.byStatus['200'] ?? 0).toBe(0);
  });

  test('a method or header the policy does not allow, or another origin, is blocked after the preflight', () => {
    const policy = { origins: [ORIGIN], methods: ['GET'] };
    const method = run({ method: 'PUT' }, policy);
    expect(method.browser!.counters.corsBlocked).toBe(10);
    expect(method.api!.byStatus['200'] ?? 0).toBe(0);
    const header = run({ method: 'POST', headers: { contentType: 'application/json' } }, policy);
    expect(header.browser!.counters.corsBlocked).toBe(10);
    const origin = run(
      { method: 'PUT' },
      { origins: ['https://other.example.com'], methods: ['PUT'] },
    );
    expect(origin.browser!.counters.corsBlocked).toBe(10);
  });

  test('"*" with credentials is refused as browsers do; without credentials it is fine', () => {
    const policy = { origins: '*', credentials: true };
    const credentialed = run({ method: 'GET', headers: { credentials: 'include' } }, policy);
    // A simple GET reaches the server, which answers; the browser hides the answer.
    expect(credentialed.api!.byStatus['200']).toBe(10);
    expect(credentialed.browser!.counters.corsBlocked).toBe(10);
    const plain = run({ method: 'GET' }, policy);
    expect(plain.browser!.byStatus['200']).toBe(10);
    const exact = run(
      { method: 'GET', headers: { credentials: 'include' } },
      { origins: [ORIGIN], credentials: true },
    );
    expect(exact.browser!.byStatus['200']).toBe(10);
  });
});
