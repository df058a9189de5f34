import { type Behavior, type Context, Simulation } from '../../../engine/index.ts';
import type { BuildEnv } from '../../../models/core/component.ts';
import { Probe } from '../../../models/core/probe.ts';
import {
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponseMessage,
  newPhases,
  reply,
  response,
} from '../../../models/http/messages.ts';
import { Network } from '../../../models/net/network.ts';
import { rateLimiterKind, rateLimiterSchema } from '../../../models/ratelimit/component.ts';
import { componentResult } from '../../../models/scenario/results.ts';
import { type TestKvState, testKvState, testKvStore } from '../../helpers/kv-store.ts';

/** Fields of a test request that vary. */
export interface Arrival {
  readonly at: number;
  readonly clientIp?: number;
  readonly user?: number;
  readonly tier?: string;
  readonly route?: string;
  /** Which limiter replica receives it (default: round robin). */
  readonly via?: number;
  /** For login tests: the sink answers 401 when false. */
  readonly credentialsValid?: boolean;
}

let nextId = 1;

/** Builds a test request. */
export function makeRequest(a: Partial<Arrival> = {}): HttpRequest {
  const id = nextId++;
  return {
    id,
    origin: id,
    attempt: 0,
    client: 'client',
    clientIp: a.clientIp ?? 1,
    method: 'GET',
    route: a.route ?? '/api',
    className: 'api',
    key: 0,
    user: a.user ?? 0,
    tier: a.tier ?? 'free',
    idempotent: true,
    headers: a.credentialsValid === undefined ? {} : { credentialsValid: a.credentialsValid },
    size: 0,
    intendedAt: a.at ?? 0,
    phases: newPhases(),
    spans: undefined,
  };
}

interface SinkState {
  readonly service: number;
  readonly admitted: number[];
}

const sink: Behavior<SinkState> = {
  on: {
    'http.request'(s, m: HttpRequestMessage, ctx: Context) {
      s.admitted.push(ctx.now);
      const status = m.req.headers.credentialsValid === false ? 401 : 200;
      ctx.send(m.replyTo, reply(m.req, m.tag, response(status, 'app', 'ok')), s.service);
    },
  },
};

/** One response seen by the driver. */
export interface Seen {
  readonly sentAt: number;
  readonly at: number;
  readonly status: number;
  readonly res: HttpResponseMessage['res'];
  readonly arrival: Arrival;
}

interface DriverState {
  readonly arrivals: readonly Arrival[];
  readonly targets: string[];
  readonly seen: Seen[];
  i: number;
}

const driver: Behavior<DriverState> = {
  on: {
    'sim.start'(s, _m, ctx) {
      if (s.arrivals.length > 0) ctx.after(s.arrivals[0]!.at, { type: 'drive.next' });
    },
    'drive.next'(s, _m, ctx) {
      while (s.i < s.arrivals.length && s.arrivals[s.i]!.at <= ctx.now) {
        const a = s.arrivals[s.i]!;
        const target = s.targets[(a.via ?? s.i) % s.targets.length]!;
        const msg: HttpRequestMessage = {
          type: 'http.request',
          req: makeRequest(a),
          replyTo: ctx.self,
          tag: s.i,
        };
        ctx.send(ctx.lookup(target), msg);
        s.i++;
      }
      if (s.i < s.arrivals.length) ctx.after(s.arrivals[s.i]!.at - ctx.now, { type: 'drive.next' });
    },
    'http.response'(s, m: HttpResponseMessage, ctx) {
      const a = s.arrivals[m.tag]!;
      s.seen.push({ sentAt: a.at, at: ctx.now, status: m.res.status, res: m.res, arrival: a });
    },
  },
};

/** Options for one harness run. */
export interface HarnessOptions {
  /** The rate-limiter config as written in a scenario (upstream is filled in). */
  readonly limiter: Record<string, unknown>;
  readonly replicas?: number;
  readonly arrivals: readonly Arrival[];
  readonly service?: number;
  readonly store?: TestKvState;
  readonly until?: number;
}

/** What a harness run returns. */
export interface HarnessRun {
  readonly seen: Seen[];
  readonly admitted: number[];
  readonly result: ReturnType<typeof componentResult>;
  readonly store: TestKvState | undefined;
}

/** Runs a driver → rate-limiter (replicas) → sink stack with the real component. */
export function runLimiter(o: HarnessOptions): HarnessRun {
  const sim = new Simulation({ seed: 1 });
  const replicas = o.replicas ?? 1;
  const ids = replicas === 1 ? ['rl'] : Array.from({ length: replicas }, (_, i) => `rl[${i}]`);
  const probes = new Map<string, Probe>();
  const env: BuildEnv = {
    sim,
    network: new Network(sim, []),
    duration: o.until ?? 1e9,
    members: (id) => (id === 'rl' ? ids : [id]),
    probe(componentId, actorId) {
      const p = new Probe(componentId, actorId, 0);
      probes.set(actorId, p);
      return p;
    },
    probes,
  };
  const config = rateLimiterSchema.parse({ upstream: 'app', ...o.limiter });
  ids.forEach((actorId, replica) => {
    rateLimiterKind.build({ componentId: 'rl', actorId, replica, replicas, config }, env);
  });
  const admitted: number[] = [];
  sim.spawn('app', sink, { service: o.service ?? 0, admitted });
  const store = o.store ?? (o.limiter.store === undefined ? undefined : testKvState());
  if (store !== undefined) sim.spawn('kv', testKvStore, store);
  const seen: Seen[] = [];
  sim.spawn('driver', driver, { arrivals: o.arrivals, targets: ids, seen, i: 0 });
  sim.run(o.until === undefined ? {} : { until: o.until });
  const result = componentResult('rate-limiter', [...probes.values()], sim.now);
  return { seen, admitted, result, store };
}
