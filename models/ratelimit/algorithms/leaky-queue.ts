import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** Leaky-bucket-as-queue parameters: drain `rate` per second; at most `capacity` waiting. */
export interface LeakyQueueParams {
  readonly rate: number;
  readonly capacity: number;
}

interface State extends Expiring {
  /** When the last admitted request leaves the queue (µs, fractional). */
  lastOut: number;
}

/**
 * Leaky bucket as a queue (a traffic shaper): admitted requests leave one every 1/rate s, in
 * order; a request waits (delay) until its departure slot; when `capacity` requests are already
 * waiting it is rejected. Output never exceeds one request per 1/rate, so bursts become latency.
 */
export class LeakyQueue extends KeyedLimiter<LeakyQueueParams, State> {
  readonly name = 'leaky-queue';
  private readonly spacing: number;

  constructor(params: LeakyQueueParams) {
    super(params);
    this.spacing = 1e6 / params.rate;
  }

  decide(key: LimiterKey, now: SimTime, _cost = 1): Decision {
    const T = this.spacing;
    const { capacity } = this.params;
    const s = this.table.get(key, now, () => ({ lastOut: -Infinity, expiresAt: 0 }));
    const waiting = s.lastOut > now ? Math.ceil((s.lastOut - now) / T - 1e-9) : 0;
    if (waiting >= capacity) {
      const retry = s.lastOut - (capacity - 1) * T - now;
      return reject(capacity, 0, Math.ceil(s.lastOut - now), Math.max(1, retry));
    }
    const out = Math.max(now, s.lastOut + T);
    s.lastOut = out;
    s.expiresAt = Math.ceil(out + T);
    return allow(capacity, capacity - waiting - 1, Math.ceil(out - now), Math.ceil(out - now));
  }
}
