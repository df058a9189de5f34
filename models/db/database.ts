import type { ActorRef, Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { STORE_STATUS, type StoreCall, type StoreOutcome, type StoreReply } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import { IdMap } from '../core/id-map.ts';
import type { Probe } from '../core/probe.ts';
import type { Network } from '../net/network.ts';
import { noteApplied } from '../rest/ledger.ts';
import type { FaultMessage } from '../scenario/timeline.ts';
import { CpuScheduler, type CpuTimer } from '../server/cpu.ts';
import {
  compileQueryClasses,
  type DatabaseConfig,
  databaseSchema,
  type QueryClass,
} from './db-schema.ts';
import { type ApplyTimer, ReplicaLog, shipWal, type WalMessage } from './replication.ts';

interface Query {
  readonly id: number;
  readonly call: StoreCall;
  readonly cls: QueryClass;
  readonly arrivedAt: SimTime;
  done: boolean;
}

interface SubscribeMessage {
  readonly type: 'db.subscribe';
  readonly from: ActorRef;
}

interface IoTimer {
  readonly type: 'db.io';
  readonly id: number;
}

/** The database actor's state. */
export interface DatabaseState {
  readonly config: DatabaseConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly classes: Map<string, QueryClass>;
  readonly pageRead: Distribution;
  readonly cpu: CpuScheduler<Query>;
  readonly running: IdMap<Query>;
  /** Replica side: the replication log; undefined on a primary. */
  readonly replica: ReplicaLog | undefined;
  /** Primary side: subscribed replicas. */
  readonly replicas: ActorRef[];
  down: boolean;
  nextId: number;
}

function answer(
  s: DatabaseState,
  ctx: Context,
  call: StoreCall,
  outcome: StoreOutcome,
  since: SimTime,
  applied = false,
  duplicate = false,
): void {
  const msg: StoreReply = applied
    ? { type: 'store.reply', tag: call.tag, outcome, value: 0, applied, duplicate }
    : { type: 'store.reply', tag: call.tag, outcome, value: 0 };
  s.network.send(ctx, call.replyTo, msg);
  s.probe.complete(ctx.now, STORE_STATUS[outcome], ctx.now - since);
}

function end(s: DatabaseState, ctx: Context, q: Query, outcome: StoreOutcome): void {
  if (q.done) return;
  q.done = true;
  s.running.delete(q.id);
  s.probe.busy.add(ctx.now, -1);
  let duplicate = false;
  if (outcome === 'ok' && q.cls.write) {
    if (s.replicas.length > 0)
      shipWal(s.replicas, q.call.req?.user ?? 0, (to, m) => s.network.send(ctx, to, m));
    // Ground truth: a write by a second attempt of the same logical request is a duplicate.
    duplicate = noteApplied(q.call.req);
    if (duplicate) s.probe.count('duplicateWrites', ctx.now);
  }
  const final = q.call.op === 'get' && outcome === 'ok' ? 'hit' : outcome;
  answer(s, ctx, q.call, final, q.arrivedAt, outcome === 'ok' && q.cls.write, duplicate);
}

function classOf(s: DatabaseState, call: StoreCall): QueryClass | undefined {
  if (call.op === 'get') return s.classes.get('point');
  if (call.op !== 'query') return s.classes.get('write');
  return s.classes.get(call.queryClass ?? 'point');
}

function receive(s: DatabaseState, call: StoreCall, ctx: Context): void {
  s.probe.arrive(ctx.now);
  const cls = classOf(s, call);
  if (s.down || s.running.size >= s.config.maxConnections) {
    s.probe.count(s.down ? 'refusedDown' : 'tooManyConnections', ctx.now);
    answer(s, ctx, call, 'refused', ctx.now);
    return;
  }
  if (cls === undefined || (cls.write && s.replica !== undefined)) {
    s.probe.count(cls === undefined ? 'unknownQueryClass' : 'readOnlyReplica', ctx.now);
    answer(s, ctx, call, 'error', ctx.now);
    return;
  }
  if (s.replica !== undefined && call.req !== undefined && call.req.user !== 0) {
    if (s.replica.stale(call.req.user)) s.probe.count('rywViolations', ctx.now);
  }
  const q: Query = { id: s.nextId++, call, cls, arrivedAt: ctx.now, done: false };
  s.running.set(q.id, q);
  s.probe.busy.add(ctx.now, 1);
  const offset = cls.perOffsetRow > 0 && typeof call.key === 'number' ? call.key : 0;
  s.cpu.submit(ctx, -1, cls.cpu.sample(ctx.rng('query')) + offset * cls.perOffsetRow, q);
}

function cpuDone(s: DatabaseState, msg: CpuTimer, ctx: Context): void {
  for (const q of s.cpu.onTimer(ctx, msg)) {
    if (q.done) continue;
    const rng = ctx.rng('buffer');
    let io = 0;
    let misses = 0;
    for (let i = 0; i < q.cls.pages; i++) {
      if (rng.next() >= s.config.bufferHitRatio) {
        misses++;
        io += s.pageRead.sample(ctx.rng('io'));
      }
    }
    if (q.cls.pages > 0) {
      s.probe.count('bufferHits', ctx.now, q.cls.pages - misses);
      s.probe.count('bufferMisses', ctx.now, misses);
    }
    if (io > 0) {
      const timer: IoTimer = { type: 'db.io', id: q.id };
      ctx.after(io, timer);
    } else end(s, ctx, q, 'ok');
  }
}

/** The database actor: connections, query classes, buffer cache, replication, faults. */
export const databaseBehavior: Behavior<DatabaseState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      if (s.config.primary === undefined) return;
      const msg: SubscribeMessage = { type: 'db.subscribe', from: ctx.self };
      ctx.send(ctx.lookup(s.config.primary), msg);
    },
    'db.subscribe': (s, msg: SubscribeMessage) => {
      s.replicas.push(msg.from);
    },
    'store.call': (s, msg: StoreCall, ctx) => receive(s, msg, ctx),
    'cpu.tick': (s, msg: CpuTimer, ctx) => cpuDone(s, msg, ctx),
    'db.io': (s, msg: IoTimer, ctx) => {
      const q = s.running.get(msg.id);
      if (q !== undefined) end(s, ctx, q, 'ok');
    },
    'db.wal': (s, msg: WalMessage, ctx) => s.replica?.receive(ctx, msg.user),
    'db.apply': (s, msg: ApplyTimer) => s.replica?.apply(msg.user),
    'fault.crash': (s, _m: FaultMessage, ctx) => {
      s.down = true;
      s.cpu.cancel(ctx, () => true);
      for (const q of s.running.values()) end(s, ctx, q, 'error');
    },
    'fault.restart': (s) => {
      s.down = false;
    },
    'fault.slow': (s, msg: FaultMessage & { type: 'fault.slow' }, ctx) =>
      s.cpu.setSlow(ctx, msg.factor),
  },
};

/** Kind `database`: a PostgreSQL-like server answering store calls; `primary` makes a replica. */
export const databaseKind = defineComponent({
  type: 'database',
  description:
    'PostgreSQL-like database: max_connections (refusal, no queue), query classes, buffer cache, read replicas with lag.',
  schema: databaseSchema,
  replicable: true,
  references: (config) =>
    config.primary === undefined
      ? []
      : [{ path: ['primary'], id: config.primary, acceptsGroup: false, carriesRequests: false }],
  build(instance, env) {
    const { config } = instance;
    const probe = env.probe(instance.componentId, instance.actorId);
    probe.capacity = config.maxConnections;
    const state: DatabaseState = {
      config,
      componentId: instance.componentId,
      probe,
      network: env.network,
      classes: compileQueryClasses(config),
      pageRead: buildDurationDist(config.pageRead),
      cpu: new CpuScheduler<Query>(config.contention ? config.cores : undefined),
      running: new IdMap(),
      replica:
        config.primary === undefined ? undefined : new ReplicaLog(buildDurationDist(config.lag)),
      replicas: [],
      down: false,
      nextId: 1,
    };
    env.sim.spawn(instance.actorId, databaseBehavior, state);
  },
});
