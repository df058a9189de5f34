import {
  type ActorRef,
  type Behavior,
  exponential,
  type SimTime,
  Simulation,
} from '../../engine/index.ts';
import type { BuildEnv, ComponentKind } from '../../models/core/component.ts';
import { Probe } from '../../models/core/probe.ts';
import {
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponseMessage,
  type Method,
  newPhases,
} from '../../models/http/messages.ts';
import { Network } from '../../models/net/network.ts';

/** Config of the test Poisson source: rate per second, target actor id and the request shape. */
export interface PoissonConfig {
  readonly ratePerSecond: number;
  readonly target: string;
  readonly method?: Method;
  readonly route?: string;
  /** Stop sending after this simulated time (µs); undefined = forever. */
  readonly stopAt?: SimTime;
  /** Shapes each request (headers, key, user); called with the request index. */
  readonly shape?: (i: number) => Partial<HttpRequest>;
}

/** What the source saw: requests sent and responses by status. */
export interface PoissonState {
  readonly config: PoissonConfig;
  target: ActorRef;
  sent: number;
  received: number;
  readonly byStatus: Map<number, number>;
}

/** An open-loop Poisson request source (test-only; the product client is another model). */
export const poissonBehavior: Behavior<PoissonState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.target = ctx.lookup(s.config.target);
      ctx.after(exponential(1e6 / s.config.ratePerSecond).sample(ctx.rng('arrivals')), {
        type: 'src.tick',
      });
    },
    'src.tick': (s, _m, ctx) => {
      const c = s.config;
      if (c.stopAt !== undefined && ctx.now >= c.stopAt) return;
      const i = s.sent++;
      const req: HttpRequest = {
        id: i + 1,
        origin: i + 1,
        attempt: 0,
        client: ctx.id,
        clientIp: i % 1000,
        method: c.method ?? 'GET',
        route: c.route ?? '/',
        className: 'default',
        key: i,
        user: i % 100,
        tier: 'free',
        idempotent: true,
        headers: {},
        size: 0,
        intendedAt: ctx.now,
        phases: newPhases(),
        spans: undefined,
        ...(c.shape?.(i) ?? {}),
      };
      const msg: HttpRequestMessage = { type: 'http.request', req, replyTo: ctx.self, tag: i };
      ctx.send(s.target, msg);
      ctx.after(exponential(1e6 / c.ratePerSecond).sample(ctx.rng('arrivals')), {
        type: 'src.tick',
      });
    },
    'http.response': (s, m: HttpResponseMessage) => {
      s.received++;
      s.byStatus.set(m.res.status, (s.byStatus.get(m.res.status) ?? 0) + 1);
    },
  },
};

/** A tiny stack for tests: a simulation, probes and an env in which kinds can be built. */
export interface TestStack {
  readonly sim: Simulation;
  readonly env: BuildEnv;
  readonly probes: Map<string, Probe>;
  /** Builds one component (with optional replicas) from its parsed config. */
  add<C>(kind: ComponentKind<C>, id: string, rawConfig: unknown, replicas?: number): void;
  /** Spawns a Poisson source; returns its state for inspection. */
  source(id: string, config: PoissonConfig): PoissonState;
}

/** Creates a test stack with no links (zero network delay) unless given. */
export function testStack(
  seed: number,
  links: ConstructorParameters<typeof Network>[1] = [],
  trace?: (time: number, actorId: string, type: string) => void,
): TestStack {
  const sim = new Simulation({
    seed,
    fingerprint: false,
    ...(trace === undefined ? {} : { trace }),
  });
  const probes = new Map<string, Probe>();
  const groups = new Map<string, string[]>();
  const env: BuildEnv = {
    sim,
    network: new Network(sim, links),
    duration: 0,
    members: (id) => groups.get(id) ?? [id],
    probe: (componentId, actorId) => {
      let p = probes.get(actorId);
      if (p === undefined) {
        p = new Probe(componentId, actorId, sim.now);
        probes.set(actorId, p);
      }
      return p;
    },
    probes,
  };
  return {
    sim,
    env,
    probes,
    add<C>(kind: ComponentKind<C>, id: string, rawConfig: unknown, replicas = 1) {
      const config = kind.schema.parse(rawConfig) as C;
      const ids = replicas === 1 ? [id] : Array.from({ length: replicas }, (_, i) => `${id}[${i}]`);
      groups.set(id, ids);
      ids.forEach((actorId, replica) => {
        kind.build({ componentId: id, actorId, replica, replicas, config }, env);
      });
    },
    source(id, config) {
      const state: PoissonState = { config, target: -1, sent: 0, received: 0, byStatus: new Map() };
      sim.spawn(id, poissonBehavior, state);
      return state;
    },
  };
}

/** One scripted request: when to send it and how it differs from the default GET /. */
export interface Scripted {
  readonly at: SimTime;
  readonly req?: Partial<HttpRequest>;
  /** Built when sent, from the answers so far (e.g. to return a cookie a response set). */
  readonly build?: (got: ScriptState['got']) => Partial<HttpRequest>;
}

/** Responses a scripted caller received: status, reason and receive time, by request index. */
export interface ScriptState {
  readonly script: readonly Scripted[];
  readonly target: string;
  readonly got: Map<
    number,
    { status: number; reason: string; at: SimTime; headers: HttpResponseMessage['res']['headers'] }
  >;
}

/** Spawns a caller that sends `script` to `target` and records each response by index. */
export function scripted(
  stack: TestStack,
  id: string,
  target: string,
  script: readonly Scripted[],
): ScriptState {
  const state: ScriptState = { script, target, got: new Map() };
  stack.sim.spawn<ScriptState>(
    id,
    {
      on: {
        'sim.start': (s, _m, ctx) => {
          s.script.forEach((_x, i) => {
            ctx.after(s.script[i]!.at, { type: 'script.send', i } as { type: string });
          });
        },
        'script.send': (s, m: { type: string; i: number }, ctx) => {
          const req: HttpRequest = {
            id: m.i + 1,
            origin: m.i + 1,
            attempt: 0,
            client: ctx.id,
            clientIp: m.i,
            method: 'GET',
            route: '/',
            className: 'default',
            key: m.i,
            user: 1,
            tier: 'free',
            idempotent: true,
            headers: {},
            size: 0,
            intendedAt: ctx.now,
            phases: newPhases(),
            spans: undefined,
            ...(s.script[m.i]!.req ?? {}),
            ...(s.script[m.i]!.build?.(s.got) ?? {}),
          };
          ctx.send(ctx.lookup(s.target), {
            type: 'http.request',
            req,
            replyTo: ctx.self,
            tag: m.i,
          } as HttpRequestMessage);
        },
        'http.response': (s, m: HttpResponseMessage, ctx) => {
          const { status, reason, headers } = m.res;
          s.got.set(m.tag, { status, reason, at: ctx.now, headers });
        },
      },
    },
    state,
  );
  return state;
}
