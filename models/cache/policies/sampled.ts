import type { Rng } from '../../../engine/index.ts';
import type { CacheKey, PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { DenseSlots } from './dense.ts';
import { NO_SLOT } from './slots.ts';

/** Options of Redis-style sampled eviction. */
export interface SampledOptions extends PolicyOptions {
  /** Keys sampled per eviction round (Redis maxmemory-samples, default 5). */
  readonly samples?: number | undefined;
  /** Size of the eviction pool of best candidates (Redis EVPOOL_SIZE, 16). */
  readonly poolSize?: number;
}

/**
 * Redis's approximated eviction (src/evict.c): each round samples `samples` random resident
 * keys, merges them into a small pool of the best candidates kept sorted by score (idle time
 * for LRU, 255 − counter for LFU), and evicts the best candidate that is still resident. O(1)
 * per eviction (samples × poolSize work, independent of the cache size).
 */
export abstract class SampledPolicy extends SlottedPolicy {
  protected readonly dense = new DenseSlots();
  protected readonly rng: Rng;
  private readonly samples: number;
  private readonly poolKeys: CacheKey[] = [];
  private readonly poolScores: number[] = [];
  private readonly poolSize: number;

  constructor(options: SampledOptions) {
    super(options);
    if (options.rng === undefined) throw new RangeError('sampled eviction needs an rng');
    this.rng = options.rng;
    this.samples = options.samples ?? 5;
    this.poolSize = options.poolSize ?? 16;
  }

  /** Eviction score of a resident slot: larger is evicted first. */
  protected abstract score(s: number): number;

  protected place(s: number): void {
    this.dense.add(s);
    this.touchNew(s);
  }
  /** Initialises per-entry metadata of a new slot. */
  protected abstract touchNew(s: number): void;

  protected unlink(s: number): void {
    this.dense.remove(s);
  }

  protected victim(): number {
    if (this.dense.length === 0) return NO_SLOT;
    for (;;) {
      this.populate();
      for (let i = this.poolKeys.length - 1; i >= 0; i--) {
        const key = this.poolKeys[i]!;
        this.poolKeys.splice(i, 1);
        this.poolScores.splice(i, 1);
        const s = this.index.get(key);
        if (s !== undefined) {
          this.dense.remove(s);
          return s;
        }
      }
    }
  }

  private populate(): void {
    // Like dictGetSomeKeys: when the cache holds no more keys than the sample, take them all.
    const all = this.dense.length <= this.samples;
    const n = Math.min(this.samples, this.dense.length);
    for (let j = 0; j < n; j++) {
      const s = all ? this.dense.slots[j]! : this.dense.pick(this.rng.next());
      const key = this.pool.keys[s]!;
      if (this.poolKeys.includes(key)) continue;
      const score = this.score(s);
      let k = 0;
      while (k < this.poolKeys.length && this.poolScores[k]! < score) k++;
      if (k === 0 && this.poolKeys.length === this.poolSize) continue;
      this.poolKeys.splice(k, 0, key);
      this.poolScores.splice(k, 0, score);
      if (this.poolKeys.length > this.poolSize) {
        this.poolKeys.shift();
        this.poolScores.shift();
      }
    }
  }

  protected resetState(): void {
    this.dense.reset();
    this.poolKeys.length = 0;
    this.poolScores.length = 0;
  }
}
