import type { Behavior, Context } from '../../engine/index.ts';
import type { StoreCall, StoreReply } from '../../models/core/call.ts';

/** Test-only Redis-like store state: values with expiry, a one-way latency, and a down switch. */
export interface TestKvState {
  readonly data: Map<string | number, { value: unknown; expiresAt: number }>;
  /** One-way latency in µs: a call is applied oneWay after it is sent, the reply arrives oneWay later. */
  oneWay: number;
  /** When true the store answers 'error' (refused connection). */
  down: boolean;
  /** When true the store never answers (hung). */
  hung: boolean;
  calls: number;
}

/** A fresh test store. */
export function testKvState(oneWay = 500): TestKvState {
  return { data: new Map(), oneWay, down: false, hung: false, calls: 0 };
}

function apply(s: TestKvState, call: StoreCall, now: number): StoreReply {
  const base = { type: 'store.reply' as const, tag: call.tag };
  if (s.down) return { ...base, outcome: 'error', value: 0 };
  let e = s.data.get(call.key);
  if (e !== undefined && e.expiresAt <= now) {
    s.data.delete(call.key);
    e = undefined;
  }
  const ttl = call.ttl ?? 0;
  const expiresAt = ttl > 0 ? now + ttl : Number.POSITIVE_INFINITY;
  switch (call.op) {
    case 'get':
      return e === undefined
        ? { ...base, outcome: 'miss', value: 0 }
        : { ...base, outcome: 'hit', value: Number(e.value) };
    case 'set':
      s.data.set(call.key, { value: call.amount ?? 0, expiresAt });
      return { ...base, outcome: 'ok', value: call.amount ?? 0 };
    case 'incr': {
      // INCR then EXPIRE only when the key is new (the Redis rate-limiter pattern), atomically.
      const value = Number(e?.value ?? 0) + (call.amount ?? 1);
      s.data.set(call.key, { value, expiresAt: e?.expiresAt ?? expiresAt });
      return { ...base, outcome: 'ok', value };
    }
    case 'delete':
      s.data.delete(call.key);
      return { ...base, outcome: 'ok', value: 0 };
    case 'query':
      return { ...base, outcome: 'ok', value: 0 };
    case 'eval': {
      // a Lua script: reads and writes the key atomically
      const r = call.script!.run(e?.value, now);
      if (r.value !== undefined) {
        const t = r.ttl ?? ttl;
        s.data.set(call.key, {
          value: r.value,
          expiresAt: t > 0 ? now + t : Number.POSITIVE_INFINITY,
        });
      }
      return { ...base, outcome: 'ok', value: 0, data: r.reply };
    }
  }
}

/**
 * A tiny kv-store actor for tests: answers store.call get/set/incr/delete. Each call is applied
 * atomically `oneWay` µs after it arrives and answered `oneWay` µs later, so calls from
 * different limiters interleave the way they do against a real Redis.
 */
export const testKvStore: Behavior<TestKvState> = {
  on: {
    'store.call'(s, m: StoreCall, ctx: Context) {
      s.calls++;
      if (s.hung) return;
      ctx.after(s.oneWay, { type: 'kv.apply', call: m } as { type: string });
    },
    'kv.apply'(s, m: { call: StoreCall }, ctx: Context) {
      ctx.send(m.call.replyTo, apply(s, m.call, ctx.now), s.oneWay);
    },
  },
};
