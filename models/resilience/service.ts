import type { Behavior, Context, Distribution, SimTime, TimerHandle } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import { IdMap } from '../core/id-map.ts';
import type { Probe } from '../core/probe.ts';
import { addPhase, type HttpRequestMessage, reply, response } from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import type { FaultMessage } from '../scenario/timeline.ts';
import { Codel } from './codel.ts';
import type { CancelMessage } from './hedge-schema.ts';
import { ServiceQueue } from './service-queue.ts';
import { type ServiceConfig, serviceSchema } from './service-schema.ts';

interface Work {
  readonly id: number;
  readonly msg: HttpRequestMessage;
  readonly rank: number;
  readonly arrivedAt: SimTime;
  startedAt: SimTime;
  /** µs of service this request needs (set when it starts). */
  work: SimTime;
  timer: TimerHandle | undefined;
  done: boolean;
}

interface DoneTimer {
  readonly type: 'service.done';
  readonly id: number;
}

interface CancelTimer {
  readonly type: 'service.cancel';
  readonly id: number;
}

/** State of one `service` actor. */
export interface ServiceState {
  readonly config: ServiceConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly dist: Distribution;
  readonly queue: ServiceQueue<Work>;
  readonly serving: IdMap<Work>;
  readonly codel: Codel | undefined;
  /** Priority rank by request class name; undefined without priorities. */
  readonly ranks: ReadonlyMap<string, number> | undefined;
  down: boolean;
  slow: number;
  nextId: number;
}

/** Answers a request exactly once and records it (reason counted unless 'ok'). */
function answer(s: ServiceState, ctx: Context, w: Work, status: number, reason: string): void {
  if (w.done) return;
  w.done = true;
  const { req, replyTo, tag } = w.msg;
  s.network.send(ctx, replyTo, reply(req, tag, response(status, s.componentId, reason)));
  s.probe.complete(ctx.now, status, ctx.now - w.arrivedAt);
  if (reason !== 'ok') s.probe.count(reason, ctx.now);
}

/** Service time spent so far on `w` and the part of it after the caller's deadline. */
function chargeWork(s: ServiceState, ctx: Context, w: Work): void {
  const now = ctx.now;
  const spent = now - w.startedAt;
  s.probe.count('workSeconds', now, spent / 1e6);
  const deadline = w.msg.req.deadline;
  if (deadline !== undefined && now > deadline) {
    s.probe.count('wastedSeconds', now, Math.min(spent, now - deadline) / 1e6);
  }
  addPhase(w.msg.req, 'service', s.componentId, w.startedAt, now);
}

function start(s: ServiceState, ctx: Context, w: Work): void {
  const now = ctx.now;
  w.startedAt = now;
  if (now > w.arrivedAt) addPhase(w.msg.req, 'queue', s.componentId, w.arrivedAt, now);
  const base = s.dist.sample(ctx.rng('service')) * s.slow;
  w.work = Math.max(0, Math.round(base + s.config.perInFlight * (s.serving.size + 1)));
  s.serving.set(w.id, w);
  s.probe.busy.add(now, 1);
  const deadline = w.msg.req.deadline;
  if (s.config.cancelOnDeadline && deadline !== undefined && deadline < now + w.work) {
    const t: CancelTimer = { type: 'service.cancel', id: w.id };
    w.timer = ctx.after(Math.max(0, deadline - now), t);
  } else {
    const t: DoneTimer = { type: 'service.done', id: w.id };
    w.timer = ctx.after(w.work, t);
  }
}

/** Why a request leaving the queue now is dropped instead of served; undefined: serve it. */
function dropReason(s: ServiceState, now: SimTime, w: Work): string | undefined {
  const q = s.config.queue;
  const waited = now - w.arrivedAt;
  if (q.timeout !== undefined && waited > q.timeout) return 'queue-timeout';
  const deadline = w.msg.req.deadline;
  if (q.dropExpired && deadline !== undefined && now >= deadline) return 'expired';
  if (s.codel?.shouldDrop(now, waited) === true) return 'codel';
  return undefined;
}

/** Starts queued requests while slots are free, shedding those the queue policy drops. */
function drain(s: ServiceState, ctx: Context): void {
  const limit = s.config.concurrency ?? Number.POSITIVE_INFINITY;
  while (!s.down && s.serving.size < limit && s.queue.length > 0) {
    const w = s.queue.take()!;
    s.probe.queue.add(ctx.now, -1);
    const why = dropReason(s, ctx.now, w);
    if (why === undefined) start(s, ctx, w);
    else answer(s, ctx, w, s.config.shedStatus, why);
  }
}

function receive(s: ServiceState, ctx: Context, msg: HttpRequestMessage): void {
  const now = ctx.now;
  s.probe.arrive(now);
  const rank = s.ranks === undefined ? 0 : (s.ranks.get(msg.req.className) ?? s.ranks.size);
  const w: Work = {
    id: s.nextId++,
    msg,
    rank,
    arrivedAt: now,
    startedAt: now,
    work: 0,
    timer: undefined,
    done: false,
  };
  if (s.down) {
    answer(s, ctx, w, s.config.shedStatus, 'down');
    return;
  }
  const limit = s.config.concurrency;
  if (limit === undefined || (s.serving.size < limit && s.queue.length === 0)) {
    start(s, ctx, w);
    return;
  }
  if (s.queue.full) {
    const victim = s.ranks === undefined ? undefined : s.queue.evictBelow(rank);
    if (victim === undefined) {
      answer(s, ctx, w, s.config.shedStatus, 'queue-full');
      return;
    }
    s.probe.queue.add(now, -1);
    answer(s, ctx, victim, s.config.shedStatus, 'shed-priority');
  }
  s.queue.push(w);
  s.probe.queue.add(now, 1);
}

function finish(s: ServiceState, ctx: Context, id: number, cancelled: boolean): void {
  const w = s.serving.get(id);
  if (w === undefined) return;
  s.serving.delete(id);
  s.probe.busy.add(ctx.now, -1);
  chargeWork(s, ctx, w);
  if (cancelled) answer(s, ctx, w, s.config.shedStatus, 'cancelled');
  else {
    const p = s.config.errorProbability;
    const failed = p > 0 && ctx.rng('error').next() < p;
    answer(s, ctx, w, failed ? s.config.errorStatus : 200, failed ? 'failed' : 'ok');
  }
  drain(s, ctx);
}

/** A caller withdrew a copy (hedging): it leaves the queue or stops, answered 499 and counted. */
function withdraw(s: ServiceState, ctx: Context, msg: CancelMessage): void {
  const match = (w: Work) => w.msg.tag === msg.tag && w.msg.replyTo === msg.from;
  const queued = s.queue.removeFirst(match);
  if (queued !== undefined) {
    s.probe.queue.add(ctx.now, -1);
    answer(s, ctx, queued, 499, 'cancelled');
    return;
  }
  const w = s.serving.values().find(match);
  if (w === undefined) return;
  if (w.timer !== undefined) ctx.cancel(w.timer);
  s.serving.delete(w.id);
  s.probe.busy.add(ctx.now, -1);
  chargeWork(s, ctx, w);
  answer(s, ctx, w, 499, 'cancelled');
  drain(s, ctx);
}

/** The `service` actor: serve, queue, shed; faults crash, restart and slow it. */
export const serviceBehavior: Behavior<ServiceState> = {
  on: {
    'http.request': (s, msg: HttpRequestMessage, ctx) => receive(s, ctx, msg),
    'service.done': (s, msg: DoneTimer, ctx) => finish(s, ctx, msg.id, false),
    'service.cancel': (s, msg: CancelTimer, ctx) => finish(s, ctx, msg.id, true),
    'http.cancel': (s, msg: CancelMessage, ctx) => withdraw(s, ctx, msg),
    'fault.crash': (s, _m: FaultMessage, ctx) => {
      s.down = true;
      for (const w of [...s.serving.values()]) {
        if (w.timer !== undefined) ctx.cancel(w.timer);
        s.serving.delete(w.id);
        s.probe.busy.add(ctx.now, -1);
        chargeWork(s, ctx, w);
        answer(s, ctx, w, s.config.shedStatus, 'crashed');
      }
      const queued = s.queue.drain();
      if (queued.length > 0) s.probe.queue.add(ctx.now, -queued.length);
      for (const w of queued) answer(s, ctx, w, s.config.shedStatus, 'crashed');
    },
    'fault.restart': (s) => {
      s.down = false;
    },
    'fault.slow': (s, msg: FaultMessage & { type: 'fault.slow' }) => {
      s.slow = msg.factor;
    },
  },
};

/** Kind `service`: a generic service for resilience studies (docs/models/resilience.md). */
export const serviceKind = defineComponent({
  type: 'service',
  description:
    'A generic service for resilience studies: service time growing with requests in service, concurrency limit, queue discipline (FIFO, LIFO, adaptive LIFO, priority), CoDel and deadline shedding, failure probability; counts work done after callers gave up.',
  schema: serviceSchema,
  replicable: true,
  references: () => [],
  build(instance, env) {
    const { config } = instance;
    const probe = env.probe(instance.componentId, instance.actorId);
    probe.capacity = config.concurrency ?? 1;
    const priority = config.queue.priority;
    const ranks =
      priority === undefined ? undefined : new Map(priority.map((name, i) => [name, i] as const));
    const state: ServiceState = {
      config,
      componentId: instance.componentId,
      probe,
      network: env.network,
      dist: buildDurationDist(config.service),
      queue: new ServiceQueue<Work>(config.queue, ranks === undefined ? 1 : ranks.size + 1),
      serving: new IdMap(),
      codel: config.queue.codel === undefined ? undefined : new Codel(config.queue.codel),
      ranks,
      down: false,
      slow: 1,
      nextId: 1,
    };
    probe.extras = {
      reset: () => {},
      summary: () => ({ inFlightAtEnd: state.serving.size + state.queue.length }),
    };
    env.sim.spawn(instance.actorId, serviceBehavior, state);
  },
});
