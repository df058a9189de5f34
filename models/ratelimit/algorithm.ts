import type { SimTime } from '../../engine/index.ts';

/** A limiter key: a client address, user id, API key, route, or a joined combination. */
export type LimiterKey = string | number;

/**
 * One limiter verdict. Times are µs. `delay` > 0 means "admit after waiting" (leaky meter and
 * queue); `retryAfter` is set when rejected and says when the same request would pass.
 */
export interface Decision {
  readonly allowed: boolean;
  /** µs to hold an admitted request before forwarding (0 for most algorithms). */
  readonly delay: SimTime;
  /** The nominal limit advertised in X-RateLimit-Limit (requests per window or burst). */
  readonly limit: number;
  /** Requests still admissible right now after this one (never negative). */
  readonly remaining: number;
  /** µs until the key's state is back to fresh (full bucket, empty window). */
  readonly resetAfter: SimTime;
  /** µs until a rejected request could pass (0 when allowed). */
  readonly retryAfter: SimTime;
}

/**
 * A rate-limiting algorithm: per-key state, one decision per request at simulated time `now`.
 * Implementations keep state in a KeyTable so idle keys expire and memory stays bounded.
 */
export interface LimiterAlgorithm {
  /** Algorithm name, e.g. 'token-bucket'. */
  readonly name: string;
  /** Decides one request of `cost` units (default 1) for `key` at `now` (non-decreasing). */
  decide(key: LimiterKey, now: SimTime, cost?: number): Decision;
  /** Feedback for adaptive limits: an admitted request finished after `latency` µs. */
  onComplete?(key: LimiterKey, now: SimTime, latency: SimTime, ok: boolean): void;
  /** Number of keys currently holding state. */
  size(): number;
}

/** State a KeyTable can expire: after `expiresAt` the entry equals a fresh key's state. */
export interface Expiring {
  expiresAt: SimTime;
}

/** Shorthand for an allowed decision. */
export function allow(
  limit: number,
  remaining: number,
  resetAfter: SimTime,
  delay: SimTime = 0,
): Decision {
  return {
    allowed: true,
    delay,
    limit,
    remaining: Math.max(0, remaining),
    resetAfter,
    retryAfter: 0,
  };
}

/** Shorthand for a rejected decision. */
export function reject(
  limit: number,
  remaining: number,
  resetAfter: SimTime,
  retryAfter: SimTime,
): Decision {
  return {
    allowed: false,
    delay: 0,
    limit,
    remaining: Math.max(0, remaining),
    resetAfter,
    retryAfter: Math.max(1, Math.ceil(retryAfter)),
  };
}

/**
 * Per-key state with lazy idle expiry. Entries are kept in last-access order (a touched entry
 * moves to the end), and every access evicts up to two expired entries from the front, so the
 * cost is amortised O(1) and memory tracks the keys active within their refill time.
 */
export class KeyTable<S extends Expiring> {
  private readonly map = new Map<LimiterKey, S>();
  /** Entries evicted so far (for tests and metrics). */
  evicted = 0;

  /** The live state for `key` (created by `fresh` when absent or expired), moved to the back. */
  get(key: LimiterKey, now: SimTime, fresh: () => S): S {
    this.sweep(now);
    let s = this.map.get(key);
    if (s !== undefined) {
      this.map.delete(key);
      if (s.expiresAt <= now) {
        s = undefined;
        this.evicted++;
      }
    }
    if (s === undefined) s = fresh();
    this.map.set(key, s);
    return s;
  }

  /** The state for `key` without creating or reordering it. */
  peek(key: LimiterKey): S | undefined {
    return this.map.get(key);
  }

  /** Drops a key's state. */
  delete(key: LimiterKey): void {
    this.map.delete(key);
  }

  /** Keys currently holding state. */
  get size(): number {
    return this.map.size;
  }

  private sweep(now: SimTime): void {
    for (let i = 0; i < 2; i++) {
      const first = this.map.entries().next();
      if (first.done === true || first.value[1].expiresAt > now) return;
      this.map.delete(first.value[0]);
      this.evicted++;
    }
  }
}
