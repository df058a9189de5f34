import type { SimTime } from '../../engine/index.ts';
import { LruPolicy } from '../cache/policies/lru.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { DnsAnswer } from './messages.ts';

/** Options of a browser / OS stub cache. */
export interface StubCacheOptions {
  /** Names kept (Chromium host cache: 1000). */
  readonly capacity?: number;
  /** Upper bound on cached TTL in µs (Chromium: 60 s for system-resolver results). */
  readonly maxTtl?: SimTime;
  /** How long NXDOMAIN/SERVFAIL is cached in µs (Chromium: 0; Java: 10 s). */
  readonly negativeTtl?: SimTime;
}

/** A per-client DNS cache: answers a name from memory while its (clamped) TTL lasts. */
export interface StubCache {
  /** The cached answer with its remaining TTL, or undefined (counts hits/misses). */
  lookup(name: string, now: SimTime): DnsAnswer | undefined;
  /** Records an answer from the resolver. */
  store(name: string, answer: DnsAnswer, now: SimTime): void;
  /** Forgets everything (browser restart). */
  clear(): void;
  readonly counters: { hits: number; misses: number; evictions: number; expired: number };
}

/** Builds a stub cache (browser or OS, e.g. systemd-resolved / nscd). */
export function createStubCache(options: StubCacheOptions = {}): StubCache {
  const cache = new TtlCache<DnsAnswer>(new LruPolicy({ capacity: options.capacity ?? 1_000 }));
  const maxTtl = options.maxTtl ?? Number.POSITIVE_INFINITY;
  const negative = options.negativeTtl ?? 0;
  return {
    lookup(name, now) {
      const e = cache.fresh(name, now);
      if (e === undefined) return undefined;
      return { ...e.value, ttl: e.expiresAt - now };
    },
    store(name, answer, now) {
      const ttl = answer.rcode === 'NOERROR' ? Math.min(answer.ttl, maxTtl) : negative;
      if (ttl > 0) cache.set(name, answer, 1, ttl, now);
    },
    clear: () => cache.clear(),
    counters: cache.counters,
  };
}
