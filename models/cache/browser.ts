import type { SimTime } from '../../engine/index.ts';
import type { ResponseHeaders } from '../http/messages.ts';
import { LruPolicy } from './policies/lru.ts';
import type { CacheKey, EvictionPolicy } from './policy.ts';
import { TtlCache } from './ttl-cache.ts';

/** What the browser cache says about a request. */
export type BrowserLookup =
  | { readonly state: 'fresh'; readonly size: number }
  | { readonly state: 'stale'; readonly etag: string | undefined }
  | { readonly state: 'miss' };

interface Stored {
  readonly etag: string | undefined;
}

/**
 * A private (browser) HTTP cache for one client: stores responses that carry Cache-Control
 * max-age, serves them while fresh, and keeps stale entries that have an ETag for a conditional
 * request (If-None-Match); a 304 refreshes them. LRU over `capacity` entries.
 */
export class BrowserCache {
  private readonly cache: TtlCache<Stored>;
  /** How long a stale entry with a validator is kept for revalidation, in µs. */
  private readonly keep: SimTime;

  /** `policy` (default LRU over `capacity` entries) decides who stays. */
  constructor(capacity = 1_000, keep: SimTime = 3_600_000_000, policy?: EvictionPolicy) {
    this.cache = new TtlCache<Stored>(policy ?? new LruPolicy({ capacity }));
    this.keep = keep;
  }

  /** hits (fresh), misses (stale or absent), evictions, expired. */
  get counters() {
    return this.cache.counters;
  }

  /** The ETag of the entry under `key` (fresh or stale), without counting a lookup. */
  etagOf(key: CacheKey): string | undefined {
    return this.cache.peek(key)?.value.etag;
  }

  /**
   * After the user's own successful write: the held copy is the one just written, with its new
   * ETag (an API client keeps the representation a PUT returns). No entry: nothing to update.
   */
  rewrite(key: CacheKey, etag: string, now: SimTime): void {
    const e = this.cache.peek(key);
    if (e === undefined) return;
    this.cache.set(key, { etag }, e.size, e.ttl, now, this.keep);
  }

  /** Looks a GET up; counts a fresh answer as a hit. */
  lookup(key: CacheKey, now: SimTime): BrowserLookup {
    const e = this.cache.lookup(key, now);
    if (e !== undefined && now < e.expiresAt) {
      this.cache.counters.hits++;
      return { state: 'fresh', size: e.size };
    }
    this.cache.counters.misses++;
    if (e !== undefined) return { state: 'stale', etag: e.value.etag };
    return { state: 'miss' };
  }

  /**
   * Records a response: 200 with max-age is stored; 304 refreshes the stored entry. Returns
   * whether the cache now holds (or refreshed) the entry.
   */
  store(
    key: CacheKey,
    status: number,
    headers: ResponseHeaders,
    size: number,
    now: SimTime,
  ): boolean {
    const maxAge = headers.maxAge;
    if (status === 304) {
      const e = this.cache.peek(key);
      if (e === undefined) return false;
      const ttl = maxAge !== undefined ? maxAge * 1e6 : e.ttl;
      this.cache.set(key, e.value, e.size, ttl, now, e.value.etag === undefined ? 0 : this.keep);
      return true;
    }
    if (status !== 200 || maxAge === undefined || maxAge <= 0) return false;
    const etag = headers.etag;
    this.cache.set(key, { etag }, size, maxAge * 1e6, now, etag === undefined ? 0 : this.keep);
    return true;
  }
}
