// Test-only actors for balancer tests: a Poisson source and an exponential FIFO server.
import {
  type ActorRef,
  type Behavior,
  LatencyHistogram,
  type SimTime,
  Simulation,
  Welford,
} from '../../engine/index.ts';
import type { BuildEnv } from '../../models/core/component.ts';
import { Probe } from '../../models/core/probe.ts';
import type { HttpRequestMessage, HttpResponseMessage } from '../../models/http/messages.ts';
import { CONNECTION_FAILURES, reply, response } from '../../models/http/messages.ts';
import { Network } from '../../models/net/network.ts';
import { lbRequest } from './lb-request.ts';

/** A Poisson source: `rate` requests per second to `target` until `until` µs; records latencies. */
export interface SourceState {
  target: string;
  ref: ActorRef;
  rate: number;
  factor: number;
  until: SimTime;
  warmup: SimTime;
  sessions: number;
  nextId: number;
  sent: Map<number, SimTime>;
  readonly latency: Welford;
  readonly hist: LatencyHistogram;
  readonly statuses: Map<number, number>;
  /** Per-second windows of 5xx answers and of all answers. */
  readonly errorsBySecond: number[];
}

/** Builds a source state. */
export function sourceState(
  target: string,
  rate: number,
  until: SimTime,
  warmup = 0,
  sessions = 0,
): SourceState {
  return {
    target,
    ref: -1,
    rate,
    factor: 1,
    until,
    warmup,
    sessions,
    nextId: 1,
    sent: new Map(),
    latency: new Welford(),
    hist: new LatencyHistogram(),
    statuses: new Map(),
    errorsBySecond: [],
  };
}

const nextGap = (s: SourceState, u: number) => (-Math.log(1 - u) / (s.rate * s.factor)) * 1e6;

/** The source behaviour. */
export const sourceBehavior: Behavior<SourceState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.ref = ctx.lookup(s.target);
      ctx.after(nextGap(s, ctx.rng('arrivals').next()), { type: 'src.fire' });
    },
    'src.fire': (s, _m, ctx) => {
      if (ctx.now >= s.until) return;
      const id = s.nextId++;
      const rng = ctx.rng('keys');
      const session = s.sessions > 0 ? Math.floor(rng.next() * s.sessions) : undefined;
      const req = lbRequest(id, {
        clientIp: Math.floor(rng.next() * 2 ** 31),
        key: Math.floor(rng.next() * 2 ** 31),
        intendedAt: ctx.now,
        ...(session === undefined ? {} : { headers: { session } }),
      });
      s.sent.set(id, ctx.now);
      const msg: HttpRequestMessage = { type: 'http.request', req, replyTo: ctx.self, tag: id };
      ctx.send(s.ref, msg);
      ctx.after(nextGap(s, ctx.rng('arrivals').next()), { type: 'src.fire' });
    },
    'http.response': (s, m: HttpResponseMessage, ctx) => {
      const t0 = s.sent.get(m.tag);
      if (t0 === undefined) return;
      s.sent.delete(m.tag);
      const sec = Math.floor(ctx.now / 1e6);
      while (s.errorsBySecond.length <= sec) s.errorsBySecond.push(0);
      if (m.res.status >= 500) s.errorsBySecond[sec]!++;
      if (t0 < s.warmup) return;
      s.statuses.set(m.res.status, (s.statuses.get(m.res.status) ?? 0) + 1);
      if (m.res.status < 400) {
        s.latency.add(ctx.now - t0);
        s.hist.record(ctx.now - t0);
      }
    },
    'load.factor': (s, m: { factor: number }) => {
      s.factor = m.factor;
    },
  },
};

/** An exponential FIFO server with `workers` servers; can crash (refuse or blackhole) and slow down. */
export interface ServerState {
  readonly mean: number;
  readonly workers: number;
  busy: number;
  factor: number;
  crashed: 'no' | 'refuse' | 'blackhole';
  /** What a crash looks like to callers: refused connections or silence. */
  crashMode: 'refuse' | 'blackhole';
  readonly waiting: HttpRequestMessage[];
  readonly probe: Probe;
  /** Time spent with exactly k requests in the system (k capped at the last slot). */
  readonly timeAt: Float64Array;
  lastChange: SimTime;
  served: number;
}

/** Builds a server state recording into `probe`. */
export function serverState(mean: number, probe: Probe, workers = 1): ServerState {
  probe.capacity = workers;
  return {
    mean,
    workers,
    busy: 0,
    factor: 1,
    crashed: 'no',
    crashMode: 'refuse',
    waiting: [],
    probe,
    timeAt: new Float64Array(64),
    lastChange: 0,
    served: 0,
  };
}

function inSystem(s: ServerState): number {
  return s.busy + s.waiting.length;
}

/** Books the time since the last change to the current queue length (call before reading timeAt). */
export function mark(s: ServerState, now: SimTime): void {
  const k = Math.min(inSystem(s), s.timeAt.length - 1);
  s.timeAt[k]! += now - s.lastChange;
  s.lastChange = now;
}

function start(
  s: ServerState,
  m: HttpRequestMessage,
  ctx: Parameters<Behavior<ServerState>['on'][string]>[2],
) {
  s.busy++;
  s.probe.busy.add(ctx.now, 1);
  const d = -Math.log(1 - ctx.rng('service').next()) * s.mean * s.factor;
  const done: { type: string; m: HttpRequestMessage } = { type: 'srv.done', m };
  ctx.after(d, done);
}

/** The server behaviour. */
export const serverBehavior: Behavior<ServerState> = {
  on: {
    'http.request': (s, m: HttpRequestMessage, ctx) => {
      if (s.crashed === 'blackhole') return;
      if (s.crashed === 'refuse') {
        ctx.send(
          m.replyTo,
          reply(m.req, m.tag, response(503, ctx.id, CONNECTION_FAILURES.refused)),
        );
        return;
      }
      mark(s, ctx.now);
      s.probe.arrive(ctx.now);
      if (s.busy < s.workers) start(s, m, ctx);
      else s.waiting.push(m);
    },
    'srv.done': (s, msg: { m: HttpRequestMessage }, ctx) => {
      if (s.crashed !== 'no') return;
      mark(s, ctx.now);
      s.busy--;
      s.served++;
      s.probe.busy.add(ctx.now, -1);
      s.probe.complete(ctx.now, 200, ctx.now - msg.m.req.intendedAt);
      ctx.send(msg.m.replyTo, reply(msg.m.req, msg.m.tag, response(200, ctx.id, 'ok')));
      const next = s.waiting.shift();
      if (next !== undefined) start(s, next, ctx);
    },
    'fault.crash': (s, _m, ctx) => {
      mark(s, ctx.now);
      s.probe.busy.add(ctx.now, -s.busy);
      s.busy = 0;
      s.waiting.length = 0;
      s.crashed = s.crashMode;
    },
    'fault.restart': (s, _m, ctx) => {
      mark(s, ctx.now);
      s.crashed = 'no';
    },
    'fault.slow': (s, m: { factor: number }) => {
      s.factor = m.factor;
    },
  },
};

/** A bare build environment (no scenario file) for wiring a balancer to test actors. */
export function harness(
  seed: number,
  groups: Record<string, number> = {},
): { sim: Simulation; env: BuildEnv } {
  const sim = new Simulation({ seed });
  const network = new Network(sim, []);
  const probes = new Map<string, Probe>();
  const env: BuildEnv = {
    sim,
    network,
    duration: 0,
    members: (id) =>
      groups[id] === undefined
        ? [id]
        : Array.from({ length: groups[id]! }, (_, i) => `${id}[${i}]`),
    probe: (componentId, actorId) => {
      let p = probes.get(actorId);
      if (p === undefined) {
        p = new Probe(componentId, actorId, 0);
        probes.set(actorId, p);
      }
      return p;
    },
    probes,
  };
  return { sim, env };
}
