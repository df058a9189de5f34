import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** Token-bucket parameters: `rate` tokens per second, capacity `burst` tokens. */
export interface TokenBucketParams {
  readonly rate: number;
  readonly burst: number;
}

interface State extends Expiring {
  tokens: number;
  last: SimTime;
}

/**
 * Token bucket with lazy continuous refill (Stripe / AWS API Gateway style): on each look the
 * bucket gains rate·Δt tokens (fractional), capped at `burst`; a request passes iff it holds at
 * least `cost` tokens. A new key starts full. Any interval Δt admits at most burst + rate·Δt.
 */
export class TokenBucket extends KeyedLimiter<TokenBucketParams, State> {
  readonly name = 'token-bucket';
  /** Tokens per µs. */
  private readonly perMicro: number;

  constructor(params: TokenBucketParams) {
    super(params);
    this.perMicro = params.rate / 1e6;
  }

  decide(key: LimiterKey, now: SimTime, cost = 1): Decision {
    const { burst } = this.params;
    const s = this.table.get(key, now, () => ({ tokens: burst, last: now, expiresAt: 0 }));
    s.tokens = Math.min(burst, s.tokens + (now - s.last) * this.perMicro);
    s.last = now;
    if (s.tokens < cost) {
      const retry = (cost - s.tokens) / this.perMicro;
      return reject(burst, Math.floor(s.tokens), this.untilFull(s.tokens), retry);
    }
    s.tokens -= cost;
    const full = this.untilFull(s.tokens);
    s.expiresAt = now + full;
    return allow(burst, Math.floor(s.tokens), full);
  }

  private untilFull(tokens: number): SimTime {
    return Math.ceil((this.params.burst - tokens) / this.perMicro);
  }
}
