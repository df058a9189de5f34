import { describe, expect, it } from 'vitest';
import { ScenarioRun } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';

/** Readers through an edge cache that revalidates, writers straight to the origin. */
function run(writeRate: string) {
  const raw = {
    version: 1,
    name: 'edge-etags',
    seed: 3,
    run: { duration: '4s', warmup: '500ms' },
    components: {
      readers: {
        type: 'client.open',
        target: 'edge',
        arrival: { process: 'poisson', rate: '400/s' },
        mix: [{ name: 'read', route: '/doc/{key}', keys: { dist: 'uniform', n: 5 } }],
      },
      writers: {
        type: 'client.open',
        target: 'app',
        arrival: { process: 'poisson', rate: writeRate },
        mix: [
          { name: 'edit', method: 'PUT', route: '/doc/{key}', keys: { dist: 'uniform', n: 5 } },
        ],
      },
      edge: { type: 'http-cache', upstream: 'app', ttl: '200ms', revalidate: true },
      app: {
        type: 'app-server',
        workers: 16,
        routes: [
          { method: 'GET', route: '/doc/{key}', steps: [{ resource: 'docs', action: 'read' }] },
          { method: 'PUT', route: '/doc/{key}', steps: [{ resource: 'docs', action: 'write' }] },
        ],
      },
      docs: { type: 'resource-store', resources: 5 },
    },
  };
  const checked = validateScenario(raw);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return new ScenarioRun(checked.scenario).finish().components;
}

describe('an edge cache in front of versioned resources', () => {
  it('revalidates to 304 while nothing is written, and gets the new version (200) after writes', () => {
    const quiet = run('1/h');
    expect(quiet.docs!.counters.writesApplied ?? 0).toBe(0);
    // Every revalidation after the first fills is a 304: the version never moved.
    expect(quiet.app!.byStatus['304']).toBeGreaterThan(50);
    expect(quiet.app!.byStatus['200'] ?? 0).toBeLessThanOrEqual(5);
    const busy = run('20/s');
    expect(busy.docs!.counters.writesApplied).toBeGreaterThan(40);
    // After a write the edge's stored ETag is stale: the origin answers 200 with the new one.
    const gets200 = (busy.app!.byStatus['200'] ?? 0) - busy.docs!.counters.writesApplied!;
    expect(gets200).toBeGreaterThan(20);
    expect(busy.docs!.counters.notModified).toBeLessThan(quiet.docs!.counters.notModified!);
  });
});
