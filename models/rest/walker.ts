import { z } from 'zod';
import type { ActorRef, Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import { duration, positiveInt } from '../core/units.ts';
import {
  type HttpRequestMessage,
  type HttpResponseMessage,
  newPhases,
  type PageQuery,
  type RequestHeaders,
} from '../http/messages.ts';
import type { Network } from '../net/network.ts';

/** Config of a pagination walker: API consumers that read a whole collection page by page. */
export const pageWalkerSchema = z.strictObject({
  target: z.string().min(1).describe('component the page requests go to (proxy, balancer, server)'),
  route: z.string().min(1).default('/items').describe('the collection route (a GET list route)'),
  walkers: positiveInt(65_536).default(1).describe('concurrent walkers, each one walk at a time'),
  mode: z
    .enum(['offset', 'cursor'])
    .describe('offset: ?offset=N&limit=size; cursor: ?after=<last id> (GitHub, Stripe)'),
  pageSize: positiveInt(100_000).default(50).describe('items per page asked for'),
  maxPages: positiveInt(1_000_000).default(10_000).describe('a walk stops after this many pages'),
  thinkTime: durationDist().default(100_000).describe('pause between two pages of a walk'),
  betweenWalks: durationDist().default(1_000_000).describe('pause before a walk (and the next)'),
  timeout: duration().default(10_000_000).describe('per page; a page that times out ends the walk'),
});
/** A parsed walker config. */
export type PageWalkerConfig = z.output<typeof pageWalkerSchema>;

const NO_REQUEST_HEADERS: RequestHeaders = Object.freeze({});

interface Walker {
  walk: number;
  page: number;
  offset: number;
  cursor: number;
  tag: number;
  sentAt: SimTime;
  timer: number;
}

interface WalkerState {
  readonly config: PageWalkerConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly think: Distribution;
  readonly between: Distribution;
  readonly walkers: Walker[];
  target: ActorRef;
  base: number;
  next: number;
}

interface WalkerTimer {
  readonly type: 'walker.next' | 'walker.timeout';
  readonly slot: number;
  readonly tag: number;
}

function schedule(s: WalkerState, ctx: Context, slot: number, dist: Distribution): void {
  const w = s.walkers[slot]!;
  w.tag = 0;
  const msg: WalkerTimer = { type: 'walker.next', slot, tag: 0 };
  ctx.after(dist.sample(ctx.rng('think')), msg);
}

function sendPage(s: WalkerState, ctx: Context, slot: number): void {
  const w = s.walkers[slot]!;
  const c = s.config;
  if (w.page === 0) w.walk = s.base + s.next++;
  const page: PageQuery = {
    walk: w.walk,
    page: w.page,
    mode: c.mode,
    size: c.pageSize,
    offset: w.offset,
    cursor: w.cursor,
  };
  const id = s.base + s.next++;
  const req = {
    id,
    origin: id,
    attempt: 0,
    client: s.componentId,
    clientIp: ctx.self * 65_536 + slot,
    method: 'GET' as const,
    route: c.route,
    className: `${c.mode} page`,
    key: 0,
    user: 0,
    tier: 'default',
    idempotent: true,
    headers: NO_REQUEST_HEADERS,
    size: 0,
    intendedAt: ctx.now,
    phases: newPhases(),
    spans: undefined,
    page,
  };
  w.tag = id;
  w.sentAt = ctx.now;
  s.probe.arrive(ctx.now);
  const msg: HttpRequestMessage = { type: 'http.request', req, replyTo: ctx.self, tag: id };
  s.network.send(ctx, s.target, msg, 0);
  const t: WalkerTimer = { type: 'walker.timeout', slot, tag: id };
  w.timer = ctx.timeout(c.timeout, t);
}

function endWalk(s: WalkerState, ctx: Context, slot: number, counter: string): void {
  const w = s.walkers[slot]!;
  s.probe.count(counter, ctx.now);
  w.page = 0;
  w.offset = 0;
  w.cursor = 0;
  schedule(s, ctx, slot, s.between);
}

function onResponse(s: WalkerState, ctx: Context, msg: HttpResponseMessage): void {
  const slot = msg.req.clientIp % 65_536;
  const w = s.walkers[slot];
  if (w === undefined || w.tag !== msg.tag) {
    s.probe.count('late', ctx.now);
    return;
  }
  ctx.cancel(w.timer);
  w.tag = 0;
  const { res } = msg;
  s.probe.complete(ctx.now, res.status, ctx.now - w.sentAt);
  const page = res.page;
  if (res.status !== 200 || page === undefined) {
    endWalk(s, ctx, slot, 'walksFailed');
    return;
  }
  s.probe.count('items', ctx.now, page.items);
  w.page++;
  w.offset += page.items;
  w.cursor = page.next;
  if (page.last || w.page >= s.config.maxPages) {
    endWalk(s, ctx, slot, 'walks');
    return;
  }
  schedule(s, ctx, slot, s.think);
}

/** The walker behaviour: walk → page → think → page … → last page → pause → next walk. */
export const pageWalkerBehavior: Behavior<WalkerState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.target = ctx.lookup(s.config.target);
      s.base = ctx.self * 2 ** 32;
      for (let slot = 0; slot < s.walkers.length; slot++) schedule(s, ctx, slot, s.between);
    },
    'walker.next': (s, m: WalkerTimer, ctx) => sendPage(s, ctx, m.slot),
    'walker.timeout': (s, m: WalkerTimer, ctx) => {
      const w = s.walkers[m.slot];
      if (w === undefined || w.tag !== m.tag) return;
      w.tag = 0;
      s.probe.complete(ctx.now, 0, ctx.now - w.sentAt);
      endWalk(s, ctx, m.slot, 'walksTimedOut');
    },
    'http.response': (s, m: HttpResponseMessage, ctx) => onResponse(s, ctx, m),
  },
};

/** Kind `client.pages`: API consumers walking a collection by offset or cursor pages. */
export const pageWalkerKind = defineComponent({
  type: 'client.pages',
  description:
    'Pagination walkers: each reads a whole collection page by page (offset or cursor), thinking between pages, then starts again.',
  schema: pageWalkerSchema,
  replicable: true,
  references: (c) => [
    { path: ['target'], id: c.target, acceptsGroup: false, carriesRequests: true },
  ],
  build(instance, env) {
    const c = instance.config;
    const probe = env.probe(instance.componentId, instance.actorId);
    const state: WalkerState = {
      config: c,
      componentId: instance.componentId,
      probe,
      network: env.network,
      think: buildDurationDist(c.thinkTime),
      between: buildDurationDist(c.betweenWalks),
      walkers: Array.from({ length: c.walkers }, () => ({
        walk: 0,
        page: 0,
        offset: 0,
        cursor: 0,
        tag: 0,
        sentAt: 0,
        timer: -1,
      })),
      target: -1,
      base: 0,
      next: 1,
    };
    env.sim.spawn(instance.actorId, pageWalkerBehavior, state);
  },
});
