import {
  type ActorRef,
  type Behavior,
  type Context,
  LatencyHistogram,
  type SimTime,
  type TimerHandle,
} from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import type { Probe } from '../core/probe.ts';
import { type HttpRequestMessage, type HttpResponseMessage, reply } from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import { type CancelMessage, type HedgeConfig, hedgeSchema } from './hedge-schema.ts';

interface Parent {
  readonly msg: HttpRequestMessage;
  readonly arrivedAt: SimTime;
  readonly first: number;
  /** Tags of the copies still outstanding, with the member each went to. */
  readonly copies: Map<number, number>;
  sent: number;
  timer: TimerHandle | undefined;
  done: boolean;
}

interface HedgeTimer {
  readonly type: 'hedge.next';
  readonly parent: Parent;
}

/** State of one `hedge` actor. */
export interface HedgeState {
  readonly config: HedgeConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly memberIds: readonly string[];
  members: ActorRef[] | undefined;
  readonly byTag: Map<number, Parent>;
  readonly observed: LatencyHistogram;
  observedDelay: number;
  calls: number;
  hedges: number;
  nextTag: number;
  rr: number;
}

function sendCopy(s: HedgeState, ctx: Context, p: Parent): void {
  const members = s.members!;
  const member = (p.first + p.sent) % members.length;
  const tag = s.nextTag++;
  p.copies.set(tag, member);
  s.byTag.set(tag, p);
  if (p.sent > 0) {
    s.hedges++;
    s.probe.count('hedges', ctx.now);
  }
  p.sent++;
  const out: HttpRequestMessage = { type: 'http.request', req: p.msg.req, replyTo: ctx.self, tag };
  s.network.send(ctx, members[member]!, out, p.msg.req.size);
}

function delayOf(s: HedgeState): number {
  return s.config.delayPercentile !== undefined && s.observed.count >= 100
    ? s.observedDelay
    : s.config.delay;
}

function mayHedge(s: HedgeState, p: Parent): boolean {
  if (p.done || p.sent >= s.config.maxAttempts) return false;
  const budget = s.config.budget;
  return budget === undefined || s.hedges + 1 <= budget * s.calls;
}

function scheduleNext(s: HedgeState, ctx: Context, p: Parent): void {
  if (p.sent >= s.config.maxAttempts) return;
  const t: HedgeTimer = { type: 'hedge.next', parent: p };
  p.timer = ctx.after(delayOf(s), t);
}

function receive(s: HedgeState, ctx: Context, msg: HttpRequestMessage): void {
  s.probe.arrive(ctx.now);
  s.members ??= s.memberIds.map((id) => ctx.lookup(id));
  s.calls++;
  const p: Parent = {
    msg,
    arrivedAt: ctx.now,
    first: s.rr++ % s.members.length,
    copies: new Map(),
    sent: 0,
    timer: undefined,
    done: false,
  };
  sendCopy(s, ctx, p);
  if (s.config.maxAttempts > 1 && delayOf(s) === 0) {
    while (mayHedge(s, p)) sendCopy(s, ctx, p);
  } else scheduleNext(s, ctx, p);
}

function onResponse(s: HedgeState, ctx: Context, msg: HttpResponseMessage): void {
  const p = s.byTag.get(msg.tag);
  if (p === undefined) {
    s.probe.count('cancelledAnswers', ctx.now);
    return;
  }
  s.byTag.delete(msg.tag);
  const member = p.copies.get(msg.tag)!;
  p.copies.delete(msg.tag);
  if (p.done) {
    s.probe.count('loserAnswers', ctx.now);
    return;
  }
  p.done = true;
  if (p.timer !== undefined) ctx.cancel(p.timer);
  if (member !== p.first) s.probe.count('hedgeWins', ctx.now);
  const latency = ctx.now - p.arrivedAt;
  s.observed.record(latency);
  if (s.config.delayPercentile !== undefined && s.observed.count % 64 === 0)
    s.observedDelay = s.observed.percentile(s.config.delayPercentile);
  s.network.send(ctx, p.msg.replyTo, reply(p.msg.req, p.msg.tag, msg.res));
  s.probe.complete(ctx.now, msg.res.status, latency);
  if (!s.config.cancel) return;
  for (const [tag, m] of p.copies) {
    s.byTag.delete(tag);
    const cancel: CancelMessage = { type: 'http.cancel', tag, from: ctx.self };
    s.network.send(ctx, s.members![m]!, cancel);
    s.probe.count('cancels', ctx.now);
  }
  p.copies.clear();
}

/** The hedge actor: copies, first answer wins, losers withdrawn. */
export const hedgeBehavior: Behavior<HedgeState> = {
  on: {
    'http.request': (s, msg: HttpRequestMessage, ctx) => receive(s, ctx, msg),
    'http.response': (s, msg: HttpResponseMessage, ctx) => onResponse(s, ctx, msg),
    'hedge.next': (s, msg: HedgeTimer, ctx) => {
      const p = msg.parent;
      p.timer = undefined;
      if (!mayHedge(s, p)) return;
      sendCopy(s, ctx, p);
      scheduleNext(s, ctx, p);
    },
  },
};

/** Kind `hedge`: hedged (or fully redundant) calls to a group of equivalent servers. */
export const hedgeKind = defineComponent({
  type: 'hedge',
  description:
    'Hedged requests (The Tail at Scale, gRPC hedging): a further copy to the next server after a fixed delay or an observed percentile, first answer wins, losers cancelled or not, a budget on extra copies.',
  schema: hedgeSchema,
  replicable: true,
  references: (config) => [
    { path: ['upstream'], id: config.upstream, acceptsGroup: true, carriesRequests: true },
  ],
  build(instance, env) {
    const state: HedgeState = {
      config: instance.config,
      componentId: instance.componentId,
      probe: env.probe(instance.componentId, instance.actorId),
      network: env.network,
      memberIds: env.members(instance.config.upstream),
      members: undefined,
      byTag: new Map(),
      observed: new LatencyHistogram(),
      observedDelay: 0,
      calls: 0,
      hedges: 0,
      nextTag: 1,
      rr: 0,
    };
    env.sim.spawn(instance.actorId, hedgeBehavior, state);
  },
});
