import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { appServerKind } from '../../models/server/app-server.ts';
import type { AppState } from '../../models/server/app-state.ts';
import { testStack } from '../helpers/poisson-source.ts';

const configArb = fc.record({
  model: fc.constantFrom('sync', 'threads', 'event-loop'),
  workers: fc.integer({ min: 1, max: 4 }),
  threads: fc.integer({ min: 1, max: 3 }),
  limit: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  backlog: fc.integer({ min: 0, max: 10 }),
  overflow: fc.constantFrom('refuse', '503'),
  cores: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  errorP: fc.double({ min: 0, max: 0.3, noNaN: true }),
  serviceMs: fc.integer({ min: 1, max: 50 }),
  ioMs: fc.integer({ min: 0, max: 20 }),
  timeoutMs: fc.integer({ min: 20, max: 500 }),
  rate: fc.integer({ min: 5, max: 400 }),
  crashAt: fc.option(fc.integer({ min: 100, max: 1500 }), { nil: undefined }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

describe('app-server invariants under random configs and load', () => {
  test('every request ends once, Little holds, gauges stay within bounds', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const st = testStack(c.seed);
        st.add(appServerKind, 'app', {
          concurrency: {
            model: c.model,
            ...(c.limit === undefined ? {} : { limitConcurrency: c.limit }),
          },
          workers: c.workers,
          threads: c.threads,
          backlog: c.backlog,
          overflow: c.overflow,
          workerTimeout: `${c.timeoutMs}ms`,
          respawnDelay: '50ms',
          ...(c.cores === undefined ? {} : { cores: c.cores }),
          routes: [
            {
              method: 'GET',
              route: '/',
              steps: [
                {
                  cpu: { dist: 'exponential', mean: `${c.serviceMs}ms` },
                  errorProbability: c.errorP,
                },
                ...(c.ioMs > 0 ? [{ parallel: [{ io: `${c.ioMs}ms` }, { cpu: '1ms' }] }] : []),
              ],
            },
          ],
        });
        const src = st.source('src', { ratePerSecond: c.rate, target: 'app', stopAt: 2_000_000 });
        const ref = st.sim.find('app')!;
        if (c.crashAt !== undefined) {
          st.sim.schedule(ref, { type: 'fault.crash' }, c.crashAt * 1000);
          st.sim.schedule(ref, { type: 'fault.restart' }, c.crashAt * 1000 + 200_000);
        }
        const s = st.sim.stateOf<AppState>(ref);
        const p = st.probes.get('app')!;
        let ok = true;
        for (let t = 100_000; t <= 2_000_000 && ok; t += 100_000) {
          st.sim.run({ until: t });
          const busy = s.workers.reduce((a, w) => a + w.busy, 0);
          ok = busy >= 0 && busy <= p.capacity && s.backlog.length >= 0 && p.queue.current >= 0;
          ok &&= s.workers.every((w) => w.busy >= 0 && w.busy <= s.slotsPerWorker);
          ok &&= p.arrivals === p.completions + s.jobs.size && p.inSystem.current === s.jobs.size;
        }
        expect(ok).toBe(true);
        // Drain: no new arrivals after 2 s; everything inside must end exactly once.
        st.sim.run({ until: 60_000_000 });
        // A request sent while the server is down is refused at the door: counted, not arrived.
        expect(p.arrivals + (p.counters.get('refusedWhileDown') ?? 0)).toBe(src.sent);
        expect(p.completions).toBe(p.arrivals);
        expect(src.received).toBe(src.sent);
        expect(s.jobs.size + s.backlog.length + s.pending.size).toBe(0);
        // Little's law over [0, now] once the system is empty: area under inSystem = sum of latencies.
        const now = st.sim.now;
        const area = p.inSystem.mean(now) * now;
        const sum = p.latency.mean * p.latency.count;
        expect(Math.abs(area - sum)).toBeLessThanOrEqual(1e-6 * Math.max(1, sum) + p.completions);
      }),
      { numRuns: 60 },
    );
  });
});
