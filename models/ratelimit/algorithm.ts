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

interface Slot<S> {
  readonly state: S;
  /** Bumped on every access; a cursor position holding an older value is stale. */
  seq: number;
}

/**
 * Per-key state with lazy idle expiry. Entries are kept in last-access order (a touched entry
 * moves to the end) and every access examines up to four entries at the front through one
 * persistent Map iterator, evicting expired ones, so the cost is amortised O(1) (a fresh
 * iterator per access would rescan deleted slots) and memory tracks the keys active within
 * their refill time.
 */
export class KeyTable<S extends Expiring> {
  private readonly map = new Map<LimiterKey, Slot<S>>();
  private cursor: Iterator<[LimiterKey, Slot<S>]> | undefined;
  private front: { key: LimiterKey; slot: Slot<S>; seq: number } | undefined;
  private seq = 0;
  /** Entries evicted so far (for tests and metrics). */
  evicted = 0;

  /** The live state for `key` (created by `fresh` when absent or expired), moved to the back. */
  get(key: LimiterKey, now: SimTime, fresh: () => S): S {
    this.sweep(now);
    let slot = this.map.get(key);
    if (slot !== undefined) {
      this.map.delete(key);
      if (slot.state.expiresAt <= now) {
        slot = undefined;
        this.evicted++;
      }
    }
    if (slot === undefined) slot = { state: fresh(), seq: 0 };
    slot.seq = ++this.seq;
    this.map.set(key, slot);
    return slot.state;
  }

  /** The state for `key` without creating or reordering it. */
  peek(key: LimiterKey): S | undefined {
    return this.map.get(key)?.state;
  }

  /** Drops a key's state. */
  delete(key: LimiterKey): void {
    this.map.delete(key);
  }

  /** Keys currently holding state. */
  get size(): number {
    return this.map.size;
  }

  private advance(): void {
    this.front = undefined;
    let n = this.cursor?.next();
    if (n === undefined || n.done === true) {
      if (this.map.size === 0) {
        this.cursor = undefined;
        return;
      }
      this.cursor = this.map.entries();
      n = this.cursor.next();
      if (n.done === true) return;
    }
    const [key, slot] = n.value;
    this.front = { key, slot, seq: slot.seq };
  }

  private sweep(now: SimTime): void {
    for (let budget = 4; budget > 0; budget--) {
      const f = this.front;
      if (f === undefined || this.map.get(f.key) !== f.slot || f.slot.seq !== f.seq) {
        this.advance();
        if (this.front === undefined) return;
        continue;
      }
      if (f.slot.state.expiresAt > now) return;
      this.map.delete(f.key);
      this.evicted++;
      this.advance();
    }
  }
}

/**
 * A limiter whose state is one expiring entry per key: its parameters and its key table.
 * Subclasses give the name and decide().
 */
export abstract class KeyedLimiter<P, S extends Expiring> implements LimiterAlgorithm {
  abstract readonly name: string;
  /** The parameters this instance was built with. */
  readonly params: P;
  protected readonly table = new KeyTable<S>();

  constructor(params: P) {
    this.params = params;
  }

  abstract decide(key: LimiterKey, now: SimTime, cost?: number): Decision;

  size(): number {
    return this.table.size;
  }
}
