import type { SampledOptions } from './sampled.ts';
import { SampledPolicy } from './sampled.ts';

/**
 * Redis allkeys-lru: sampled approximation of LRU (maxmemory-samples 5, eviction pool of 16).
 * Idle time is measured on a logical clock that advances once per access (exact order, where
 * Redis's LRU clock has 1 s resolution).
 */
export class RedisLruPolicy extends SampledPolicy {
  readonly name: string = 'redis-lru';
  private tick = 0;

  constructor(options: SampledOptions) {
    super(options);
  }
  protected onHit(s: number): void {
    this.pool.values[s] = ++this.tick;
  }
  protected touchNew(s: number): void {
    this.pool.values[s] = ++this.tick;
  }
  protected score(s: number): number {
    return this.tick - this.pool.values[s]!;
  }
}
