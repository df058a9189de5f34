import type { SampledOptions } from './sampled.ts';
import { SampledPolicy } from './sampled.ts';

/**
 * Redis allkeys-lru: sampled approximation of LRU (maxmemory-samples 5, eviction pool of 16).
 * Without a clock, idle time is measured on a logical clock that advances once per access
 * (exact order). With the clock option (µs), idle time is Redis's: the LRU clock has a
 * resolution of 1 s (LRU_CLOCK_RESOLUTION), so keys touched within the same second look
 * equally idle and the sampled choice among them is arbitrary.
 */
export class RedisLruPolicy extends SampledPolicy {
  readonly name: string = 'redis-lru';
  private tick = 0;
  private readonly clock: (() => number) | undefined;

  constructor(options: SampledOptions) {
    super(options);
    this.clock = options.clock;
  }
  private now(): number {
    return this.clock === undefined ? ++this.tick : Math.floor(this.clock() / 1_000_000);
  }
  protected onHit(s: number): void {
    this.pool.values[s] = this.now();
  }
  protected touchNew(s: number): void {
    this.pool.values[s] = this.now();
  }
  protected score(s: number): number {
    const now = this.clock === undefined ? this.tick : Math.floor(this.clock() / 1_000_000);
    return now - this.pool.values[s]!;
  }
}
