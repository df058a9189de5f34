import { describe, expect, test } from 'vitest';
import { balancerFor } from '../../../models/lb/algorithms/index.ts';
import { ScenarioRun } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';

/** Clients 1..20 each send 6 requests 200 ms apart (the HAProxy conformance schedule): the server of each. */
function servedBy(algorithm: unknown): Map<number, Set<string>> {
  const rows: [number, string, string, number, number][] = [];
  for (let c = 1; c <= 20; c++) {
    for (let k = 0; k < 6; k++) rows.push([(k * 200 + c * 7) / 1000, 'GET', '/ck/0', 0, c]);
  }
  rows.sort((a, b) => a[0] - b[0] || a[4] - b[4]);
  const app = {
    type: 'app-server',
    replicas: 3,
    workers: 100,
    routes: [{ method: 'GET', route: '/ck/0' }],
  };
  const v = validateScenario({
    version: 1,
    name: 'sticky-cookie',
    seed: 1,
    run: { duration: '10s', warmup: '0s', window: '1s' },
    components: {
      clients: {
        type: 'client.open',
        target: 'lb',
        arrival: { process: 'replay', rows },
        connection: { tls: 'none', poolSize: 10_000 },
        mix: [{ name: 'c', method: 'GET', route: '/ck/0' }],
      },
      lb: {
        type: 'load-balancer',
        backends: [{ id: 'app0' }, { id: 'app1' }, { id: 'app2' }],
        algorithm,
      },
      app0: app,
      app1: app,
      app2: app,
    },
    links: [],
  });
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  const run = new ScenarioRun(v.scenario, { traceRequests: 1000 });
  run.finish();
  const kept = [...(run.built.tracer?.kept() ?? [])].sort(
    (a, b) => a.start - b.start || a.id - b.id,
  );
  expect(kept.length).toBe(rows.length);
  const by = new Map<number, Set<string>>();
  kept.forEach((t, i) => {
    const server = t.spans.find((x) => x.phase === 'service' && x.component.startsWith('app'))!;
    const set = by.get(rows[i]![4]) ?? new Set();
    set.add(server.component);
    by.set(rows[i]![4], set);
  });
  return by;
}

describe('sticky by cookie (HAProxy cookie SERVERID insert)', () => {
  test('the balancer sets the cookie on the first answer, the jar returns it, every later request lands on the same server', () => {
    const sticky = servedBy({ name: 'sticky', fallback: 'round-robin' });
    expect([...sticky.values()].every((s) => s.size === 1)).toBe(true);
    // The first answers are spread by the fallback: all three servers have clients.
    expect(new Set([...sticky.values()].map((s) => [...s][0])).size).toBe(3);
    const rr = servedBy('round-robin');
    expect([...rr.values()].some((s) => s.size > 1)).toBe(true);
  });

  test('cookieFor: set when the client lacks the cookie or holds another server’s; not when it holds this one', () => {
    const b = balancerFor({ name: 'sticky', cookie: { name: 'SRV', maxAge: '1h' } });
    const view = { name: (i: number) => `app[${i}]` } as never;
    const req = (cookies?: Record<string, string>) =>
      ({ headers: cookies === undefined ? {} : { cookies } }) as never;
    expect(b.cookieFor!(1, req(), view)).toMatchObject({
      name: 'SRV',
      value: 'app[1]',
      maxAge: 3600,
    });
    expect(b.cookieFor!(1, req({ SRV: 'app[0]' }), view)).toMatchObject({ value: 'app[1]' });
    expect(b.cookieFor!(1, req({ SRV: 'app[1]' }), view)).toBeUndefined();
  });
});
