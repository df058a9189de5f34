import { z } from 'zod';
import type { Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import type { StoreCall, StoreReply } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import { duration, positiveInt } from '../core/units.ts';
import type { Network } from '../net/network.ts';
import type { FaultMessage } from '../scenario/timeline.ts';

/** Config of an idempotency-key store (Stripe keeps keys 24 h; the IETF draft leaves it open). */
export const idempotencyStoreSchema = z.strictObject({
  ttl: duration()
    .default(86_400_000_000)
    .describe('a key is forgotten this long after it was first used'),
  capacity: positiveInt(100_000_000)
    .default(1_000_000)
    .describe('keys held; a new key beyond it evicts the oldest early'),
  lockTimeout: duration()
    .default(60_000_000)
    .describe('a key whose first attempt never reported its outcome is released after this'),
  latency: durationDist().default(300).describe('service time per call'),
});
/** A parsed idempotency-store config. */
export type IdempotencyStoreConfig = z.output<typeof idempotencyStoreSchema>;

/** What `begin` answers in StoreReply.value. */
export const BEGIN = { fresh: 0, done: 1, running: 2 } as const;

interface Entry {
  /** 0 while the first attempt runs, else the stored status. */
  status: number;
  readonly expiresAt: SimTime;
  startedAt: SimTime;
}

interface StoreState {
  readonly config: IdempotencyStoreConfig;
  readonly probe: Probe;
  readonly network: Network;
  readonly latency: Distribution;
  /** Keys in first-use order, which is also expiry order (one ttl for all). */
  readonly keys: Map<number, Entry>;
  down: boolean;
}

interface Served {
  readonly type: 'idem.served';
  readonly call: StoreCall;
  readonly arrived: SimTime;
}

function reply(
  s: StoreState,
  ctx: Context,
  call: StoreCall,
  r: Omit<StoreReply, 'type' | 'tag'>,
  since: SimTime,
) {
  const msg: StoreReply = { type: 'store.reply', tag: call.tag, ...r };
  s.network.send(ctx, call.replyTo, msg);
  s.probe.complete(ctx.now, r.outcome === 'refused' ? 503 : 200, ctx.now - since);
}

/** Drops expired keys from the head (first-use order = expiry order). */
function expire(s: StoreState, now: SimTime): void {
  for (const [key, e] of s.keys) {
    if (e.expiresAt > now) return;
    s.keys.delete(key);
    s.probe.count('keysExpired', now);
  }
}

function begin(s: StoreState, key: number, now: SimTime): { value: number; status?: number } {
  const e = s.keys.get(key);
  if (e !== undefined && e.status !== 0) return { value: BEGIN.done, status: e.status };
  if (e !== undefined && now - e.startedAt < s.config.lockTimeout) return { value: BEGIN.running };
  if (e !== undefined) {
    // The first attempt never reported (its server died): the lock is taken over.
    s.probe.count('locksExpired', now);
    e.startedAt = now;
    return { value: BEGIN.fresh };
  }
  if (s.keys.size >= s.config.capacity) {
    const oldest = s.keys.keys().next().value;
    if (oldest !== undefined) s.keys.delete(oldest);
    s.probe.count('evictedEarly', now);
  }
  s.keys.set(key, { status: 0, expiresAt: now + s.config.ttl, startedAt: now });
  s.probe.count('keysStored', now);
  return { value: BEGIN.fresh };
}

function serve(s: StoreState, msg: Served, ctx: Context): void {
  const { call } = msg;
  if (s.down) {
    reply(s, ctx, call, { outcome: 'error', value: 0 }, msg.arrived);
    return;
  }
  expire(s, ctx.now);
  const key = typeof call.key === 'number' ? call.key : 0;
  if (call.queryClass === 'complete') {
    const e = s.keys.get(key);
    if (e !== undefined && e.status === 0) e.status = call.amount ?? 200;
    reply(s, ctx, call, { outcome: 'ok', value: 0 }, msg.arrived);
    return;
  }
  const b = begin(s, key, ctx.now);
  if (b.value === BEGIN.done) s.probe.count('replays', ctx.now);
  if (b.value === BEGIN.running) s.probe.count('concurrent', ctx.now);
  reply(s, ctx, call, { outcome: 'ok', ...b }, msg.arrived);
}

/** The idempotency-key store: begin (claim a key or read its outcome) and complete. */
export const idempotencyStoreBehavior: Behavior<StoreState> = {
  on: {
    'store.call': (s, call: StoreCall, ctx) => {
      s.probe.arrive(ctx.now);
      if (s.down) {
        s.probe.count('refusedDown', ctx.now);
        reply(s, ctx, call, { outcome: 'refused', value: 0 }, ctx.now);
        return;
      }
      const served: Served = { type: 'idem.served', call, arrived: ctx.now };
      ctx.after(s.latency.sample(ctx.rng('latency')), served);
    },
    'idem.served': (s, msg: Served, ctx) => serve(s, msg, ctx),
    'fault.crash': (s, _m: FaultMessage) => {
      s.down = true;
    },
    'fault.restart': (s) => {
      s.down = false;
    },
  },
};

/** Kind `idempotency-store`: key → outcome with a TTL, durable across its outages. */
export const idempotencyStoreKind = defineComponent({
  type: 'idempotency-store',
  description:
    'Idempotency-Key store (Stripe / IETF draft): key → stored outcome with a TTL and capacity; a key in use answers "running"; outages refuse calls, keys survive them.',
  schema: idempotencyStoreSchema,
  replicable: false,
  references: () => [],
  build(instance, env) {
    const c = instance.config;
    const state: StoreState = {
      config: c,
      probe: env.probe(instance.componentId, instance.actorId),
      network: env.network,
      latency: buildDurationDist(c.latency),
      keys: new Map(),
      down: false,
    };
    env.sim.spawn(instance.actorId, idempotencyStoreBehavior, state);
  },
});
