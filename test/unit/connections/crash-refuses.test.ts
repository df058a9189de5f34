// A crashed process cannot answer: whoever holds the connection sees it refused or reset, not
// an HTTP 502. Only a component in the middle (a proxy, a cache, a limiter) answers its own
// caller with a 502 about its upstream. (Issue 18: these were 502s from dead processes, and
// connect-error retries never fired.)
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../models/scenario/build.ts';
import { loadScenarioText } from '../../../models/scenario/load.ts';

function run(components: Record<string, unknown>, links: unknown[], timeline: unknown[]) {
  const scenario = {
    version: 1,
    name: 'crash-refuses',
    seed: 7,
    run: { duration: '20s' },
    components,
    links,
    timeline,
  };
  const loaded = loadScenarioText(JSON.stringify(scenario));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).components;
}

const users = (target: string, extra: Record<string, unknown> = {}) => ({
  type: 'client.open',
  target,
  arrival: { process: 'constant', rate: '50/s' },
  mix: [{ name: 'get', weight: 1, method: 'GET', route: '/x' }],
  timeout: '2s',
  ...extra,
});
const app = {
  type: 'app-server',
  workers: 4,
  routes: [{ method: 'GET', route: '/x', steps: [{ cpu: '2ms' }] }],
};
const crash = (target: string) => [{ action: 'crash', at: '5s', target, for: '5s' }];

describe('a crashed server refuses connections instead of answering', () => {
  it('a client talking straight to an app server sees connect errors, and its retries fire', () => {
    const links = [{ between: ['users', 'app'], latency: '1ms' }];
    const plain = run({ users: users('app'), app }, links, crash('app'));
    const u = plain.users!;
    expect(u.byStatus['502']).toBeUndefined();
    expect(u.byStatus['0']).toBeGreaterThan(200); // 5 s × 50/s refused
    expect(u.counters.connectErrors).toBe(u.byStatus['0']);
    expect(plain.app!.byStatus['502']).toBeUndefined(); // a dead process records nothing
    expect(plain.app!.counters.refusedWhileDown).toBe(u.byStatus['0']);

    const retries = {
      retries: { max: 2, on: ['connect-error'], backoff: { base: '1s', cap: '2s' } },
    };
    const retried = run({ users: users('app', retries), app }, links, crash('app'));
    // Requests refused in the last second or two of the outage succeed on a retry.
    expect(retried.users!.byStatus['0']!).toBeLessThan(u.byStatus['0']!);
    expect(retried.app!.counters.refusedWhileDown).toBeGreaterThan(u.byStatus['0']!);
  });

  it('a crashed proxy answers nothing; a live proxy answers 502 for a crashed upstream', () => {
    const links = [
      { between: ['users', 'web'], latency: '1ms' },
      { between: ['web', 'app'], latency: '1ms' },
    ];
    const web = { type: 'proxy', upstream: 'app' };
    const proxyDown = run({ users: users('web'), web, app }, links, crash('web'));
    expect(proxyDown.web!.byStatus['502']).toBeUndefined();
    expect(proxyDown.users!.byStatus['502']).toBeUndefined();
    expect(proxyDown.users!.counters.connectErrors).toBeGreaterThan(200);
    expect(proxyDown.web!.counters.refusedWhileDown).toBe(proxyDown.users!.counters.connectErrors);

    const appDown = run({ users: users('web'), web, app }, links, crash('app'));
    expect(appDown.users!.byStatus['502']).toBeGreaterThan(200);
    expect(appDown.users!.counters.connectErrors ?? 0).toBe(0);
  });
});
