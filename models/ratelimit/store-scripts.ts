import type { SimTime } from '../../engine/index.ts';
import type { StoreScript } from '../core/call.ts';
import { allow, type Decision, reject } from './algorithm.ts';

/** A limit a shared store can hold as a script's state: a sorted-set log or a token hash. */
export type ScriptedSpec =
  | { readonly algorithm: 'sliding-log'; readonly limit: number; readonly window: SimTime }
  | { readonly algorithm: 'token-bucket'; readonly rate: number; readonly burst: number };

/** The token hash of one key (HSET key tokens … ts …). */
interface Bucket {
  readonly tokens: number;
  readonly last: SimTime;
}

/** The store key of a scripted limit for `key` (one sorted set or hash per key). */
export function scriptedKey(spec: ScriptedSpec, key: string | number): string {
  return `rl:${spec.algorithm}:${key}`;
}

/** µs a token bucket takes to fill from empty: its key's PEXPIRE (a gone key is a full bucket). */
function fillTime(spec: { rate: number; burst: number }): SimTime {
  return Math.ceil((spec.burst * 1e6) / spec.rate);
}

/** The log without the entries that left the window (ZREMRANGEBYSCORE key -inf now−W). */
function trimmed(log: unknown, now: SimTime, window: SimTime): SimTime[] {
  return Array.isArray(log) ? (log as SimTime[]).filter((t) => t > now - window) : [];
}

/** The bucket refilled up to `now` (a missing key is full; an older `now` adds nothing). */
function refilled(b: unknown, now: SimTime, spec: { rate: number; burst: number }): Bucket {
  if (b === undefined || b === null) return { tokens: spec.burst, last: now };
  const { tokens, last } = b as Bucket;
  const gained = (Math.max(0, now - last) * spec.rate) / 1e6;
  return { tokens: Math.min(spec.burst, tokens + gained), last: Math.max(last, now) };
}

/** The decision for a log of `count` entries in the window, oldest at `oldest`. */
function logDecision(limit: number, window: SimTime, count: number, oldest: SimTime, now: SimTime) {
  if (count + 1 > limit) {
    return reject(limit, limit - count, oldest + window - now, oldest + window - now);
  }
  return allow(limit, limit - count - 1, window);
}

/** Takes one token from `b`: the decision and the bucket to write back. */
function takeToken(
  b: Bucket,
  spec: { rate: number; burst: number },
): { decision: Decision; bucket: Bucket } {
  const full = (tokens: number) => Math.ceil(((spec.burst - tokens) * 1e6) / spec.rate);
  if (b.tokens < 1) {
    const retry = ((1 - b.tokens) * 1e6) / spec.rate;
    return {
      decision: reject(spec.burst, Math.floor(b.tokens), full(b.tokens), retry),
      bucket: b,
    };
  }
  const tokens = b.tokens - 1;
  return {
    decision: allow(spec.burst, Math.floor(tokens), full(tokens)),
    bucket: { tokens, last: b.last },
  };
}

/**
 * The atomic script (a Lua EVAL) deciding one request that arrived at `now` (passed as ARGV,
 * the limiter's clock): sliding log = ZREMRANGEBYSCORE, ZCARD, ZADD only when admitted,
 * PEXPIRE W; token bucket = HMGET tokens ts, refill, take one, HSET, PEXPIRE fill time.
 * Replies with the Decision.
 */
export function atomicScript(spec: ScriptedSpec, now: SimTime): StoreScript {
  if (spec.algorithm === 'sliding-log') {
    return {
      run(value) {
        const log = trimmed(value, now, spec.window);
        const d = logDecision(spec.limit, spec.window, log.length, log[0] ?? now, now);
        if (d.allowed) log.push(now);
        return { reply: d, value: log, ttl: spec.window };
      },
    };
  }
  return {
    run(value) {
      const { decision, bucket } = takeToken(refilled(value, now, spec), spec);
      return { reply: decision, value: bucket, ttl: fillTime(spec) };
    },
  };
}

/**
 * A sliding log as MULTI/EXEC (ZREMRANGEBYSCORE, ZADD now, ZCARD, PEXPIRE W): atomic but with
 * no condition, so every attempt is logged, rejected ones included, and the request passes iff
 * the count with it is ≤ limit. A key hammered faster than limit/W stays rejected.
 */
export function multiScript(spec: ScriptedSpec, now: SimTime): StoreScript {
  if (spec.algorithm !== 'sliding-log') return atomicScript(spec, now);
  return {
    run(value) {
      const log = trimmed(value, now, spec.window);
      const d = logDecision(spec.limit, spec.window, log.length, log[0] ?? now, now);
      log.push(now);
      return { reply: d, value: log, ttl: spec.window };
    },
  };
}

/**
 * The read of read-then-write (no MULTI, no Lua): sliding log = ZREMRANGEBYSCORE + ZCARD in
 * one pipeline, replying with the window's entries; token bucket = HMGET, replying with the
 * hash (undefined when absent).
 */
export function readScript(spec: ScriptedSpec, now: SimTime): StoreScript {
  if (spec.algorithm === 'sliding-log') {
    return {
      run(value) {
        const log = trimmed(value, now, spec.window);
        return { reply: [...log], value: log, ttl: spec.window };
      },
    };
  }
  return {
    run: (value) => ({ reply: value === undefined ? undefined : { ...(value as Bucket) } }),
  };
}

/**
 * What the limiter decides from what it read, and the write it sends next (undefined: none):
 * sliding log = ZADD now + PEXPIRE only when admitted (entries of racing writers add up);
 * token bucket = HSET tokens ts + PEXPIRE always, the last writer wins (updates are lost).
 */
export function decideRead(
  spec: ScriptedSpec,
  read: unknown,
  now: SimTime,
): { decision: Decision; write: StoreScript | undefined } {
  if (spec.algorithm === 'sliding-log') {
    const log = read as SimTime[];
    const d = logDecision(spec.limit, spec.window, log.length, log[0] ?? now, now);
    const write: StoreScript = {
      run(value) {
        const held = Array.isArray(value) ? (value as SimTime[]) : [];
        let i = held.length;
        while (i > 0 && held[i - 1]! > now) i--;
        held.splice(i, 0, now);
        return { reply: held.length, value: held, ttl: spec.window };
      },
    };
    return { decision: d, write: d.allowed ? write : undefined };
  }
  const { decision, bucket } = takeToken(refilled(read, now, spec), spec);
  return {
    decision,
    write: { run: () => ({ reply: 'OK', value: bucket, ttl: fillTime(spec) }) },
  };
}
