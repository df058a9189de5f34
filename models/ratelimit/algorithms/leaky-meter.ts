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
 * NGINX limit_req parameters: `rate` requests per second, `burst` requests, and `delay`: the
 * number of excess requests passed without delay (0 by default; Infinity for `nodelay`).
 */
export interface LeakyMeterParams {
  readonly rate: number;
  readonly burst: number;
  readonly delay: number;
}

interface State extends Expiring {
  /** Excess in milli-requests. */
  excess: number;
  /** Last update, whole milliseconds. */
  last: number;
}

/**
 * Leaky bucket as a meter, exactly as NGINX's ngx_http_limit_req_module computes it: integer
 * milli-requests and whole milliseconds. excess = max(0, excess − R·ms/1000 + 1000); if
 * excess > burst·1000 reject (state unchanged); else store it and delay the request by
 * (excess − delay·1000)·1000/R ms when positive. New keys start with excess 0.
 */
export class LeakyMeter extends KeyedLimiter<LeakyMeterParams, State> {
  readonly name = 'leaky-meter';
  /** NGINX's ctx->rate: milli-requests per second. */
  private readonly rateMilli: number;

  constructor(params: LeakyMeterParams) {
    super(params);
    this.rateMilli = Math.max(1, Math.round(params.rate * 1000));
  }

  decide(key: LimiterKey, now: SimTime, _cost = 1): Decision {
    const R = this.rateMilli;
    const burst = this.params.burst * 1000;
    const limit = this.params.burst + 1;
    const nowMs = Math.floor(now / 1000);
    const existing = this.table.peek(key);
    const s = this.table.get(key, now, () => ({ excess: 0, last: nowMs, expiresAt: 0 }));
    let excess = 0;
    if (existing !== undefined && s === existing) {
      let ms = nowMs - s.last;
      if (ms < -60000) ms = 1;
      else if (ms < 0) ms = 0;
      excess = Math.max(0, s.excess - Math.floor((R * ms) / 1000) + 1000);
      if (excess > burst) {
        const retryMs = Math.ceil(((excess - burst) * 1000) / R);
        return reject(limit, 0, this.drainMicros(s.excess), retryMs * 1000);
      }
      if (ms > 0) s.last = nowMs;
    }
    s.excess = excess;
    // Idle long enough to leak excess + 1000, the state behaves exactly like a new key's.
    s.expiresAt = (s.last + 1) * 1000 + this.drainMicros(excess + 1000);
    const threshold = this.params.delay * 1000;
    const delayMs = excess <= threshold ? 0 : Math.floor(((excess - threshold) * 1000) / R);
    const remaining = Math.floor((burst - excess) / 1000);
    return allow(limit, remaining, this.drainMicros(excess), delayMs * 1000);
  }

  private drainMicros(excess: number): SimTime {
    return Math.ceil((excess * 1000) / this.rateMilli) * 1000;
  }
}
