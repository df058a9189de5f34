import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runReplications } from '../../experiments/replications.ts';
import { runScenario } from '../../models/scenario/build.ts';
import { scenarioArbitrary } from '../../testing/arbitraries.ts';
import { parseGenerated } from '../../testing/invariants.ts';
import { assertScenarioProperty } from '../../testing/replay.ts';

// Metamorphic properties. Actors are spawned in sorted id order and the fingerprint hashes actor
// refs (spawn positions), not ids, so reordering the file changes nothing at all. Random streams
// are keyed by (seed, actor id, purpose): renaming ids re-draws every stream, so a rename leaves
// results equal only when nothing random is drawn (tested on deterministic stacks); with random
// draws it is equal in distribution only.

const reorder = (obj: Record<string, unknown>, perm: number[]) => {
  const keys = Object.keys(obj);
  return Object.fromEntries(
    perm
      .map((i) => keys[i % keys.length]!)
      .filter((k, i, a) => a.indexOf(k) === i)
      .concat(keys)
      .filter((k, i, a) => a.indexOf(k) === i)
      .map((k) => [k, obj[k]]),
  );
};

describe('metamorphic properties', () => {
  test('reordering components and top-level keys gives byte-identical results', () => {
    const arb = fc.tuple(
      scenarioArbitrary({ maxRequests: 400 }),
      fc.array(fc.nat(20), { maxLength: 12 }),
    );
    assertScenarioProperty(
      'reorder',
      arb,
      ([g]) => g.scenario,
      ([g, perm]) => {
        const s = g.scenario as Record<string, unknown>;
        const shuffled = reorder(
          { ...s, components: reorder(s.components as Record<string, unknown>, perm) },
          perm,
        );
        const a = JSON.stringify(runScenario(parseGenerated(s)));
        const b = JSON.stringify(runScenario(parseGenerated(shuffled)));
        expect(b).toBe(a);
      },
      { numRuns: 40 },
    );
  });

  test('an order-preserving rename of a deterministic stack changes only names', () => {
    const file = (p: string) => ({
      version: 1,
      name: 'det',
      seed: 3,
      run: { duration: '3s' },
      components: {
        [`${p}users`]: {
          type: 'client.open',
          target: `${p}lb`,
          arrival: { process: 'constant', rate: '300/s' },
          connection: { tls: 'none', poolSize: 1000 },
        },
        [`${p}lb`]: { type: 'load-balancer', algorithm: 'round-robin', backends: `${p}app` },
        [`${p}app`]: {
          type: 'app-server',
          replicas: 3,
          workers: 2,
          routes: [{ method: 'GET', route: '/', steps: [{ cpu: '7ms' }] }],
        },
      },
    });
    const a = runScenario(parseGenerated(file('')));
    const b = runScenario(parseGenerated(file('x-')));
    const back = JSON.parse(JSON.stringify(b.components).replaceAll('x-', ''));
    expect(back).toEqual(a.components);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(a.components.app!.completions).toBeGreaterThan(800);
  });

  test('doubling the service rate never raises a FIFO server’s mean latency (same seed, CRN)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 90 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(1000),
        (rate, meanMs, seed) => {
          const file = (mean: number) => ({
            version: 1,
            name: 'fifo',
            seed,
            run: { duration: '20s' },
            components: {
              src: {
                type: 'client.open',
                target: 'app',
                arrival: { process: 'poisson', rate: `${rate}/s` },
                timeout: '1h',
                connection: { tls: 'none', poolSize: 100000 },
              },
              app: {
                type: 'app-server',
                backlog: 1000000,
                workerTimeout: '1h',
                routes: [
                  {
                    method: 'GET',
                    route: '/',
                    steps: [{ cpu: { dist: 'exponential', mean: `${mean}ms` } }],
                  },
                ],
              },
            },
          });
          const slow = runScenario(parseGenerated(file(meanMs * 2))).components.app!;
          const fast = runScenario(parseGenerated(file(meanMs))).components.app!;
          expect(fast.latency.mean).toBeLessThanOrEqual(slow.latency.mean);
        },
      ),
      { numRuns: 25 },
    );
  });

  const pool = (servers: number, cpuMs: number) => ({
    version: 1,
    name: 'pool',
    seed: 21,
    run: { duration: '20s', warmup: '2s', replications: 8 },
    components: {
      users: {
        type: 'client.open',
        target: 'lb',
        arrival: { process: 'poisson', rate: '150/s' },
        timeout: '1h',
        connection: { tls: 'none', poolSize: 100000 },
      },
      lb: { type: 'load-balancer', algorithm: 'round-robin', backends: 'app', timeout: '1h' },
      app: {
        type: 'app-server',
        replicas: servers,
        backlog: 100000,
        workerTimeout: '1h',
        routes: [
          {
            method: 'GET',
            route: '/',
            steps: [
              { cpu: { dist: 'exponential', mean: `${cpuMs}ms` } },
              { call: 'db', op: 'query' },
            ],
          },
        ],
      },
      db: { type: 'database', maxConnections: 1000 },
    },
  });
  const mean = (s: ReturnType<typeof pool>, metric: string) => {
    const r = runReplications(parseGenerated(s));
    return r.summary.users![metric]!;
  };

  test('statistical: doubling every service rate does not raise mean latency (8 replications)', () => {
    const slow = mean(pool(3, 16), 'latency.mean');
    const fast = mean(pool(3, 8), 'latency.mean');
    expect(fast.mean).toBeLessThanOrEqual(slow.mean + (slow.halfWidth ?? 0));
  });

  test('statistical: one more round-robin backend does not raise mean latency at equal load', () => {
    const three = mean(pool(3, 16), 'latency.mean');
    const four = mean(pool(4, 16), 'latency.mean');
    expect(four.mean).toBeLessThanOrEqual(three.mean + (three.halfWidth ?? 0));
  });
});
