// App responses have sizes (issue 18: they were always 0): a route's responseSize travels on
// the wire, so over a slow link a large page takes size ÷ bandwidth, and pages queue behind
// each other on the link.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../models/scenario/build.ts';
import { loadScenarioText } from '../../../models/scenario/load.ts';

function run(responseSize: string, rate: string, method = 'GET') {
  const scenario = {
    version: 1,
    name: 'response-size',
    seed: 9,
    run: { duration: '60s' },
    components: {
      phone: {
        type: 'client.open',
        target: 'web',
        arrival: { process: 'poisson', rate },
        mix: [{ name: 'page', weight: 1, method, route: '/page' }],
        connection: { tls: 'none', poolSize: 1000 },
      },
      web: { type: 'proxy', upstream: 'app' },
      app: {
        type: 'app-server',
        workers: 8,
        routes: [{ method, route: '/page', responseSize, steps: [{ cpu: '1ms' }] }],
      },
    },
    links: [
      // a 1 Mbit/s mobile downlink: 125 000 bytes per second
      { between: ['phone', 'web'], latency: '30ms', bandwidth: '1Mbit/s' },
      { between: ['web', 'app'], latency: '100us', bandwidth: '1Gbit/s' },
    ],
  };
  const loaded = loadScenarioText(JSON.stringify(scenario));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).components.phone!;
}

describe('response bodies on the wire', () => {
  it('a 50 KB page over 1 Mbit/s takes 0.4 s more than an empty one', () => {
    const empty = run('0B', '0.2/s');
    const page = run('50KB', '0.2/s');
    expect(empty.latency.mean).toBeLessThan(0.1);
    // 50 000 B ÷ 125 000 B/s = 0.4 s, barely any queueing at 0.2 pages/s (ρ = 0.08)
    expect(page.latency.mean - empty.latency.mean).toBeGreaterThan(0.4);
    expect(page.latency.mean - empty.latency.mean).toBeLessThan(0.5);
  });

  it('pages queue on the link: at 2 pages/s (ρ = 0.8) the wait grows like a queue', () => {
    const busy = run('50KB', '2/s');
    const light = run('50KB', '0.2/s');
    expect(busy.latency.mean).toBeGreaterThan(light.latency.mean + 0.5);
  });

  it('HEAD answers carry no body', () => {
    const head = run('50KB', '0.2/s', 'HEAD');
    expect(head.latency.mean).toBeLessThan(0.1);
  });
});
