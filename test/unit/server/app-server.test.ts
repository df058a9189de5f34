import { describe, expect, test } from 'vitest';
import type { StoreCall, StoreReply } from '../../../models/core/call.ts';
import { databaseKind } from '../../../models/db/database.ts';
import { appServerSchema } from '../../../models/server/app-schema.ts';
import { appServerBehavior, appServerKind } from '../../../models/server/app-server.ts';
import { appServerState } from '../../../models/server/app-state.ts';
import type { GateKind } from '../../../models/server/gate.ts';
import { type Scripted, scripted, testStack } from '../../helpers/poisson-source.ts';

const ms = (n: number) => n * 1000;

function run(config: unknown, script: Scripted[], until = ms(100_000)) {
  const st = testStack(7);
  st.add(appServerKind, 'app', config);
  const caller = scripted(st, 'caller', 'app', script);
  return { st, caller, done: st.sim.run({ until }), probe: () => st.probes.get('app')! };
}

const statusOf = (c: ReturnType<typeof run>['caller'], i: number) => c.got.get(i)?.status;

describe('app-server statuses come from their mechanisms', () => {
  const routes = [
    { method: 'GET', route: '/item/{key}', steps: [{ cpu: '1ms' }], etag: 'v1' },
    { method: 'POST', route: '/item', steps: [{ cpu: '1ms' }], conflictProbability: 1 },
    { method: 'POST', route: '/jobs', steps: [{ enqueue: 'queue' }] },
    { method: 'GET', route: '/old', redirect: true },
    { method: 'GET', route: '/dead', gone: true },
    { method: 'PUT', route: '/item', steps: [{ cpu: '1ms' }] },
  ];
  test('router and conditional requests: 200, 304, 404, 405, 409, 301, 410, 202', () => {
    const st = testStack(3);
    st.add(appServerKind, 'app', { routes });
    st.add(databaseKind, 'queue', {});
    const c = scripted(st, 'c', 'app', [
      { at: 0, req: { route: '/item/{key}' } },
      { at: 0, req: { route: '/item/7', headers: { ifNoneMatch: 'v1' } } },
      { at: 0, req: { route: '/nope' } },
      { at: 0, req: { route: '/item', method: 'DELETE' } },
      { at: 0, req: { route: '/item', method: 'POST' } },
      { at: 0, req: { route: '/old' } },
      { at: 0, req: { route: '/dead' } },
      { at: 0, req: { route: '/jobs', method: 'POST' } },
    ]);
    st.sim.run({ until: ms(1000) });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => c.got.get(i)?.status)).toEqual([
      200, 304, 404, 405, 409, 301, 410, 202,
    ]);
  });

  test('middleware: 401 on bad password after the bcrypt cost, 403 by tier, 422 by validation', () => {
    const r = run(
      {
        workers: 4,
        middleware: [
          { auth: { kind: 'password', cost: '250ms', routes: ['POST /login'] } },
          { authorization: { denyTiers: ['banned'] } },
          { validation: { unprocessable: 1, routes: ['/form'] } },
        ],
        routes: [
          { method: 'POST', route: '/login', status: 200 },
          { method: 'GET', route: '/' },
          { method: 'POST', route: '/form' },
        ],
      },
      [
        {
          at: 0,
          req: {
            method: 'POST',
            route: '/login',
            headers: { authorization: 'basic', credentialsValid: false },
          },
        },
        { at: 0, req: { tier: 'banned' } },
        { at: 0, req: { method: 'POST', route: '/form' } },
        {
          at: 0,
          req: {
            method: 'POST',
            route: '/login',
            headers: { authorization: 'basic', credentialsValid: true },
          },
        },
      ],
    );
    expect(r.caller.got.get(0)).toMatchObject({ status: 401, at: ms(250) });
    expect(statusOf(r.caller, 1)).toBe(403);
    expect(statusOf(r.caller, 2)).toBe(422);
    expect(statusOf(r.caller, 3)).toBe(200);
  });

  test('middleware and handler CPU is one burst; an early answer still waits for the CPU spent', () => {
    const cfg = {
      workers: 4,
      middleware: [
        { logging: { cost: '1ms' } },
        { auth: { kind: 'jwt', cost: '2ms', routes: ['POST /cart'] } },
        { validation: { cost: '4ms', badRequest: 1, routes: ['POST /form'] } },
      ],
      routes: [
        { method: 'POST', route: '/cart', steps: [{ cpu: '8ms' }, { cpu: '16ms' }] },
        { method: 'POST', route: '/form', steps: [{ cpu: '8ms' }] },
      ],
    };
    let ticks = 0;
    const st = testStack(8, [], (_t, id, type) => {
      if (id === 'app' && type === 'cpu.tick') ticks++;
    });
    st.add(appServerKind, 'app', cfg);
    const c = scripted(st, 'c', 'app', [
      { at: 0, req: { method: 'POST', route: '/cart', headers: { authorization: 'bearer' } } },
      { at: ms(100), req: { method: 'POST', route: '/form' } },
      { at: ms(200), req: { method: 'GET', route: '/nowhere' } },
      { at: ms(300), req: { method: 'POST', route: '/cart', headers: { authorization: 'none' } } },
    ]);
    const cpuEventsUntil = (until: number): number => {
      ticks = 0;
      st.sim.run({ until });
      return ticks;
    };
    expect(cpuEventsUntil(ms(100))).toBe(1); // logging + jwt + 8 ms + 16 ms: one burst
    expect(c.got.get(0)).toMatchObject({ status: 201, at: ms(1 + 2 + 8 + 16) });
    expect(cpuEventsUntil(ms(200))).toBe(1); // logging + validation, then 400
    expect(c.got.get(1)).toMatchObject({ status: 400, at: ms(100 + 1 + 4) });
    expect(cpuEventsUntil(ms(300))).toBe(1); // logging, then 404
    expect(c.got.get(2)).toMatchObject({ status: 404, at: ms(200 + 1) });
    expect(cpuEventsUntil(ms(400))).toBe(1); // logging, then 401: no token, nothing to verify
    expect(c.got.get(3)).toMatchObject({ status: 401, at: ms(300 + 1) });
  });

  test('sync worker with backlog 0: refused (502) or 503 when busy', () => {
    for (const [overflow, code] of [
      ['refuse', 502],
      ['503', 503],
    ] as const) {
      const r = run(
        {
          workers: 1,
          backlog: 0,
          overflow,
          routes: [{ method: 'GET', route: '/', steps: [{ cpu: '10ms' }] }],
        },
        [{ at: 0 }, { at: 1 }, { at: ms(20) }],
      );
      expect([0, 1, 2].map((i) => statusOf(r.caller, i))).toEqual([200, code, 200]);
    }
  });

  test('async limitConcurrency sheds with 503; I/O waits overlap but CPU serializes on the loop', () => {
    const r = run(
      {
        concurrency: { model: 'event-loop', limitConcurrency: 2 },
        routes: [{ method: 'GET', route: '/', steps: [{ io: '100ms' }, { cpu: '10ms' }] }],
      },
      [{ at: 0 }, { at: 0 }, { at: 0 }],
    );
    expect(r.caller.got.get(0)).toMatchObject({ status: 200, at: ms(110) });
    expect(r.caller.got.get(1)).toMatchObject({ status: 200, at: ms(120) });
    expect(statusOf(r.caller, 2)).toBe(503);
  });

  test('processor sharing: 4 CPU-bound requests on 2 cores all end at 2× their work', () => {
    const r = run(
      { workers: 4, cores: 2, routes: [{ method: 'GET', route: '/', steps: [{ cpu: '100ms' }] }] },
      [{ at: 0 }, { at: 0 }, { at: 0 }, { at: 0 }],
    );
    for (const i of [0, 1, 2, 3]) expect(r.caller.got.get(i)?.at).toBe(ms(200));
  });

  test('worker timeout kills the worker: 502, and it takes requests again after respawn', () => {
    const r = run(
      {
        workers: 1,
        workerTimeout: '1s',
        respawnDelay: '2s',
        routes: [
          { method: 'GET', route: '/', steps: [{ cpu: '5s' }] },
          { method: 'GET', route: '/fast', steps: [{ cpu: '1ms' }] },
        ],
      },
      [{ at: 0 }, { at: ms(1500), req: { route: '/fast' } }],
    );
    expect(r.caller.got.get(0)).toMatchObject({
      status: 502,
      reason: 'worker-timeout',
      at: ms(1000),
    });
    expect(r.caller.got.get(1)).toMatchObject({ status: 200, at: ms(3001) });
    expect(r.probe().counters.get('workerKills')).toBe(1);
  });

  test('crash resets in-flight (502), refuses while down, serves after restart', () => {
    const st = testStack(5);
    st.add(appServerKind, 'app', {
      routes: [{ method: 'GET', route: '/', steps: [{ cpu: '100ms' }] }],
    });
    const c = scripted(st, 'c', 'app', [{ at: 0 }, { at: ms(200) }, { at: ms(400) }]);
    const app = st.sim.find('app')!;
    st.sim.schedule(app, { type: 'fault.crash' }, ms(50));
    st.sim.schedule(app, { type: 'fault.restart' }, ms(300));
    st.sim.run({ until: ms(1000) });
    expect([0, 1, 2].map((i) => c.got.get(i)?.reason)).toEqual(['reset', 'connect-refused', 'ok']);
  });

  test('pool wait timeout ends with the configured status; the database answers queries', () => {
    const st = testStack(9);
    st.add(databaseKind, 'db', { queryClasses: { slow: { cpu: '500ms', pages: 0 } } });
    st.add(appServerKind, 'app', {
      workers: 4,
      pools: { db: { size: 1, waitTimeout: '100ms', timeoutStatus: 503 } },
      routes: [{ method: 'GET', route: '/', steps: [{ call: 'db', queryClass: 'slow' }] }],
    });
    const c = scripted(st, 'c', 'app', [{ at: 0 }, { at: 1 }]);
    st.sim.run({ until: ms(2000) });
    expect(c.got.get(0)).toMatchObject({ status: 200, at: ms(500) });
    expect(c.got.get(1)).toMatchObject({ status: 503, reason: 'pool-timeout' });
  });

  test('cache-aside: miss runs onMiss and sets, the next read hits', () => {
    const st = testStack(11);
    const kv = new Set<number | string>();
    st.sim.spawn(
      'kv',
      {
        on: {
          'store.call': (_s: null, m: StoreCall, ctx) => {
            const outcome = m.op === 'get' ? (kv.has(m.key) ? 'hit' : 'miss') : 'ok';
            if (m.op === 'set') kv.add(m.key);
            ctx.send(m.replyTo, {
              type: 'store.reply',
              tag: m.tag,
              outcome,
              value: 0,
            } satisfies StoreReply as StoreReply);
          },
        },
      },
      null,
    );
    st.add(databaseKind, 'db', {});
    st.add(appServerKind, 'app', {
      routes: [{ method: 'GET', route: '/', steps: [{ cache: 'kv', onMiss: [{ call: 'db' }] }] }],
    });
    scripted(st, 'c', 'app', [
      { at: 0, req: { key: 5 } },
      { at: ms(100), req: { key: 5 } },
    ]);
    st.sim.run({ until: ms(1000) });
    const p = st.probes.get('app')!;
    expect([p.counters.get('cacheMisses'), p.counters.get('cacheHits')]).toEqual([1, 1]);
    expect(st.probes.get('db')!.completions).toBe(1);
  });

  test('rateLimit step asks the gate: 429 with its headers, or a delay', () => {
    let n = 0;
    const gate: GateKind = {
      algorithm: 'test',
      build: () => ({
        admit: () =>
          ++n === 2
            ? { allowed: false, headers: { retryAfter: 1 } }
            : { allowed: true, delay: ms(5) },
      }),
    };
    const st = testStack(2);
    const config = appServerSchema.parse({
      middleware: [{ rateLimit: { algorithm: 'test' } }],
      routes: [{ method: 'GET', route: '/' }],
    });
    st.sim.spawn(
      'app',
      appServerBehavior,
      appServerState(config, 'app', st.env.probe('app', 'app'), st.env, [gate]),
    );
    const c = scripted(st, 'c', 'app', [{ at: 0 }, { at: ms(10) }]);
    st.sim.run({ until: ms(100) });
    expect(c.got.get(0)).toMatchObject({ status: 200, at: ms(5) });
    expect(c.got.get(1)).toMatchObject({ status: 429, reason: 'rate-limited' });
  });
});
