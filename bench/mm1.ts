import { type Behavior, type Context, createStream, Simulation } from '../engine/index.ts';
import { BareHeap } from './bare-heap.ts';
import {
  type BenchGroup,
  type Check,
  type Figure,
  figure,
  rate,
  ratios,
  roundRobin,
} from './measure.ts';

// M/M/1 with λ = 0.9/s and μ = 1/s: a source actor sends each customer to a server actor
// (three events per customer: arrival timer, hand-over, service completion).
const LAMBDA = 0.9;
const MU = 1;
const CUSTOMERS = 1_000_000;
const RUNS = 5;
const SEED = 7;

const ARRIVE = { type: 'mm1.arrive' } as const;
const CUSTOMER = { type: 'mm1.customer' } as const;
const DONE = { type: 'mm1.done' } as const;

/** The server's state: a FIFO ring of arrival times (in service first) and running sums. */
interface ServerState {
  ring: Float64Array;
  head: number;
  count: number;
  served: number;
  sumSojourn: number;
  readonly target: number;
}

function exp(u: number, ratePerSecond: number): number {
  return (-Math.log(1 - u) * 1e6) / ratePerSecond;
}

function enqueue(s: ServerState, t: number): void {
  if (s.count === s.ring.length) {
    const bigger = new Float64Array(s.ring.length * 2);
    for (let i = 0; i < s.count; i++) bigger[i] = s.ring[(s.head + i) % s.ring.length]!;
    s.ring = bigger;
    s.head = 0;
  }
  s.ring[(s.head + s.count) % s.ring.length] = t;
  s.count++;
}

function dequeue(s: ServerState): number {
  const t = s.ring[s.head]!;
  s.head = (s.head + 1) % s.ring.length;
  s.count--;
  return t;
}

const sourceBehavior: Behavior<{ server: number }> = {
  on: {
    'sim.start': (_s, _m, ctx: Context) => {
      ctx.after(exp(ctx.rng('arrivals').next(), LAMBDA), ARRIVE);
    },
    'mm1.arrive': (s, _m, ctx: Context) => {
      ctx.send(s.server, CUSTOMER);
      ctx.after(exp(ctx.rng('arrivals').next(), LAMBDA), ARRIVE);
    },
  },
};

const serverBehavior: Behavior<ServerState> = {
  on: {
    'mm1.customer': (s, _m, ctx: Context) => {
      enqueue(s, ctx.now);
      if (s.count === 1) ctx.after(exp(ctx.rng('service').next(), MU), DONE);
    },
    'mm1.done': (s, _m, ctx: Context) => {
      s.sumSojourn += ctx.now - dequeue(s);
      if (++s.served === s.target) ctx.stop();
      else if (s.count > 0) ctx.after(exp(ctx.rng('service').next(), MU), DONE);
    },
  },
};

function newServer(target: number): ServerState {
  return { ring: new Float64Array(64), head: 0, count: 0, served: 0, sumSojourn: 0, target };
}

/** Runs M/M/1 on the engine until `customers` have left; returns the mean sojourn in seconds. */
export function engineMm1(customers: number): number {
  const sim = new Simulation({ seed: SEED, fingerprint: false });
  const server = newServer(customers);
  const ref = sim.spawn('server', serverBehavior, server);
  sim.spawn('source', sourceBehavior, { server: ref });
  sim.run();
  return server.sumSojourn / server.served / 1e6;
}

/** The same M/M/1, same streams, as one loop over a bare heap (0 = arrival, 1 = departure). */
export function bareMm1(customers: number): number {
  const arrivals = createStream(SEED, 'source', 'arrivals');
  const service = createStream(SEED, 'server', 'service');
  const heap = new BareHeap(4);
  const s = newServer(customers);
  heap.push(Math.round(exp(arrivals.next(), LAMBDA)), 0);
  while (s.served < customers) {
    const kind = heap.pop();
    const now = heap.topTime;
    if (kind === 0) {
      heap.push(now + Math.round(exp(arrivals.next(), LAMBDA)), 0);
      enqueue(s, now);
      if (s.count === 1) heap.push(now + Math.round(exp(service.next(), MU)), 1);
    } else {
      s.sumSojourn += now - dequeue(s);
      s.served++;
      if (s.count > 0) heap.push(now + Math.round(exp(service.next(), MU)), 1);
    }
  }
  return s.sumSojourn / s.served / 1e6;
}

function runMm1(): { figures: Record<string, Figure>; checks: Check[] } {
  const means: Record<string, number> = {};
  const variants = {
    engine: () => rate(CUSTOMERS, () => (means.engine = engineMm1(CUSTOMERS))),
    bare: () => rate(CUSTOMERS, () => (means.bare = bareMm1(CUSTOMERS))),
  };
  const rates = roundRobin(variants, RUNS);
  const engine = figure(rates.engine!, 'customers/s');
  const ratio = figure(ratios(rates.engine!, rates.bare!), 'ratio');
  const same = means.engine === means.bare;
  return {
    figures: {
      'mm1.engine': engine,
      'mm1.bare': figure(rates.bare!, 'customers/s'),
      'mm1.engine/bare': ratio,
    },
    checks: [
      {
        name: 'M/M/1 on the engine',
        target: '>= 2 000 000 customers/s',
        value: engine.median,
        met: engine.median >= 2e6,
      },
      {
        name: 'M/M/1 engine and bare loop agree (mean sojourn, s)',
        target: `equal (theory ${(1 / (MU - LAMBDA)).toFixed(3)})`,
        value: means.engine ?? Number.NaN,
        met: same,
      },
    ],
  };
}

/** The M/M/1 throughput group. */
export const mm1Group: BenchGroup = {
  name: 'mm1',
  summary: `M/M/1 (λ=${LAMBDA}, μ=${MU}), ${CUSTOMERS.toLocaleString('en')} customers`,
  run: runMm1,
};
