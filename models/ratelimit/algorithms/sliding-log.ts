import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** Sliding-log parameters: at most `limit` admitted requests in any `window` µs. */
export interface SlidingLogParams {
  readonly limit: number;
  readonly window: SimTime;
}

interface State extends Expiring {
  /** Admitted timestamps, oldest first, from index `head`. */
  log: SimTime[];
  head: number;
}

/**
 * Sliding-window log (Redis sorted-set pattern, check-before-add): keeps each admitted
 * timestamp for one window; a request passes iff fewer than `limit` admissions lie in
 * (now − W, now]. Exact: no half-open interval of length W ever holds more than L admissions.
 * Memory is O(L) per key.
 */
export class SlidingLog extends KeyedLimiter<SlidingLogParams, State> {
  readonly name = 'sliding-log';

  decide(key: LimiterKey, now: SimTime, cost = 1): Decision {
    const { limit, window } = this.params;
    const s = this.table.get(key, now, () => ({ log: [], head: 0, expiresAt: 0 }));
    while (s.head < s.log.length && s.log[s.head]! <= now - window) s.head++;
    if (s.head > 64 && s.head * 2 > s.log.length) {
      s.log = s.log.slice(s.head);
      s.head = 0;
    }
    const count = s.log.length - s.head;
    if (count + cost > limit) {
      // The request fits once the oldest `count + cost − limit` entries have left the window.
      const idx = s.head + Math.min(count - 1, count + cost - limit - 1);
      const retry = count === 0 ? window : s.log[idx]! + window - now;
      const reset = s.log[s.log.length - 1]! + window - now;
      return reject(limit, limit - count, reset, retry);
    }
    for (let i = 0; i < cost; i++) s.log.push(now);
    s.expiresAt = now + window;
    return allow(limit, limit - count - cost, window);
  }
}
