// A timeline event aimed at a component that cannot take it (a 'load' step on an app server, a
// 'slow' fault on a balancer) is a validation issue with its pointer, not a crash of the run.
import { describe, expect, it } from 'vitest';
import { COMPONENT_KINDS } from '../../../models/registry.ts';
import { runScenario } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';

const STACK: Record<string, Record<string, unknown>> = {
  users: {
    type: 'client.open',
    target: 'web',
    arrival: { process: 'constant', rate: '20/s' },
    mix: [{ name: 'r', weight: 1, method: 'GET', route: '/r' }],
    connection: { tls: 'none' },
    dns: { resolver: 'resolver', name: 'svc' },
  },
  closed: {
    type: 'client.closed',
    target: 'web',
    users: 2,
    thinkTime: '50ms',
    mix: [{ name: 'r', weight: 1, method: 'GET', route: '/r' }],
  },
  pages: { type: 'client.pages', target: 'web', route: '/items', mode: 'cursor', pageSize: 2 },
  resolver: { type: 'dns-resolver', authoritative: 'auth' },
  auth: { type: 'dns-authoritative', records: [{ name: 'svc', addresses: ['web'], ttl: '1s' }] },
  web: { type: 'proxy', upstream: 'rl' },
  rl: {
    type: 'rate-limiter',
    upstream: 'edge',
    key: 'global',
    algorithm: { algorithm: 'token-bucket', rate: '1000/s', burst: 100 },
  },
  edge: { type: 'http-cache', upstream: 'lb', capacity: 10, ttl: '1s' },
  lb: { type: 'load-balancer', backends: 'app' },
  app: {
    type: 'app-server',
    routes: [
      {
        method: 'GET',
        route: '/r',
        steps: [
          { call: 'kv', op: 'get' },
          { call: 'db', op: 'query', queryClass: 'point' },
        ],
      },
      { method: 'GET', route: '/items', steps: [{ resource: 'docs', action: 'list' }] },
      {
        method: 'POST',
        route: '/pay',
        idempotency: { store: 'keys' },
        steps: [{ resource: 'docs', action: 'insert' }],
      },
    ],
  },
  kv: { type: 'kv-store', capacity: 10 },
  db: { type: 'database' },
  docs: { type: 'resource-store', items: 5 },
  keys: { type: 'idempotency-store' },
  jobs: { type: 'job-queue' },
  svc: { type: 'service', replicas: 2, service: '1ms', concurrency: 2 },
  breaker: { type: 'circuit-breaker', upstream: 'svc' },
  hedge: { type: 'hedge', upstream: 'svc' },
  fan: { type: 'fan-out', upstream: 'svc' },
};

const ACTIONS = ['crash', 'slow', 'load'] as const;
const ids = Object.keys(STACK);

describe('timeline targets', () => {
  it('the stack covers every component type', () => {
    const types = new Set(ids.map((id) => STACK[id]!.type));
    expect([...types].sort()).toEqual(COMPONENT_KINDS.map((k) => k.type).sort());
  });

  for (const action of ACTIONS) {
    it.each(ids)(
      `'${action}' on %s: a validation issue at the target, or a run that handles it`,
      (id) => {
        const event: Record<string, unknown> = { action, at: '200ms', target: id, for: '300ms' };
        if (action !== 'crash') event.factor = 2;
        const raw = {
          version: 1,
          name: 't',
          run: { duration: '1s' },
          components: STACK,
          timeline: [event],
        };
        const r = validateScenario(raw);
        if (!r.ok) {
          expect(r.issues).toEqual([
            { pointer: '/timeline/0/target', message: expect.stringContaining(action) },
          ]);
          return;
        }
        expect(() => runScenario(r.scenario)).not.toThrow();
      },
    );
  }

  it('accepts the faults the models handle', () => {
    for (const [action, id] of [
      ['crash', 'app'],
      ['slow', 'db'],
      ['load', 'users'],
      ['crash', 'lb'],
    ] as const) {
      const event: Record<string, unknown> = { action, at: '200ms', target: id };
      if (action !== 'crash') event.factor = 2;
      const r = validateScenario({
        version: 1,
        name: 't',
        run: { duration: '1s' },
        components: STACK,
        timeline: [event],
      });
      expect(r.ok, `${action} on ${id}`).toBe(true);
    }
  });
});
