import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/**
 * Interval-refill token bucket parameters (Envoy local_ratelimit token_bucket): capacity
 * `burst` (max_tokens), `tokensPerFill` whole tokens added every `interval` µs (fill_interval).
 */
export interface TokenBucketTickParams {
  readonly burst: number;
  readonly interval: SimTime;
  readonly tokensPerFill: number;
}

interface State extends Expiring {
  tokens: number;
  /** Index of the last fill tick applied (ticks at multiples of `interval`). */
  tick: number;
}

/**
 * Token bucket refilled in whole tokens on a timer (one token per tick when tokensPerFill = 1):
 * ticks fire at every multiple of `interval` for all keys at once, as Envoy's fill timer does.
 * A new key starts full. Answers differ from continuous refill: between ticks nothing refills.
 */
export class TokenBucketTick extends KeyedLimiter<TokenBucketTickParams, State> {
  readonly name = 'token-bucket-tick';

  decide(key: LimiterKey, now: SimTime, cost = 1): Decision {
    const { burst, interval, tokensPerFill } = this.params;
    const tick = Math.floor(now / interval);
    const s = this.table.get(key, now, () => ({ tokens: burst, tick, expiresAt: 0 }));
    if (tick > s.tick) {
      s.tokens = Math.min(burst, s.tokens + (tick - s.tick) * tokensPerFill);
      s.tick = tick;
    }
    const nextTick = (tick + 1) * interval - now;
    const ticksToFull = Math.ceil((burst - s.tokens) / tokensPerFill);
    if (s.tokens < cost) {
      const ticks = Math.ceil((cost - s.tokens) / tokensPerFill);
      const reset = ticksToFull > 0 ? nextTick + (ticksToFull - 1) * interval : 0;
      return reject(burst, s.tokens, reset, nextTick + (ticks - 1) * interval);
    }
    s.tokens -= cost;
    const left = Math.ceil((burst - s.tokens) / tokensPerFill);
    const reset = left > 0 ? nextTick + (left - 1) * interval : 0;
    s.expiresAt = now + reset;
    return allow(burst, s.tokens, reset);
  }
}
