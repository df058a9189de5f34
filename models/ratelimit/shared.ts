import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import { duration } from '../core/units.ts';
import type { Decision, LimiterKey } from './algorithm.ts';
import type { ScriptedSpec } from './store-scripts.ts';

/**
 * A shared limit in a Redis-like store (component `id` answering store.call). Fixed window:
 * `atomic` is INCR+EXPIRE in one round trip (compare the returned count: exact);
 * `read-then-write` is GET, compare, then SET count+1 (two round trips; concurrent limiters
 * race and over-admit). Sliding log (sorted set) and token bucket (hash of tokens and
 * timestamp): `atomic` is one Lua script; `read-then-write` reads (ZREMRANGEBYSCORE+ZCARD,
 * HMGET), decides in the limiter, then writes (ZADD when admitted; HSET always). `multi` is
 * MULTI/EXEC without a condition: the sliding log adds every attempt, rejected ones included
 * (ZREMRANGEBYSCORE, ZADD, ZCARD, PEXPIRE; allowed iff the count ≤ limit); a fixed window is
 * then the same as atomic (MULTI INCR EXPIRE).
 * When the store errs or takes longer than `timeout`, `failure` says open (admit) or closed.
 */
export const storeSpec = () =>
  z.strictObject({
    id: z.string().min(1).describe('the kv-store component holding the counters'),
    mode: z
      .enum(['atomic', 'read-then-write', 'multi'])
      .default('atomic')
      .describe(
        'atomic INCR / Lua script; read then write (racy: replicas can over-admit); multi = MULTI/EXEC (a sliding log then logs rejected requests too)',
      ),
    timeout: duration().default(20_000).describe('give up on the store after this long'),
    failure: z
      .enum(['open', 'closed'])
      .default('open')
      .describe('admit (open) or reject when the store fails'),
  });

/** A parsed shared-store config. */
export type StoreSpec = z.output<ReturnType<typeof storeSpec>>;

/** One request waiting for the store: which step, which counter, and since when. */
export interface StoreWait {
  /** Tag of the waiting request in the limiter's pending table. */
  readonly pendingTag: number;
  op: 'incr' | 'get' | 'set' | 'eval';
  readonly storeKey: string;
  readonly key: LimiterKey;
  readonly limit: number;
  readonly window: SimTime;
  /** When the request started waiting for the store (round trips are measured from here). */
  readonly startedAt: SimTime;
  timer: number;
  /** The count that will be written back (read-then-write). */
  value: number;
  /** Sliding log or token bucket held by a script: the limit and the step under way. */
  scripted?: { readonly spec: ScriptedSpec; phase: 'atomic' | 'read' | 'write' };
  /** The decision a read-then-write script made, settled once its write is answered. */
  decision?: Decision;
}

/** The counter key of `key` in the fixed window holding `now`. */
export function windowKey(key: LimiterKey, now: SimTime, window: SimTime): string {
  return `rl:${key}:${Math.floor(now / window)}`;
}

/** The decision for a counter value seen (after incr) or about to be written (read-then-write). */
export function counterDecision(
  count: number,
  limit: number,
  window: SimTime,
  now: SimTime,
): Decision {
  const reset = window - (now % window);
  const allowed = count <= limit;
  return {
    allowed,
    delay: 0,
    limit,
    remaining: Math.max(0, limit - count),
    resetAfter: reset,
    retryAfter: allowed ? 0 : reset,
  };
}

/** The decision when the store failed: fail-open admits, fail-closed rejects for one window. */
export function failureDecision(
  spec: StoreSpec,
  limit: number,
  window: SimTime,
  now: SimTime,
): Decision {
  const reset = window - (now % window);
  const allowed = spec.failure === 'open';
  return {
    allowed,
    delay: 0,
    limit,
    remaining: 0,
    resetAfter: reset,
    retryAfter: allowed ? 0 : reset,
  };
}
