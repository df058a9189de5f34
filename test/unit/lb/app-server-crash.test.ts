// A real app-server behind a real balancer: a crashed one refuses connections ('connect-refused' / 'reset')
// (models/server), which the balancer must read as connect failures (retry + passive marking).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../models/scenario/build.ts';
import { scenarioSchema } from '../../../models/scenario/format.ts';

const scenario = (lb: Record<string, unknown>) =>
  scenarioSchema().parse({
    version: 1,
    name: 'crash-behind-lb',
    seed: 5,
    run: { duration: '20s', warmup: '1s' },
    components: {
      users: {
        type: 'client.open',
        target: 'lb',
        arrival: { process: 'poisson', rate: '200/s' },
        mix: [{ name: 'item', method: 'GET', route: '/item' }],
        timeout: '5s',
        connection: { tls: 'none', poolSize: 1000 },
      },
      lb: { type: 'load-balancer', backends: 'app', algorithm: 'round-robin', ...lb },
      app: {
        type: 'app-server',
        replicas: 3,
        workers: 4,
        routes: [{ method: 'GET', route: '/item', steps: [{ cpu: '5ms' }] }],
      },
    },
    links: [{ between: ['lb', 'app'], latency: '200us' }],
    timeline: [{ action: 'crash', at: '5s', target: 'app[1]', for: '10s' }],
  });

describe('a crashed app-server behind a load balancer', () => {
  it('is marked down passively and its refusals are retried elsewhere', () => {
    const r = runScenario(scenario({ passive: { maxFails: 1, failTimeout: '10s' } }));
    const lb = r.components.lb!;
    expect(lb.counters.passive_marks ?? 0).toBeGreaterThan(0);
    expect(lb.counters.detections ?? 0).toBeGreaterThan(0);
    expect(lb.counters.retries ?? 0).toBeGreaterThan(0);
    // the app server did refuse connections while down (a dead process answers no HTTP status),
    // yet no 502 reached the users
    expect(r.components.app!.counters.refusedWhileDown ?? 0).toBeGreaterThan(0);
    expect(r.components.app!.byStatus['502'] ?? 0).toBe(0);
    expect(r.components.users!.byStatus['502'] ?? 0).toBe(0);
    // marked down for fail_timeout: round robin would otherwise send a third of 2 000 requests
    expect(lb.counters.retries ?? 0).toBeLessThan(50);
  });

  it('without passive marking every refusal is still retried (no 502 to the users)', () => {
    const r = runScenario(scenario({ passive: { maxFails: 0, failTimeout: '10s' } }));
    const lb = r.components.lb!;
    expect(lb.counters.passive_marks ?? 0).toBe(0);
    expect(lb.counters.retries ?? 0).toBeGreaterThan(500);
    expect(r.components.users!.byStatus['502'] ?? 0).toBe(0);
  });
});
