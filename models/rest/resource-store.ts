import { z } from 'zod';
import type { Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { STORE_STATUS, type StoreCall, type StoreReply } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import { durationOrZero, nonNegativeInt, positiveInt } from '../core/units.ts';
import type { PageQuery, PageReply } from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import type { FaultMessage } from '../scenario/timeline.ts';
import { Collection, type Decision } from './collection.ts';
import { noteApplied } from './ledger.ts';
import { PageCosts } from './page-costs.ts';

/** Config of a resource store: versioned resources and one paginated collection. */
export const resourceStoreSchema = z.strictObject({
  resources: positiveInt(10_000_000)
    .default(1_000)
    .describe('keyed resources 1..n, each with a version (ETag) that every write bumps'),
  items: nonNegativeInt(10_000_000).default(0).describe('items in the collection at the start'),
  maxItems: positiveInt(10_000_000)
    .default(100_000)
    .describe('collection cap: an insert beyond it answers 507'),
  latency: durationDist().default(200).describe('service time of every call'),
  perRow: durationOrZero()
    .default(2)
    .describe(
      'time per row a page reads (offset pages read offset + size rows, cursor pages size)',
    ),
  countPerRow: durationOrZero()
    .default(1)
    .describe('time per item of a total-count query (COUNT(*)), when a list step asks for it'),
  maxWalks: positiveInt(100_000)
    .default(1_000)
    .describe('walks tracked at once for skipped/duplicated items (the oldest is forgotten)'),
});
/** A parsed resource-store config. */
export type ResourceStoreConfig = z.output<typeof resourceStoreSchema>;

/** The resource store actor's state. */
interface StoreState {
  readonly config: ResourceStoreConfig;
  readonly probe: Probe;
  readonly network: Network;
  readonly latency: Distribution;
  readonly data: Collection;
  readonly costs: PageCosts;
  down: boolean;
  /** Bumped by a crash: calls in service when it happened fail. */
  epoch: number;
}

interface Served {
  readonly type: 'rest.served';
  readonly call: StoreCall;
  readonly arrived: SimTime;
  readonly epoch: number;
}

const DEFAULT_PAGE: PageQuery = {
  walk: -1,
  page: 0,
  mode: 'offset',
  size: 20,
  offset: 0,
  cursor: 0,
};

function send(s: StoreState, ctx: Context, call: StoreCall, reply: StoreReply, since: SimTime) {
  s.network.send(ctx, call.replyTo, reply);
  s.probe.complete(ctx.now, reply.status ?? STORE_STATUS[reply.outcome], ctx.now - since);
}

/** The action of a call: its query class names it (read, write, delete, insert, remove, list). */
function decide(s: StoreState, call: StoreCall, ctx: Context): Decision {
  const req = call.req;
  const key = typeof call.key === 'number' ? call.key : 0;
  const h = req?.headers;
  switch (call.queryClass) {
    case 'read':
      return s.data.read(key, h?.ifNoneMatch);
    case 'write':
      return s.data.write(key, h?.ifMatch, h?.basedOn);
    case 'delete':
      return s.data.write(key, h?.ifMatch, h?.basedOn, true);
    case 'insert':
      return s.data.insert();
    case 'remove':
      return s.data.removeAny(ctx.rng('remove'));
    default:
      return s.data.list(req?.page ?? DEFAULT_PAGE);
  }
}

function serve(s: StoreState, msg: Served, ctx: Context): void {
  const { call } = msg;
  if (msg.epoch !== s.epoch) {
    send(
      s,
      ctx,
      call,
      { type: 'store.reply', tag: call.tag, outcome: 'error', value: 0 },
      msg.arrived,
    );
    return;
  }
  const d = decide(s, call, ctx);
  let duplicate = false;
  if (d.applied) {
    s.probe.count('writesApplied', ctx.now);
    duplicate = noteApplied(call.req);
    if (duplicate) s.probe.count('duplicateWrites', ctx.now);
  }
  if (d.lostUpdate === true) s.probe.count('lostUpdates', ctx.now);
  if (d.status === 304) s.probe.count('notModified', ctx.now);
  if (d.status === 412) s.probe.count('preconditionFailed', ctx.now);
  let page: PageReply | undefined;
  if (d.ids !== undefined) {
    const q = call.req?.page ?? DEFAULT_PAGE;
    const last = d.last === true;
    page = { items: d.ids.length, next: d.ids[d.ids.length - 1] ?? 0, last, ids: d.ids };
    s.probe.count('pages', ctx.now);
    s.costs.record(q, ctx.now - msg.arrived);
    if (q.walk >= 0) {
      const news = s.data.track(q, d.ids, last);
      if (news.duplicated > 0) s.probe.count('itemsDuplicated', ctx.now, news.duplicated);
      if (news.skipped !== undefined) {
        s.probe.count('walksCompleted', ctx.now);
        if (news.skipped > 0) s.probe.count('itemsSkipped', ctx.now, news.skipped);
      }
    }
  }
  const reply: StoreReply = {
    type: 'store.reply',
    tag: call.tag,
    outcome: d.status === 0 ? 'ok' : 'miss',
    value: d.value,
    ...(d.status === 0 ? {} : { status: d.status }),
    ...(d.applied ? { applied: true, duplicate } : {}),
    ...(page === undefined ? {} : { page }),
  };
  send(s, ctx, call, reply, msg.arrived);
}

function receive(s: StoreState, call: StoreCall, ctx: Context): void {
  s.probe.arrive(ctx.now);
  if (s.down) {
    s.probe.count('refusedDown', ctx.now);
    send(
      s,
      ctx,
      call,
      { type: 'store.reply', tag: call.tag, outcome: 'refused', value: 0 },
      ctx.now,
    );
    return;
  }
  let work = s.latency.sample(ctx.rng('latency'));
  if (call.queryClass === 'list' || call.queryClass === 'list-count') {
    work += s.config.perRow * Collection.rows(call.req?.page ?? DEFAULT_PAGE);
    if (call.queryClass === 'list-count') work += s.config.countPerRow * s.data.size;
  }
  const served: Served = { type: 'rest.served', call, arrived: ctx.now, epoch: s.epoch };
  ctx.after(work, served);
}

/** The resource store: decides each call when its service ends (so the answer is current). */
export const resourceStoreBehavior: Behavior<StoreState> = {
  on: {
    'store.call': (s, msg: StoreCall, ctx) => receive(s, msg, ctx),
    'rest.served': (s, msg: Served, ctx) => serve(s, msg, ctx),
    'fault.crash': (s, _m: FaultMessage) => {
      s.down = true;
      s.epoch++;
    },
    'fault.restart': (s) => {
      s.down = false;
    },
  },
};

/** Kind `resource-store`: versioned resources (ETags) and a paginated collection, durable. */
export const resourceStoreKind = defineComponent({
  type: 'resource-store',
  description:
    'REST resources with versions (ETag per write, 304/412 decided when served) and one paginated collection (offset or cursor pages, skipped/duplicated items per walk).',
  schema: resourceStoreSchema,
  replicable: false,
  references: () => [],
  build(instance, env) {
    const c = instance.config;
    const probe = env.probe(instance.componentId, instance.actorId);
    const costs = new PageCosts();
    probe.extras = { reset: () => costs.reset(), summary: () => ({ pageCost: costs.summary() }) };
    const state: StoreState = {
      config: c,
      probe,
      network: env.network,
      latency: buildDurationDist(c.latency),
      data: new Collection(c.resources, c.items, c.maxItems, c.maxWalks),
      costs,
      down: false,
      epoch: 0,
    };
    env.sim.spawn(instance.actorId, resourceStoreBehavior, state);
  },
});
