import type { Rng } from '../../engine/index.ts';

/** A cache key: an object id (number) or a name (DNS names, HTTP cache keys). */
export type CacheKey = number | string;

/**
 * One eviction (and admission) algorithm over a bounded set of keys. Values and expiry live in
 * the component that owns the policy; the policy only decides who stays. Invariant: after every
 * call, size <= capacity and bytes <= capacityBytes.
 */
export interface EvictionPolicy {
  /** The policy's name, e.g. 'lru'. */
  readonly name: string;
  /** Maximum number of resident entries. */
  readonly capacity: number;
  /** Maximum resident bytes (Infinity when only entries are bounded). */
  readonly capacityBytes: number;
  /** Resident entries now. */
  readonly size: number;
  /** Resident bytes now. */
  readonly bytes: number;
  /** Looks a key up as a request would: true on a hit; updates recency/frequency state. */
  get(key: CacheKey): boolean;
  /** Whether the key is resident, without touching any policy state. */
  has(key: CacheKey): boolean;
  /**
   * Inserts a key of `size` bytes after a miss, evicting as needed. Admission policies (LFU,
   * W-TinyLFU, OPT) may decline: check has(key) afterwards. Re-admitting a resident key replaces it.
   */
  admit(key: CacheKey, size?: number): void;
  /** Removes a key (invalidation, expiry); true if it was resident. Not counted as an eviction. */
  delete(key: CacheKey): boolean;
  /** Removes everything (a cold restart); keeps history-free state only. */
  clear(): void;
  /** Called with each key the policy evicts (not for delete()). */
  onEvict: ((key: CacheKey) => void) | undefined;
}

/** Capacity and helpers given to a policy constructor. */
export interface PolicyOptions {
  /** Maximum entries (default: unbounded, then capacityBytes must be set). */
  readonly capacity?: number;
  /** Maximum bytes (default: unbounded). */
  readonly capacityBytes?: number;
  /** Random stream for randomised policies (random, redis-*, w-tinylfu). */
  readonly rng?: Rng;
  /** Simulated clock in µs for time-aware policies (redis-lfu decay); default: time stands still. */
  readonly clock?: () => number;
}
