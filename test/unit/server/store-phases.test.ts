// Which phase of the latency breakdown a store call lands in: the kind of store called decides
// (a database is 'database' whatever the op; a key-value store is 'cache').
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../models/scenario/build.ts';
import { loadScenarioText } from '../../../models/scenario/load.ts';

function breakdownFor(step: Record<string, unknown>) {
  const scenario = {
    version: 1,
    name: 'store-phases',
    seed: 3,
    run: { duration: '2s' },
    components: {
      users: {
        type: 'client.open',
        target: 'app',
        arrival: { process: 'constant', rate: '50/s' },
        mix: [
          { name: 'w', weight: 1, method: 'POST', route: '/w', keys: { dist: 'uniform', n: 9 } },
        ],
        connection: { tls: 'none' },
      },
      app: {
        type: 'app-server',
        workers: 4,
        routes: [{ method: 'POST', route: '/w', steps: [step] }],
      },
      db: { type: 'database', maxConnections: 10 },
      kv: { type: 'kv-store', capacity: 100 },
    },
    links: [
      { between: ['app', 'db'], latency: '1ms' },
      { between: ['app', 'kv'], latency: '1ms' },
    ],
  };
  const loaded = loadScenarioText(JSON.stringify(scenario));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const r = runScenario(loaded.scenario);
  expect(Object.keys(r.components.users!.byStatus)).toEqual(['201']);
  return r.components.users!.breakdown!;
}

describe('store calls in the latency breakdown', () => {
  it.each(['set', 'get', 'delete', 'incr', 'query'])(
    'a database %s call is database time, not cache time',
    (op) => {
      const b = breakdownFor({ call: 'db', op, timeout: '1s' });
      expect(b.database?.mean).toBeGreaterThanOrEqual(0.002);
      expect(b.cache).toBeUndefined();
    },
  );

  it.each(['set', 'get'])('a key-value store %s call is cache time', (op) => {
    const b = breakdownFor({ call: 'kv', op, timeout: '1s' });
    expect(b.cache?.mean).toBeGreaterThanOrEqual(0.002);
    expect(b.database).toBeUndefined();
  });
});
