// Scenario files (plain JSON objects, the real format) for the systems of reference.json, and
// how to read each reference metric off their results. Used by theory-cases.ts.
import { LatencyHistogram } from '../../engine/index.ts';
import type { JobOutput } from '../../experiments/job.ts';

/** A system to simulate: a scenario file and the arrivals it should measure. */
export interface TheorySystem {
  readonly key: string;
  readonly scenario: Record<string, unknown>;
  /** Arrivals measured (after warm-up). */
  readonly n: number;
  /** The component whose probe is the queue or cache. */
  readonly at: string;
}

const BIG = '100000000s';

function open(rate: number, target: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'client.open',
    target,
    arrival: { process: 'poisson', rate: `${rate}/s` },
    timeout: BIG,
    connection: { tls: 'none', poolSize: 100_000 },
    ...extra,
  };
}

function app(workers: number, backlog: number, service: unknown, replicas = 1) {
  return {
    type: 'app-server',
    replicas,
    workers,
    backlog,
    overflow: '503',
    workerTimeout: BIG,
    routes: [{ method: 'GET', route: '/', steps: [{ cpu: service }] }],
  };
}

function file(
  key: string,
  seed: number,
  components: Record<string, unknown>,
  seconds: number,
  warmup: number,
) {
  return {
    version: 1,
    name: key,
    seed,
    // Series windows (batch means) at most ~2 000 per run: long full runs (10M arrivals at
    // λ = 0.9 last 11M simulated seconds) kept one window per second and ran out of heap.
    run: {
      duration: `${seconds}s`,
      warmup: `${warmup}s`,
      window: `${Math.max(1, Math.ceil(seconds / 2000))}s`,
      maxEvents: 2_000_000_000,
    },
    components,
  };
}

/** A FIFO queue: Poisson(lam) into c workers, K in system at most, service exp or det 1/mu. */
export function queueSystem(
  p: { lam: number; mu: number; c: number; K?: number; det?: boolean },
  n: number,
  seed: number,
): TheorySystem {
  const key = `queue lam=${p.lam} mu=${p.mu} c=${p.c} K=${p.K ?? '∞'}${p.det ? ' det' : ''}`;
  const mean = `${1 / p.mu}s`;
  const service = p.det ? mean : { dist: 'exponential', mean };
  const backlog = p.K === undefined ? 1_000_000_000 : p.K - p.c;
  const seconds = n / p.lam;
  const components = { src: open(p.lam, 'app'), app: app(p.c, backlog, service) };
  return { key, scenario: file(key, seed, components, seconds, 0.05 * seconds), n, at: 'app' };
}

/** A balancer over `servers` single-worker M/M/1 servers, `perServer` arrivals/s each. */
export function balancedSystem(
  algorithm: unknown,
  servers: number,
  perServer: number,
  n: number,
  seed: number,
): TheorySystem {
  const key = `lb ${JSON.stringify(algorithm)} n=${servers} lam=${perServer}`;
  const rate = servers * perServer;
  const components = {
    src: open(rate, 'lb'),
    lb: { type: 'load-balancer', algorithm, backends: 'app', timeout: BIG, timeoutQueue: BIG },
    app: app(1, 1_000_000_000, { dist: 'exponential', mean: '1s' }, servers),
  };
  const seconds = n / rate;
  return { key, scenario: file(key, seed, components, seconds, 0.1 * seconds), n, at: 'app' };
}

/** An HTTP cache in front of a server, Zipf(N, alpha) keys at `rate`/s (IRM). */
export function cacheSystem(
  p: { N: number; alpha: number; policy?: string; C?: number; ttl?: number; rate: number },
  n: number,
  warmupRequests: number,
  seed: number,
): TheorySystem {
  const key = `cache ${p.policy ?? 'ttl'} N=${p.N} a=${p.alpha} C=${p.C ?? '∞'} ttl=${p.ttl ?? '∞'}`;
  const edge: Record<string, unknown> = {
    type: 'http-cache',
    upstream: 'app',
    lookupLatency: '0ms',
    upstreamTimeout: BIG,
  };
  if (p.C !== undefined) edge.capacity = p.C;
  if (p.policy !== undefined) edge.policy = p.policy;
  edge.ttl = p.ttl === undefined ? BIG : `${p.ttl}s`;
  const mix = [
    {
      name: 'get',
      method: 'GET',
      route: '/item/{key}',
      keys: { dist: 'zipf', n: p.N, s: p.alpha },
    },
  ];
  const components = {
    src: open(p.rate, 'edge', { mix }),
    edge,
    app: {
      type: 'app-server',
      workers: 1000,
      routes: [{ method: 'GET', route: '/item/{key}', steps: [] }],
    },
  };
  const seconds = n / p.rate;
  return {
    key,
    scenario: file(key, seed, components, seconds, warmupRequests / p.rate),
    n,
    at: 'edge',
  };
}

/** Reads a reference metric of a finished system run; undefined when it is not observable. */
export function readMetric(out: JobOutput, at: string, metric: string): number | undefined {
  const c = out.result.components[at];
  const client = out.result.components.src;
  if (c === undefined || client === undefined) return undefined;
  const hist = out.histograms[at];
  const pct = (q: number) =>
    hist === undefined ? undefined : LatencyHistogram.fromJSON(hist).percentile(q) / 1e6;
  const refused = c.byStatus['503'] ?? 0;
  switch (metric) {
    case 'W':
      return c.latency.mean;
    case 'T_p50':
      return pct(50);
    case 'T_p95':
      return pct(95);
    case 'T_p99':
      return pct(99);
    case 'Wq':
      return client.breakdown?.queue?.mean ?? 0;
    case 'Wq_p99':
      return client.breakdown?.queue?.p99 ?? 0;
    case 'P_wait':
      return (c.counters.queued ?? 0) / (c.arrivals - refused);
    case 'P_block':
      return refused / c.arrivals;
    case 'hit_ratio':
      return c.ratios.hitRatio;
    case 'reject_fraction': {
      const decided = (c.counters.allowed ?? 0) + (c.counters.rejected ?? 0);
      return decided === 0 ? undefined : (c.counters.rejected ?? 0) / decided;
    }
    default: {
      // s_k: the share of time a replica holds at least k requests, averaged over replicas.
      const k = /^fraction_of_servers_with_at_least_(\d+)$/.exec(metric)?.[1];
      return k === undefined ? undefined : (c.inSystem.atLeast[Number(k) - 1] ?? 0);
    }
  }
}
