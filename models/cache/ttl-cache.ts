import type { SimTime } from '../../engine/index.ts';
import type { CacheKey, EvictionPolicy } from './policy.ts';

/** One stored object: its value, size, when it was stored and until when it may be used. */
export interface CacheEntry<V> {
  value: V;
  size: number;
  storedAt: SimTime;
  /** Fresh while now < expiresAt (Infinity: no expiry). */
  expiresAt: SimTime;
  /** Kept (for stale serving / revalidation) while now < staleUntil; >= expiresAt. */
  staleUntil: SimTime;
  /** The TTL it was stored with, for sliding expiry. */
  readonly ttl: SimTime;
}

/** Counters a cache reports (the results contract derives hitRatio from hits and misses). */
export interface CacheCounters {
  hits: number;
  misses: number;
  evictions: number;
  expired: number;
}

/** How a TtlCache treats expiry. */
export interface TtlOptions {
  /** Sliding expiry: every hit pushes expiresAt to now + ttl (default false: non-renewing). */
  readonly sliding?: boolean;
}

/**
 * Values with TTLs over an eviction policy: the policy decides residency, this class keeps the
 * values and expiry. An entry past staleUntil is removed on access (counted as expired and as a
 * miss). lookup() never returns an entry past staleUntil; fresh() never one past expiresAt.
 */
export class TtlCache<V> {
  readonly policy: EvictionPolicy;
  readonly counters: CacheCounters = { hits: 0, misses: 0, evictions: 0, expired: 0 };
  private readonly entries = new Map<CacheKey, CacheEntry<V>>();
  private readonly sliding: boolean;

  constructor(policy: EvictionPolicy, options: TtlOptions = {}) {
    this.policy = policy;
    this.sliding = options.sliding ?? false;
    policy.onEvict = (key) => {
      this.entries.delete(key);
      this.counters.evictions++;
    };
  }

  /** Resident entries. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * A request's lookup: the entry (fresh or stale-but-retained) and a policy touch, or
   * undefined. Does not count hits/misses (the caller decides what counts as a hit).
   */
  lookup(key: CacheKey, now: SimTime): CacheEntry<V> | undefined {
    const e = this.entries.get(key);
    if (e !== undefined && now >= e.staleUntil) {
      this.entries.delete(key);
      this.policy.delete(key);
      this.counters.expired++;
    }
    if (!this.policy.get(key)) return undefined;
    const entry = this.entries.get(key)!;
    if (this.sliding && now < entry.expiresAt) {
      const grace = entry.staleUntil - entry.expiresAt;
      entry.expiresAt = now + entry.ttl;
      entry.staleUntil = entry.expiresAt + grace;
    }
    return entry;
  }

  /** Lookup that counts: a fresh entry is a hit, anything else a miss. */
  fresh(key: CacheKey, now: SimTime): CacheEntry<V> | undefined {
    const e = this.lookup(key, now);
    if (e !== undefined && now < e.expiresAt) {
      this.counters.hits++;
      return e;
    }
    this.counters.misses++;
    return undefined;
  }

  /** The entry without touching policy state or counters (may be stale). */
  peek(key: CacheKey): CacheEntry<V> | undefined {
    return this.entries.get(key);
  }

  /** Stores a value for `ttl` µs (Infinity: no expiry), retained `stale` µs longer. */
  set(key: CacheKey, value: V, size: number, ttl: SimTime, now: SimTime, stale = 0): boolean {
    this.policy.admit(key, size);
    if (!this.policy.has(key)) {
      this.entries.delete(key);
      return false;
    }
    const expiresAt = now + ttl;
    this.entries.set(key, {
      value,
      size,
      storedAt: now,
      expiresAt,
      staleUntil: expiresAt + stale,
      ttl,
    });
    return true;
  }

  /** Removes a key (invalidation); true if it was stored. */
  delete(key: CacheKey): boolean {
    this.policy.delete(key);
    return this.entries.delete(key);
  }

  /** Empties the cache (cold restart); counters are kept. */
  clear(): void {
    this.entries.clear();
    this.policy.clear();
  }
}
