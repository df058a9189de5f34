import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponential } from '../../engine/index.ts';
import type { ClientState } from '../../models/client/job.ts';
import { Harness } from '../helpers/client-harness.ts';

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  closed: fc.boolean(),
  rate: fc.integer({ min: 5, max: 150 }),
  latencyMs: fc.integer({ min: 0, max: 20 }),
  loss: fc.constantFrom(0, 0, 0.01, 0.1),
  serviceMs: fc.integer({ min: 1, max: 200 }),
  failProb: fc.constantFrom(0, 0.1, 0.5, 1),
  failStatus: fc.constantFrom(503, 429, 500),
  retryAfter: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  dropProb: fc.constantFrom(0, 0.05, 0.3),
  timeoutMs: fc.integer({ min: 20, max: 2000 }),
  protocol: fc.constantFrom('http1.1', 'http2'),
  tls: fc.constantFrom('none', '1.2', '1.3'),
  keepAlive: fc.boolean(),
  poolSize: fc.integer({ min: 1, max: 4 }),
  retries: fc.option(
    fc.record({
      max: fc.integer({ min: 0, max: 3 }),
      on: fc.subarray(['5xx', '429', 'timeout', 'connect-error'] as const),
      jitter: fc.constantFrom('none', 'full', 'equal', 'decorrelated'),
      budget: fc.option(
        fc.record({ ratio: fc.constantFrom(0, 0.1, 0.5), minPerSecond: fc.constantFrom(0, 2) }),
        {
          nil: undefined,
        },
      ),
    }),
    { nil: undefined },
  ),
  cors: fc.boolean(),
});

describe('client invariants', () => {
  it('every request ends exactly once; retries stay within max and budget; latency ≥ 0', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const h = new Harness(s.seed, [
          { between: ['client', 'server'], latency: `${s.latencyMs}ms`, loss: s.loss },
        ]);
        h.echo('server', {
          service: exponential(s.serviceMs * 1000),
          failProb: s.failProb,
          failStatus: s.failStatus,
          dropProb: s.dropProb,
          ...(s.retryAfter === undefined ? {} : { retryAfter: s.retryAfter }),
        });
        const common = {
          target: 'server',
          timeout: `${s.timeoutMs}ms`,
          stopAfter: '3s',
          mix: [
            { name: 'get', weight: 3, route: '/p/{key}', keys: { dist: 'zipf', n: 100 } },
            {
              name: 'put',
              method: 'PUT',
              route: '/cart',
              headers: { origin: 'https://app.example', authorization: 'bearer' },
            },
          ],
          connection: {
            protocol: s.protocol,
            tls: s.tls,
            keepAlive: s.keepAlive,
            poolSize: s.poolSize,
          },
          ...(s.cors ? { cors: { origins: ['https://app.example'], maxAge: '1s' } } : {}),
          ...(s.retries === undefined
            ? {}
            : {
                retries: {
                  max: s.retries.max,
                  on: s.retries.on,
                  jitter: s.retries.jitter,
                  onlyIdempotent: false,
                  ...(s.retries.budget === undefined
                    ? {}
                    : { budget: { ...s.retries.budget, ttl: '1s' } }),
                },
              }),
        };
        if (s.closed)
          h.closed('client', { ...common, users: Math.ceil(s.rate / 10), thinkTime: '50ms' });
        else h.open('client', { ...common, arrival: { process: 'poisson', rate: `${s.rate}/s` } });
        h.run();
        const p = h.probes.get('client')!;
        const c = (n: string) => p.counters.get(n) ?? 0;
        const offered = c('offered');
        let byStatus = 0;
        for (const n of p.statuses.values()) byStatus += n;
        expect(byStatus).toBe(offered);
        expect(p.completions).toBe(offered);
        expect(p.arrivals).toBe(offered);
        const state = h.sim.stateOf<ClientState>(h.sim.find('client')!);
        expect(state.jobs.size).toBe(0);
        expect(state.inflight.size).toBe(0);
        expect(p.queue.current).toBe(0);
        expect(p.inSystem.current).toBe(0);
        expect(c('attempts')).toBe(offered + c('retries'));
        expect(c('retries')).toBeLessThanOrEqual((s.retries?.max ?? 0) * offered);
        const b = s.retries?.budget;
        if (b !== undefined) {
          const windows = Math.ceil(h.sim.now / 1e6) + 1;
          expect(c('retries')).toBeLessThanOrEqual(
            b.ratio * offered + b.minPerSecond * windows + 1e-9,
          );
        }
        expect(c('late')).toBeLessThanOrEqual(c('attempts') + c('preflights'));
        if (offered > 0) expect(p.latency.min).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });
});
