import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** Fixed-window parameters: at most `limit` units per window of `window` µs (aligned to 0). */
export interface FixedWindowParams {
  readonly limit: number;
  readonly window: SimTime;
}

interface State extends Expiring {
  start: SimTime;
  count: number;
}

/**
 * Fixed-window counter (Redis INCR+EXPIRE pattern): windows are [kW, (k+1)W); a request passes
 * iff the window's count plus its cost stays within the limit. Rejected requests are not
 * counted. Up to 2L can pass in a W-long span straddling a window edge.
 */
export class FixedWindow extends KeyedLimiter<FixedWindowParams, State> {
  readonly name = 'fixed-window';

  decide(key: LimiterKey, now: SimTime, cost = 1): Decision {
    const { limit, window } = this.params;
    const start = now - (now % window);
    const s = this.table.get(key, now, () => ({ start, count: 0, expiresAt: start + window }));
    if (s.start !== start) {
      s.start = start;
      s.count = 0;
      s.expiresAt = start + window;
    }
    const reset = start + window - now;
    if (s.count + cost > limit) return reject(limit, limit - s.count, reset, reset);
    s.count += cost;
    return allow(limit, limit - s.count, reset);
  }
}
