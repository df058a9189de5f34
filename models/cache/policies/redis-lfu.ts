import type { SampledOptions } from './sampled.ts';
import { SampledPolicy } from './sampled.ts';

/** Options of Redis allkeys-lfu. */
export interface RedisLfuOptions extends SampledOptions {
  /** lfu-log-factor (default 10): larger makes the counter grow more slowly. */
  readonly logFactor?: number | undefined;
  /** lfu-decay-time in minutes (default 1): the counter drops by one per period idle; 0 = never. */
  readonly decayMinutes?: number | undefined;
}

/** The counter value a new key starts with (Redis LFU_INIT_VAL). */
export const LFU_INIT_VAL = 5;
const MINUTE_US = 60_000_000;

/**
 * Redis allkeys-lfu: an 8-bit Morris (logarithmic) counter per key, incremented with
 * probability 1/((counter − 5) × lfu-log-factor + 1), decremented by one per lfu-decay-time
 * minutes without access (decay is applied lazily on access and when sampled), evicted by the
 * sampled pool with score 255 − counter. Uses the clock option for decay (µs).
 */
export class RedisLfuPolicy extends SampledPolicy {
  readonly name: string = 'redis-lfu';
  private readonly logFactor: number;
  private readonly decay: number;
  private readonly clock: () => number;

  constructor(options: RedisLfuOptions) {
    super(options);
    this.logFactor = options.logFactor ?? 10;
    this.decay = options.decayMinutes ?? 1;
    this.clock = options.clock ?? (() => 0);
  }

  private minutes(): number {
    return Math.floor(this.clock() / MINUTE_US);
  }

  private decayed(s: number): number {
    const c = this.pool.mark[s]!;
    if (this.decay <= 0) return c;
    const periods = Math.floor((this.minutes() - this.pool.values[s]!) / this.decay);
    return periods > c ? 0 : c - periods;
  }

  protected onHit(s: number): void {
    let c = this.decayed(s);
    if (c < 255) {
      const base = Math.max(0, c - LFU_INIT_VAL);
      if (this.rng.next() < 1 / (base * this.logFactor + 1)) c++;
    }
    this.pool.mark[s] = c;
    this.pool.values[s] = this.minutes();
  }
  protected touchNew(s: number): void {
    this.pool.values[s] = this.minutes();
    this.pool.mark[s] = LFU_INIT_VAL;
  }
  protected score(s: number): number {
    return 255 - this.decayed(s);
  }
}
