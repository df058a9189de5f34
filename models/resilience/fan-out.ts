import { z } from 'zod';
import type { ActorRef, Behavior, Context, SimTime, TimerHandle } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import type { Probe } from '../core/probe.ts';
import { durationOrZero, positiveInt } from '../core/units.ts';
import {
  type HttpRequestMessage,
  type HttpResponseMessage,
  reply,
  response,
} from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import type { CancelMessage } from './hedge-schema.ts';

/**
 * A parent request fanned out to `leaves` leaf calls (The Tail at Scale): it answers when
 * `quorum` leaves have (all by default), 200 when they all succeeded, else the first failure's
 * status. The upstream group holds one or more replicas per leaf: member i + k·leaves serves
 * leaf i; with `hedgeAfter`, a leaf call not answered in time is copied to the leaf's next
 * replica, and the first answer wins (the other copy is withdrawn).
 */
export const fanOutSchema = z.strictObject({
  upstream: z.string().min(1).describe('the group of leaf servers'),
  leaves: positiveInt(10_000).optional().describe('leaves per parent; omitted: every member'),
  quorum: positiveInt(10_000)
    .optional()
    .describe('answers the parent waits for; omitted: all leaves'),
  hedgeAfter: durationOrZero()
    .optional()
    .describe('copy a leaf call to its next replica after this; omitted: never'),
});
/** A parsed fan-out config. */
export type FanOutConfig = z.output<typeof fanOutSchema>;

interface Parent {
  readonly msg: HttpRequestMessage;
  readonly arrivedAt: SimTime;
  answered: number;
  failure: number;
  done: boolean;
  /** Outstanding copies: tag → leaf index. */
  readonly copies: Map<number, number>;
  /** Leaves already answered. */
  readonly settled: Uint8Array;
  timer: TimerHandle | undefined;
}

interface HedgeTimer {
  readonly type: 'fanout.hedge';
  readonly parent: Parent;
}

/** State of one `fan-out` actor. */
export interface FanOutState {
  readonly config: FanOutConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly memberIds: readonly string[];
  readonly leaves: number;
  members: ActorRef[] | undefined;
  readonly byTag: Map<number, Parent>;
  nextTag: number;
}

function call(s: FanOutState, ctx: Context, p: Parent, leaf: number, replica: number): void {
  const tag = s.nextTag++;
  p.copies.set(tag, leaf);
  s.byTag.set(tag, p);
  const members = s.members!;
  const member = (leaf + replica * s.leaves) % members.length;
  const out: HttpRequestMessage = { type: 'http.request', req: p.msg.req, replyTo: ctx.self, tag };
  s.network.send(ctx, members[member]!, out, p.msg.req.size);
}

function withdraw(s: FanOutState, ctx: Context, p: Parent, leaf: number | undefined): void {
  for (const [tag, l] of p.copies) {
    if (leaf !== undefined && l !== leaf) continue;
    p.copies.delete(tag);
    s.byTag.delete(tag);
    const members = s.members!;
    // the copy went to one of the leaf's replicas; the cancel names the tag, the others ignore it
    for (let m = l; m < members.length; m += s.leaves) {
      const msg: CancelMessage = { type: 'http.cancel', tag, from: ctx.self };
      s.network.send(ctx, members[m]!, msg);
    }
    s.probe.count('cancels', ctx.now);
  }
}

function onResponse(s: FanOutState, ctx: Context, msg: HttpResponseMessage): void {
  const p = s.byTag.get(msg.tag);
  if (p === undefined) return;
  s.byTag.delete(msg.tag);
  const leaf = p.copies.get(msg.tag)!;
  p.copies.delete(msg.tag);
  if (p.settled[leaf] === 1) return;
  p.settled[leaf] = 1;
  withdraw(s, ctx, p, leaf); // a hedged leaf's other copy
  p.answered++;
  if (msg.res.status >= 400 && p.failure === 0) p.failure = msg.res.status;
  if (p.done || p.answered < (s.config.quorum ?? s.leaves)) return;
  p.done = true;
  if (p.timer !== undefined) ctx.cancel(p.timer);
  withdraw(s, ctx, p, undefined); // leaves beyond the quorum
  const status = p.failure === 0 ? 200 : p.failure;
  s.network.send(
    ctx,
    p.msg.replyTo,
    reply(
      p.msg.req,
      p.msg.tag,
      response(status, s.componentId, status === 200 ? 'ok' : 'leaf-failed'),
    ),
  );
  s.probe.complete(ctx.now, status, ctx.now - p.arrivedAt);
}

/** The fan-out actor: one call per leaf, answer at the quorum, hedge slow leaves. */
export const fanOutBehavior: Behavior<FanOutState> = {
  on: {
    'http.request': (s, msg: HttpRequestMessage, ctx) => {
      s.probe.arrive(ctx.now);
      s.members ??= s.memberIds.map((id) => ctx.lookup(id));
      const p: Parent = {
        msg,
        arrivedAt: ctx.now,
        answered: 0,
        failure: 0,
        done: false,
        copies: new Map(),
        settled: new Uint8Array(s.leaves),
        timer: undefined,
      };
      for (let leaf = 0; leaf < s.leaves; leaf++) call(s, ctx, p, leaf, 0);
      if (s.config.hedgeAfter !== undefined) {
        const t: HedgeTimer = { type: 'fanout.hedge', parent: p };
        p.timer = ctx.after(s.config.hedgeAfter, t);
      }
    },
    'http.response': (s, msg: HttpResponseMessage, ctx) => onResponse(s, ctx, msg),
    'fanout.hedge': (s, msg: HedgeTimer, ctx) => {
      const p = msg.parent;
      p.timer = undefined;
      if (p.done) return;
      for (let leaf = 0; leaf < s.leaves; leaf++) {
        if (p.settled[leaf] === 1) continue;
        s.probe.count('hedges', ctx.now);
        call(s, ctx, p, leaf, 1);
      }
    },
  },
};

/** Kind `fan-out`: a parent request over N leaves, all or a quorum, optional per-leaf hedging. */
export const fanOutKind = defineComponent({
  type: 'fan-out',
  description:
    'A parent request fanned out to N leaves (The Tail at Scale): waits for all or a quorum, optional hedged copies of slow leaf calls to the leaf’s next replica.',
  schema: fanOutSchema,
  replicable: true,
  references: (config) => [
    { path: ['upstream'], id: config.upstream, acceptsGroup: true, carriesRequests: true },
  ],
  build(instance, env) {
    const memberIds = env.members(instance.config.upstream);
    const state: FanOutState = {
      config: instance.config,
      componentId: instance.componentId,
      probe: env.probe(instance.componentId, instance.actorId),
      network: env.network,
      memberIds,
      leaves: Math.min(instance.config.leaves ?? memberIds.length, memberIds.length),
      members: undefined,
      byTag: new Map(),
      nextTag: 1,
    };
    env.sim.spawn(instance.actorId, fanOutBehavior, state);
  },
});
