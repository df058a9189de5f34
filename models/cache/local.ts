import { z } from 'zod';
import type { Rng, SimTime } from '../../engine/index.ts';
import { duration } from '../core/units.ts';
import { type CapacityConfig, capacityFields, policyFor } from './config.ts';
import type { CacheKey } from './policy.ts';
import { type CacheCounters, TtlCache } from './ttl-cache.ts';

/** Config of an in-process cache inside an app server replica (Caffeine, lru-cache, Guava). */
export const localCacheSchema = z.strictObject({
  ...capacityFields,
  ttl: duration().optional().describe('expire-after-write (omitted: no expiry)'),
  sliding: z.boolean().default(false).describe('expire-after-access instead of after write'),
});
/** A parsed local cache config. */
export type LocalCacheConfig = z.output<typeof localCacheSchema>;

/**
 * An in-process cache: one per app-server replica, empty after a restart (call clear()).
 * Lookups and stores are free in simulated time (the app server charges its own CPU).
 */
export interface LocalCache {
  /** True on a fresh hit; counts hits/misses. */
  get(key: CacheKey, now: SimTime): boolean;
  /** Stores a value of `size` bytes with the configured (or given) TTL in µs. */
  set(key: CacheKey, size: number, now: SimTime, ttl?: SimTime): void;
  /** Invalidates a key. */
  delete(key: CacheKey): void;
  /** Empties the cache (process restart). */
  clear(): void;
  /** hits, misses, evictions, expired. */
  readonly counters: CacheCounters;
  /** Resident entries. */
  readonly size: number;
}

/** Builds an in-process cache from its config and the replica's random stream. */
export function createLocalCache(
  config: LocalCacheConfig | (CapacityConfig & { ttl?: number; sliding?: boolean }),
  rng: Rng,
  clock: () => number = () => 0,
): LocalCache {
  const cache = new TtlCache<number>(policyFor(config, rng, clock), {
    sliding: config.sliding ?? false,
  });
  const defaultTtl = config.ttl ?? Number.POSITIVE_INFINITY;
  return {
    get: (key, now) => cache.fresh(key, now) !== undefined,
    set: (key, size, now, ttl) => {
      cache.set(key, 0, size, ttl ?? defaultTtl, now);
    },
    delete: (key) => {
      cache.delete(key);
    },
    clear: () => cache.clear(),
    counters: cache.counters,
    get size() {
      return cache.size;
    },
  };
}
