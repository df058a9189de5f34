// fast-check arbitraries that build random VALID scenario files (swarm style: first draw which
// features exist, then their parameters). Import them in your own property tests:
//   import { scenarioArbitrary } from 'stacksim/testing/arbitraries.ts';
import fc from 'fast-check';
import { limiterAlgorithmArbitrary, limiterKeyArbitrary } from './limiter-arbitraries.ts';

/** Optional parts of a generated stack; each is drawn on or off per scenario unless forced. */
export type Feature =
  | 'closedClient'
  | 'dns'
  | 'proxy'
  | 'httpCache'
  | 'balancer'
  | 'kvStore'
  | 'database'
  | 'retries'
  | 'links'
  | 'faults'
  | 'rateLimiter'
  | 'rateLimitGate';

/** Every feature name, in a fixed order. */
export const FEATURES: readonly Feature[] = [
  'closedClient',
  'dns',
  'proxy',
  'httpCache',
  'balancer',
  'kvStore',
  'database',
  'retries',
  'links',
  'faults',
  'rateLimiter',
  'rateLimitGate',
];

/** What {@link scenarioArbitrary} generates. */
export interface ScenarioArbitraryOptions {
  /** Rough bound on the requests the clients offer in total (default 1500). */
  readonly maxRequests?: number;
  /** Force features on (true) or off (false); unlisted ones are drawn at random. */
  readonly features?: Partial<Record<Feature, boolean>>;
  /**
   * Clients stop issuing requests (stopAfter) long before the end, and every timeout in the
   * stack is short, so the run drains: every request has ended when it stops (default true).
   */
  readonly drain?: boolean;
}

/** A generated scenario file (plain JSON, accepted by `stacksim run`) and its drawn features. */
export interface GeneratedScenario {
  readonly scenario: Record<string, unknown>;
  readonly features: Readonly<Record<Feature, boolean>>;
}

/** Load-balancing algorithms that need no options. */
export const ALGORITHMS = [
  'round-robin',
  'smooth-weighted-round-robin',
  'random',
  'weighted-random',
  'least-connections',
  'power-of-d-choices',
  'join-shortest-queue',
  'join-idle-queue',
  'peak-ewma',
  'hash',
  'consistent-hash',
  'maglev',
  'bounded-load-hash',
] as const;

const POLICIES = ['lru', 'fifo', 'random', 'lfu', 'clock', 'arc', 's3-fifo', 'sieve', 'w-tinylfu'];
const ms = (v: number) => `${v}ms`;

/** A service-time distribution in the file format (means 0.2–20 ms). */
export const durationDistArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map(ms),
  fc.integer({ min: 1, max: 20 }).map((m) => ({ dist: 'exponential', mean: ms(m) })),
  fc
    .tuple(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.1, max: 2, noNaN: true }))
    .map(([m, cv]) => ({ dist: 'lognormal', mean: ms(m), cv: Math.round(cv * 100) / 100 })),
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 10 }))
    .map(([a, w]) => ({ dist: 'uniform', min: ms(a), max: ms(a + w) })),
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 10 }))
    .map(([k, m]) => ({ dist: 'erlang', k, mean: ms(m) })),
);

interface Stores {
  readonly kv: boolean;
  readonly db: boolean;
}

function stepArbitrary(stores: Stores): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    durationDistArbitrary.map((cpu) => ({ cpu })),
    durationDistArbitrary.map((io) => ({ io })),
    fc
      .tuple(fc.constantFrom(500, 502, 503), fc.double({ min: 0, max: 0.3, noNaN: true }))
      .map(([fail, p]) => ({ fail, probability: Math.round(p * 1000) / 1000 })),
  ];
  if (stores.db)
    options.push(
      fc
        .constantFrom('point', 'range', 'write')
        .map((queryClass) => ({ call: 'db', op: 'query', queryClass, timeout: '1s' })),
    );
  if (stores.kv) {
    options.push(fc.constantFrom('get', 'set', 'incr').map((op) => ({ call: 'kv', op })));
    const onMiss = stores.db
      ? [{ call: 'db', op: 'query', queryClass: 'point', timeout: '1s' }]
      : [{ io: '2ms' }];
    options.push(
      fc
        .integer({ min: 1, max: 30 })
        .map((t) => ({ cache: 'kv', onMiss, ttl: `${t}s`, timeout: '1s' })),
    );
  }
  return fc.oneof(...options);
}

function appArbitrary(stores: Stores): fc.Arbitrary<Record<string, unknown>> {
  const steps = fc.array(stepArbitrary(stores), { minLength: 1, maxLength: 3 });
  return fc
    .record({
      replicas: fc.integer({ min: 1, max: 3 }),
      workers: fc.integer({ min: 1, max: 8 }),
      backlog: fc.integer({ min: 0, max: 64 }),
      overflow: fc.constantFrom('refuse', '503'),
      model: fc.constantFrom('sync', 'threads'),
      threads: fc.integer({ min: 1, max: 4 }),
      cores: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      getSteps: steps,
      postSteps: steps,
    })
    .map((a) => ({
      type: 'app-server',
      replicas: a.replicas,
      concurrency: { model: a.model },
      workers: a.workers,
      threads: a.threads,
      backlog: a.backlog,
      overflow: a.overflow,
      workerTimeout: '5s',
      respawnDelay: '100ms',
      ...(a.cores === undefined ? {} : { cores: a.cores }),
      ...(stores.db ? { pools: { db: { size: 4, waitTimeout: '1s' } } } : {}),
      routes: [
        { method: 'GET', route: '/item/{key}', steps: a.getSteps },
        { method: 'POST', route: '/cart', steps: a.postSteps },
      ],
    }));
}

const MIX = [
  {
    name: 'item',
    weight: 8,
    method: 'GET',
    route: '/item/{key}',
    keys: { dist: 'zipf', n: 200, s: 0.9 },
  },
  { name: 'cart', weight: 2, method: 'POST', route: '/cart', size: '1KB' },
];

function clientArbitrary(
  closed: boolean,
  perClient: number,
  stopAfterS: number,
  retries: boolean,
  target: string,
  dns: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const common = fc.record({
    timeout: fc.integer({ min: 200, max: 2000 }),
    max: fc.integer({ min: 1, max: 2 }),
    tls: fc.constantFrom('none', '1.2', '1.3'),
    protocol: fc.constantFrom('http1.1', 'http2'),
    poolSize: fc.integer({ min: 1, max: 64 }),
  });
  const rate = Math.max(1, Math.floor(perClient / stopAfterS));
  const load = closed
    ? fc
        .record({
          users: fc.integer({ min: 1, max: 20 }),
          think: fc.integer({ min: 10, max: 500 }),
        })
        .map(({ users, think }) => ({
          type: 'client.closed',
          // users / think ≤ rate keeps the offered load inside the request budget
          users: Math.max(1, Math.min(users, Math.floor((rate * think) / 1000))),
          thinkTime: { dist: 'exponential', mean: ms(think) },
        }))
    : fc
        .record({
          process: fc.constantFrom('poisson', 'constant'),
          r: fc.integer({ min: 1, max: rate }),
        })
        .map(({ process, r }) => ({
          type: 'client.open',
          arrival: { process, rate: `${r}/s` },
        }));
  return fc.tuple(load, common).map(([l, c]) => ({
    ...l,
    target,
    mix: MIX,
    timeout: ms(c.timeout),
    stopAfter: `${stopAfterS}s`,
    connection: { protocol: c.protocol, tls: c.tls, poolSize: c.poolSize },
    ...(retries ? { retries: { max: c.max, backoff: { base: '10ms', cap: '100ms' } } } : {}),
    ...(dns ? { dns: { resolver: 'resolver', name: 'svc', timeout: '1s' } } : {}),
  }));
}

function featuresArbitrary(forced: Partial<Record<Feature, boolean>>) {
  const draws = FEATURES.map((f) =>
    forced[f] === undefined ? fc.boolean() : fc.constant(forced[f] as boolean),
  );
  return fc.tuple(...draws).map((bits) => {
    const out = {} as Record<Feature, boolean>;
    FEATURES.forEach((f, i) => {
      out[f] = bits[i]!;
    });
    return out;
  });
}

/**
 * Random valid scenarios: one or two clients (open or closed loop), optional DNS, proxy,
 * rate limiter (any algorithm, local state; 429 or 503), HTTP cache and load balancer (any
 * algorithm) in front of one to three app-server groups (the first may have a rateLimit
 * middleware step)
 * whose routes call an optional kv-store and database, random links and faults on the
 * timeline. Each simulates at most about `maxRequests` requests and, by default, drains.
 */
export function scenarioArbitrary(
  options: ScenarioArbitraryOptions = {},
): fc.Arbitrary<GeneratedScenario> {
  const maxRequests = options.maxRequests ?? 1500;
  return featuresArbitrary(options.features ?? {}).chain((features) => {
    const stores: Stores = { kv: features.kvStore, db: features.database };
    const appCount = features.balancer ? 3 : 1;
    return fc
      .record({
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        stopAfter: fc.integer({ min: 1, max: 4 }),
        apps: fc.array(appArbitrary(stores), { minLength: appCount, maxLength: appCount }),
        nApps: fc.integer({ min: 1, max: appCount }),
        clients: fc.integer({ min: 1, max: 2 }),
        algorithm: fc.constantFrom(...ALGORITHMS),
        lbTimeout: fc.integer({ min: 1, max: 5 }),
        cacheCapacity: fc.integer({ min: 5, max: 200 }),
        kvCapacity: fc.integer({ min: 5, max: 200 }),
        kvPolicy: fc.constantFrom(...POLICIES),
        cacheTtl: fc.integer({ min: 1, max: 30 }),
        dbConnections: fc.integer({ min: 2, max: 50 }),
        latency: durationDistArbitrary,
        loss: fc.constantFrom(0, 0, 0.001, 0.01),
        faultAt: fc.integer({ min: 0, max: 3000 }),
        faultFor: fc.integer({ min: 50, max: 2000 }),
        faultKind: fc.constantFrom('crash', 'slow', 'load'),
        factor: fc.constantFrom(0.5, 2, 5),
        limiter: limiterAlgorithmArbitrary,
        limiterKey: limiterKeyArbitrary,
        limiterStatus: fc.constantFrom(429, 503),
        limiterHeaders: fc.constantFrom('x-ratelimit', 'ietf', 'none'),
        gate: limiterAlgorithmArbitrary,
        gateKey: limiterKeyArbitrary,
      })
      .chain((p) => {
        const drain = options.drain ?? true;
        const components: Record<string, unknown> = {};
        const appIds = Array.from({ length: p.nApps }, (_, i) => `app${i}`);
        appIds.forEach((id, i) => {
          components[id] = p.apps[i];
        });
        if (!features.balancer) (components.app0 as Record<string, unknown>).replicas = 1;
        let entry = 'app0';
        if (features.balancer) {
          components.lb = {
            type: 'load-balancer',
            algorithm: p.algorithm,
            backends: appIds.length === 1 ? 'app0' : appIds,
            timeout: `${p.lbTimeout}s`,
            timeoutQueue: '500ms',
          };
          entry = 'lb';
        }
        if (features.httpCache) {
          components.edge = {
            type: 'http-cache',
            upstream: entry,
            capacity: p.cacheCapacity,
            ttl: `${p.cacheTtl}s`,
            upstreamTimeout: '5s',
          };
          entry = 'edge';
        }
        if (features.rateLimitGate) {
          const app0 = components.app0 as Record<string, unknown>;
          app0.middleware = [{ rateLimit: { ...p.gate, key: p.gateKey } }];
        }
        if (features.rateLimiter) {
          components.rl = {
            type: 'rate-limiter',
            upstream: entry,
            key: p.limiterKey,
            algorithm: p.limiter,
            status: p.limiterStatus,
            headers: p.limiterHeaders,
          };
          entry = 'rl';
        }
        if (features.proxy) {
          components.web = {
            type: 'proxy',
            upstream: entry,
            connectTimeout: '1s',
            readTimeout: '5s',
          };
          entry = 'web';
        }
        if (features.kvStore)
          components.kv = { type: 'kv-store', capacity: p.kvCapacity, policy: p.kvPolicy };
        if (features.database)
          components.db = { type: 'database', maxConnections: p.dbConnections };
        if (features.dns) {
          components.auth = {
            type: 'dns-authoritative',
            records: [{ name: 'svc', addresses: [entry], ttl: '5s' }],
            latency: '5ms',
          };
          components.resolver = { type: 'dns-resolver', authoritative: 'auth', queryTimeout: '1s' };
        }
        const perClient = Math.max(1, Math.floor(maxRequests / p.clients));
        const clientArbs = Array.from({ length: p.clients }, (_, i) =>
          clientArbitrary(
            features.closedClient && i === 0,
            perClient,
            p.stopAfter,
            features.retries,
            entry,
            features.dns,
          ),
        );
        return fc.tuple(...clientArbs).map((clients) => {
          const clientIds = clients.map((_, i) => `users${i}`);
          clients.forEach((c, i) => {
            components[clientIds[i]!] = c;
          });
          const links = features.links
            ? [{ between: [clientIds[0]!, entry], latency: p.latency, loss: p.loss }]
            : [];
          const timeline: unknown[] = [];
          if (features.faults) {
            const at = ms(p.faultAt);
            const span = ms(p.faultFor);
            const target = features.kvStore && p.faultAt % 3 === 0 ? 'kv' : appIds[0]!;
            if (p.faultKind === 'crash') timeline.push({ action: 'crash', at, target, for: span });
            else if (p.faultKind === 'slow')
              timeline.push({ action: 'slow', at, target, factor: p.factor, for: span });
            else
              timeline.push({
                action: 'load',
                at,
                target: clientIds[0]!,
                factor: p.factor,
                for: span,
              });
          }
          const durationS = drain ? p.stopAfter + 20 : p.stopAfter;
          const scenario: Record<string, unknown> = {
            version: 1,
            name: 'generated',
            seed: p.seed,
            run: { duration: `${durationS}s`, warmup: '0s', maxEvents: 2_000_000 },
            components,
            links,
            timeline,
          };
          return { scenario, features };
        });
      });
  });
}
