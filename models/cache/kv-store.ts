import { z } from 'zod';
import type { Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import type { StoreCall, StoreOutcome, StoreReply } from '../core/call.ts';
import type { BuildEnv } from '../core/component.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import { duration, positiveInt, size } from '../core/units.ts';
import type { UserFactory } from '../core/user-algorithm.ts';
import type { Network } from '../net/network.ts';
import { ReplayCursor, replayFileFields, replayRead } from '../trace/replay.ts';
import { type CapacityConfig, capacityFields, kvPolicyField, policyFor } from './config.ts';
import { TtlCache } from './ttl-cache.ts';

/** Config of a kv-store (Redis / Memcached-like shared cache server). */
export const kvStoreSchema = z
  .strictObject({
    ...capacityFields,
    policy: kvPolicyField,
    latency: durationDist().default(300).describe('service time per command (Redis ~0.1–0.5 ms)'),
    threads: positiveInt(1024)
      .default(1)
      .describe('commands served at once (Redis 1, Memcached -t 4)'),
    maxClients: positiveInt()
      .default(10_000)
      .describe('Redis maxclients / Memcached -c: more ⇒ refused'),
    defaultTtl: duration().optional().describe('expiry for set without a ttl (omitted: none)'),
    valueSize: size().default(1_000).describe('bytes stored by a set without amount'),
    future: z
      .strictObject(replayFileFields)
      .optional()
      .describe(
        'policy "opt": the trace file whose key sequence this store will be asked for, in order (the clients replay it)',
      ),
  })
  .superRefine((c, ctx) => {
    if (c.policy === 'opt' && c.future?.file === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['future'],
        message: 'policy "opt" needs future: { file, format } (the replayed trace)',
      });
    }
  });
/** A parsed kv-store config. */
export type KvStoreConfig = z.output<typeof kvStoreSchema>;

interface Pending {
  readonly call: StoreCall;
  readonly arrived: SimTime;
}

/** Plain state of one kv-store actor. */
export interface KvState {
  readonly config: KvStoreConfig & CapacityConfig;
  readonly latency: Distribution;
  readonly probe: Probe;
  readonly network: Network;
  cache: TtlCache<unknown> | undefined;
  now: SimTime;
  readonly queue: Pending[];
  head: number;
  busy: number;
  /** Calls inside the server (queued + in service): the connection count for maxClients. */
  inside: number;
  down: boolean;
  slow: number;
  /** Bumped on crash so completions scheduled before it are ignored. */
  epoch: number;
  /** OPT's future: the keys this store will be asked for, in order (policy "opt" only). */
  readonly future?: ArrayLike<number> | undefined;
  /** Factories of user modules (a user cache policy); set by build from BuildEnv. */
  userAlgorithm?: ((module: string) => UserFactory) | undefined;
}

interface Done {
  readonly type: 'kv.done';
  readonly pending: Pending;
  readonly epoch: number;
}

const STATUS: Readonly<Record<StoreOutcome, number>> = {
  ok: 200,
  hit: 200,
  miss: 200,
  error: 500,
  refused: 503,
  timeout: 504,
};

function answer(
  s: KvState,
  ctx: Context,
  p: Pending,
  outcome: StoreOutcome,
  value: number,
  data?: unknown,
): void {
  const msg: StoreReply = {
    type: 'store.reply',
    tag: p.call.tag,
    outcome,
    value,
    ...(data === undefined ? {} : { data }),
  };
  s.network.send(ctx, p.call.replyTo, msg, outcome === 'hit' ? value : 64);
  s.probe.complete(ctx.now, STATUS[outcome], ctx.now - p.arrived);
}

/** Applies one command to the cache; returns its outcome, value and (eval) the script's reply. */
export function execute(
  s: KvState,
  call: StoreCall,
  now: SimTime,
): [StoreOutcome, number, unknown?] {
  const cache = s.cache!;
  const before = cache.counters.evictions;
  const ttl = call.ttl !== undefined && call.ttl > 0 ? call.ttl : (s.config.defaultTtl ?? Infinity);
  let result: [StoreOutcome, number, unknown?];
  switch (call.op) {
    case 'get': {
      const e = cache.fresh(call.key, now);
      s.probe.count(e === undefined ? 'misses' : 'hits', now);
      result = e === undefined ? ['miss', 0] : ['hit', e.size, e.value];
      break;
    }
    case 'set':
      cache.set(call.key, call.value ?? 0, call.amount ?? s.config.valueSize, ttl, now);
      result = ['ok', 0];
      break;
    case 'delete':
      result = ['ok', cache.delete(call.key) ? 1 : 0];
      break;
    case 'incr': {
      const e = cache.fresh(call.key, now);
      const value = (typeof e?.value === 'number' ? e.value : 0) + (call.amount ?? 1);
      if (e !== undefined) e.value = value;
      else cache.set(call.key, value, 8, ttl, now);
      result = ['ok', value];
      break;
    }
    case 'eval': {
      // EVAL: the script reads and writes the key with nothing in between (Lua is atomic)
      const e = cache.lookup(call.key, now);
      const held = e !== undefined && now < e.expiresAt ? e.value : undefined;
      const r = call.script?.run(held, now);
      if (r === undefined) {
        result = ['error', 0];
        break;
      }
      if (r.value !== undefined) {
        cache.set(call.key, r.value, 64, r.ttl !== undefined && r.ttl > 0 ? r.ttl : ttl, now);
      }
      result = ['ok', 0, r.reply];
      break;
    }
    default:
      result = ['error', 0];
  }
  const evicted = cache.counters.evictions - before;
  if (evicted > 0) s.probe.count('evictions', now, evicted);
  return result;
}

function startNext(s: KvState, ctx: Context): void {
  while (s.busy < s.config.threads && s.head < s.queue.length) {
    const p = s.queue[s.head]!;
    s.queue[s.head++] = undefined as unknown as Pending;
    if (s.head > 1024 && s.head * 2 > s.queue.length) {
      s.queue.splice(0, s.head);
      s.head = 0;
    }
    s.busy++;
    s.probe.busy.set(ctx.now, s.busy);
    s.probe.queue.set(ctx.now, s.queue.length - s.head);
    const d = s.latency.sample(ctx.rng('latency')) * s.slow;
    const done: Done = { type: 'kv.done', pending: p, epoch: s.epoch };
    ctx.after(d, done);
  }
}

/** The kv-store actor: a FIFO of commands served by `threads` workers over a TTL cache. */
export const kvStoreBehavior: Behavior<KvState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.cache = new TtlCache<unknown>(
        policyFor(s.config, ctx.rng('evict'), () => s.now, s.future, s.userAlgorithm),
      );
    },
    'store.call': (s, call: StoreCall, ctx) => {
      s.now = ctx.now;
      const p: Pending = { call, arrived: ctx.now };
      s.probe.arrive(ctx.now);
      if (s.down) {
        answer(s, ctx, p, 'error', 0);
        return;
      }
      if (s.inside >= s.config.maxClients) {
        answer(s, ctx, p, 'refused', 0);
        return;
      }
      s.inside++;
      s.queue.push(p);
      s.probe.queue.set(ctx.now, s.queue.length - s.head);
      startNext(s, ctx);
    },
    'kv.done': (s, msg: Done, ctx) => {
      if (msg.epoch !== s.epoch) return;
      s.now = ctx.now;
      s.busy--;
      s.inside--;
      s.probe.busy.set(ctx.now, s.busy);
      const [outcome, value, data] = execute(s, msg.pending.call, ctx.now);
      answer(s, ctx, msg.pending, outcome, value, data);
      startNext(s, ctx);
    },
    'fault.crash': (s, _m, ctx) => {
      s.down = true;
      s.epoch++;
      for (let i = s.head; i < s.queue.length; i++) answer(s, ctx, s.queue[i]!, 'error', 0);
      s.queue.length = 0;
      s.head = 0;
      s.busy = 0;
      s.inside = 0;
      s.probe.busy.set(ctx.now, 0);
      s.probe.queue.set(ctx.now, 0);
      s.cache!.clear();
      s.probe.count('crashes', ctx.now);
    },
    'fault.restart': (s) => {
      s.down = false;
    },
    'fault.slow': (s, m: { factor: number }) => {
      s.slow = m.factor;
    },
  },
};

/** The kv-store component kind: a shared Redis/Memcached-like cache answering store.call. */
export const kvStoreKind = defineComponent({
  type: 'kv-store',
  description:
    'Shared key-value cache server (Redis/Memcached): get/set/delete/incr with TTLs, eviction policy, maxclients, crash (restarts empty) and slow faults.',
  schema: kvStoreSchema,
  replicable: true,
  references: () => [],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    probe.capacity = instance.config.threads;
    const state = kvState(instance.config, probe, env.network, futureKeys(instance.config, env));
    state.userAlgorithm = env.userAlgorithm;
    env.sim.spawn(instance.actorId, kvStoreBehavior, state);
  },
});

/** Initial state of a kv-store actor. */
export function kvState(
  config: KvStoreConfig,
  probe: Probe,
  network: Network,
  future?: ArrayLike<number>,
): KvState {
  return {
    future,
    config,
    latency: buildDurationDist(config.latency),
    probe,
    network,
    cache: undefined,
    now: 0,
    queue: [],
    head: 0,
    busy: 0,
    inside: 0,
    down: false,
    slow: 1,
    epoch: 0,
  };
}

/** The key sequence of the replayed trace for OPT (read whole at build: OPT needs the future). */
function futureKeys(config: KvStoreConfig, env: BuildEnv): number[] | undefined {
  const f = config.future;
  if (config.policy !== 'opt' || f?.file === undefined) return undefined;
  if (env.openTrace === undefined) {
    throw new RangeError(
      `policy "opt" reads ${f.file}: it needs a trace opener (the stacksim CLI)`,
    );
  }
  const cursor = new ReplayCursor(env.openTrace(f.file, replayRead(f)), f.route);
  const keys: number[] = [];
  for (let r = cursor.next(); r !== undefined; r = cursor.next()) keys.push(r.key);
  return keys;
}
