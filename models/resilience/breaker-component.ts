import type { ActorRef, Behavior, Context, SimTime, TimerHandle } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import type { Probe } from '../core/probe.ts';
import {
  type HttpRequestMessage,
  type HttpResponse,
  type HttpResponseMessage,
  reply,
  response,
} from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import { CircuitBreaker } from './breaker.ts';
import { type BreakerComponentConfig, breakerComponentSchema } from './breaker-schema.ts';

interface Call {
  readonly msg: HttpRequestMessage;
  readonly breaker: CircuitBreaker;
  readonly generation: number;
  readonly sentAt: SimTime;
  timer: TimerHandle | undefined;
}

interface CallTimer {
  readonly type: 'breaker.timeout';
  readonly tag: number;
}

/** State of one `circuit-breaker` actor. */
export interface BreakerActorState {
  readonly config: BreakerComponentConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly memberIds: readonly string[];
  members: ActorRef[] | undefined;
  /** One breaker (per-service) or one per member (per-target). */
  readonly breakers: readonly CircuitBreaker[];
  readonly calls: Map<number, Call>;
  nextTag: number;
  rr: number;
}

function answer(
  s: BreakerActorState,
  ctx: Context,
  msg: HttpRequestMessage,
  res: HttpResponse,
  since: SimTime,
): void {
  s.network.send(ctx, msg.replyTo, reply(msg.req, msg.tag, res));
  s.probe.complete(ctx.now, res.status, ctx.now - since);
}

function isFailure(s: BreakerActorState, status: number): boolean {
  return status >= 500 || (s.config.failureStatuses === '5xx-and-429' && status === 429);
}

function forward(s: BreakerActorState, msg: HttpRequestMessage, ctx: Context): void {
  const now = ctx.now;
  s.probe.arrive(now);
  s.members ??= s.memberIds.map((id) => ctx.lookup(id));
  const n = s.members.length;
  const index = s.config.route === 'key' ? Math.abs(msg.req.key) % n : s.rr++ % n;
  const breaker = s.breakers.length === 1 ? s.breakers[0]! : s.breakers[index]!;
  const generation = breaker.acquire(now);
  if (generation < 0) {
    s.probe.count('notPermitted', now);
    answer(s, ctx, msg, response(s.config.openStatus, s.componentId, 'circuit-open'), now);
    return;
  }
  const tag = s.nextTag++;
  const call: Call = { msg, breaker, generation, sentAt: now, timer: undefined };
  if (s.config.timeout !== undefined) {
    const t: CallTimer = { type: 'breaker.timeout', tag };
    call.timer = ctx.timeout(s.config.timeout, t);
  }
  s.calls.set(tag, call);
  s.probe.busy.add(now, 1);
  const out: HttpRequestMessage = { type: 'http.request', req: msg.req, replyTo: ctx.self, tag };
  s.network.send(ctx, s.members[index]!, out, msg.req.size);
}

function settle(s: BreakerActorState, ctx: Context, tag: number, res: HttpResponse): void {
  const call = s.calls.get(tag);
  if (call === undefined) {
    s.probe.count('late', ctx.now);
    return;
  }
  s.calls.delete(tag);
  if (call.timer !== undefined) ctx.cancel(call.timer);
  s.probe.busy.add(ctx.now, -1);
  const before = call.breaker.opens;
  call.breaker.record(ctx.now, call.generation, isFailure(s, res.status), ctx.now - call.sentAt);
  if (call.breaker.opens > before) s.probe.count('opened', ctx.now);
  answer(s, ctx, call.msg, res, call.sentAt);
}

/** The circuit-breaker actor: forward, record outcomes, refuse while open. */
export const breakerBehavior: Behavior<BreakerActorState> = {
  on: {
    'http.request': (s, msg: HttpRequestMessage, ctx) => forward(s, msg, ctx),
    'http.response': (s, msg: HttpResponseMessage, ctx) => settle(s, ctx, msg.tag, msg.res),
    'breaker.timeout': (s, msg: CallTimer, ctx) => {
      const call = s.calls.get(msg.tag);
      if (call === undefined) return;
      call.timer = undefined;
      s.probe.count('callTimeouts', ctx.now);
      settle(s, ctx, msg.tag, response(504, s.componentId, 'upstream-timeout'));
    },
  },
};

/** Kind `circuit-breaker`: resilience4j-style breakers in front of a service or its shards. */
export const circuitBreakerKind = defineComponent({
  type: 'circuit-breaker',
  description:
    'Circuit breaker in front of a service or its shards (resilience4j semantics: count/time window, failure and slow-call rates, open wait, half-open trials), one per service or one per shard.',
  schema: breakerComponentSchema,
  replicable: true,
  references: (config) => [
    { path: ['upstream'], id: config.upstream, acceptsGroup: true, carriesRequests: true },
  ],
  build(instance, env) {
    const { config } = instance;
    const memberIds = env.members(config.upstream);
    const probe = env.probe(instance.componentId, instance.actorId);
    const count = config.placement === 'per-target' ? memberIds.length : 1;
    const breakers = Array.from({ length: count }, () => new CircuitBreaker(config.breaker));
    const state: BreakerActorState = {
      config,
      componentId: instance.componentId,
      probe,
      network: env.network,
      memberIds,
      members: undefined,
      breakers,
      calls: new Map(),
      nextTag: 1,
      rr: 0,
    };
    probe.extras = {
      reset: () => {},
      summary: () => ({
        opens: breakers.map((b) => b.opens),
        stateAtEnd: breakers.map((b) => b.state),
      }),
    };
    env.sim.spawn(instance.actorId, breakerBehavior, state);
  },
});
