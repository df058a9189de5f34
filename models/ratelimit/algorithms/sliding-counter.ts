import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** Sliding-window-counter parameters: about `limit` units per `window` µs. */
export interface SlidingCounterParams {
  readonly limit: number;
  readonly window: SimTime;
}

interface State extends Expiring {
  start: SimTime;
  prev: number;
  curr: number;
}

/**
 * Sliding-window counter (Cloudflare's two-window approximation): the estimate is
 * prev × (W − elapsed)/W + curr; a request passes iff estimate + cost ≤ limit. O(1) memory per
 * key; approximate (it assumes the previous window's requests were spread evenly).
 */
export class SlidingCounter extends KeyedLimiter<SlidingCounterParams, State> {
  readonly name = 'sliding-counter';

  decide(key: LimiterKey, now: SimTime, cost = 1): Decision {
    const { limit, window } = this.params;
    const start = now - (now % window);
    const s = this.table.get(key, now, () => ({ start, prev: 0, curr: 0, expiresAt: 0 }));
    if (s.start !== start) {
      s.prev = s.start === start - window ? s.curr : 0;
      s.curr = 0;
      s.start = start;
    }
    const elapsed = now - start;
    const weight = (window - elapsed) / window;
    const estimate = s.prev * weight + s.curr;
    if (estimate + cost > limit) {
      // Passes once the previous window's weight has fallen enough; failing that, once the
      // current window (then the previous one) has decayed enough in the next window.
      const need = estimate + cost - limit;
      const nextStart = window - elapsed;
      const inNext = s.curr > 0 ? Math.max(0, 1 - (limit - cost) / s.curr) * window : 0;
      const retry =
        s.prev > 0 && need <= s.prev * weight
          ? Math.ceil((need / s.prev) * window)
          : nextStart + Math.ceil(inNext);
      return reject(limit, Math.floor(limit - estimate), 2 * window - elapsed, retry);
    }
    s.curr += cost;
    s.expiresAt = start + 2 * window;
    return allow(limit, Math.floor(limit - estimate - cost), 2 * window - elapsed);
  }
}
