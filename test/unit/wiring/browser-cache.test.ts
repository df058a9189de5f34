import { describe, expect, it } from 'vitest';
import { openClientKind } from '../../../models/client/open-loop.ts';
import { linkSchema } from '../../../models/net/network.ts';
import { componentResult } from '../../../models/scenario/results.ts';
import { appServerKind } from '../../../models/server/app-server.ts';
import { testStack } from '../../helpers/poisson-source.ts';

const links = [linkSchema.parse({ between: ['client', 'app'], latency: '10ms' })];

/** One client with a browser cache in front of an app server whose route sends max-age 2 s. */
function run(rows: unknown[], route: Record<string, unknown> = {}) {
  const st = testStack(1, links);
  st.add(appServerKind, 'app', {
    workers: 4,
    routes: [
      {
        method: 'GET',
        route: '/item/{key}',
        steps: [{ cpu: '1ms' }],
        maxAge: '2s',
        etag: 'v1',
        ...route,
      },
      { method: 'POST', route: '/item/{key}', steps: [{ cpu: '1ms' }] },
    ],
  });
  st.add(openClientKind, 'client', {
    target: 'app',
    arrival: { process: 'replay', rows },
    connection: { tls: 'none' },
    browserCache: { capacity: 100 },
  });
  st.sim.run({});
  const client = componentResult('client.open', [st.probes.get('client')!], st.sim.now);
  const app = componentResult('app-server', [st.probes.get('app')!], st.sim.now);
  return { client, app, minLatency: st.probes.get('client')!.latency.min };
}

describe('browser cache in the client', () => {
  it('serves fresh GETs at the client, revalidates stale ones with If-None-Match (304)', () => {
    const { client, app, minLatency } = run([
      [0, 'GET', '/item/{key}', 1, 1], // miss → 200, stored for 2 s
      [1, 'GET', '/item/{key}', 1, 1], // fresh hit: never leaves the client
      [1.5, 'GET', '/item/{key}', 1, 2], // another user: its own cache entry → miss
      [5, 'GET', '/item/{key}', 1, 1], // stale with ETag → If-None-Match → 304 refreshes
      [6, 'GET', '/item/{key}', 1, 1], // fresh again after the 304
      [7, 'GET', '/item/{key}', 2, 1], // another key → miss
    ]);
    expect(client.counters.hits).toBe(2);
    expect(client.counters.misses).toBe(4);
    expect(client.counters.revalidations).toBe(1);
    expect(client.counters.notModified).toBe(1);
    expect(client.ratios.hitRatio).toBeCloseTo(2 / 6, 10);
    // The user sees the cached 200 for the revalidated request.
    expect(client.byStatus).toEqual({ '200': 6 });
    expect(app.byStatus).toEqual({ '200': 3, '304': 1 });
    expect(app.arrivals).toBe(4);
    // Hits take no time; the others cross the 10 ms link twice.
    expect(client.latency.count).toBe(6);
    expect(minLatency).toBe(0);
    expect(client.latency.p50).toBeGreaterThan(0.02);
  });

  it('does not store answers without max-age, nor writes', () => {
    const noMaxAge = run(
      [
        [0, 'GET', '/item/{key}', 1, 1],
        [1, 'GET', '/item/{key}', 1, 1],
      ],
      { maxAge: undefined },
    );
    expect(noMaxAge.client.counters.hits ?? 0).toBe(0);
    expect(noMaxAge.app.arrivals).toBe(2);
    const writes = run([
      [0, 'POST', '/item/{key}', 1, 1],
      [1, 'POST', '/item/{key}', 1, 1],
    ]);
    expect(writes.client.counters.hits).toBeUndefined();
    expect(writes.app.arrivals).toBe(2);
  });
});
