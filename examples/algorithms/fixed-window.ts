// A user rate limiter: at most `limit` requests per key per fixed window of `windowMs`.
//   stacksim check-algorithm examples/algorithms/fixed-window.ts --family limiter --options '{"limit":10}'
import type { Decision, LimiterAlgorithm, LimiterKey } from '../../models/ratelimit/algorithm.ts';

interface Counter {
  start: number;
  count: number;
}

/** Makes the limiter: options.limit (default 10) per options.windowMs (default 1000). */
export function create(options: { limit?: number; windowMs?: number } = {}): LimiterAlgorithm {
  const limit = options.limit ?? 10;
  const window = (options.windowMs ?? 1000) * 1000; // µs: simulated time is in microseconds
  // Insertion order = order of window start, so expired counters sit at the front.
  const counters = new Map<LimiterKey, Counter>();
  return {
    name: 'user-fixed-window',
    decide(key: LimiterKey, now: number): Decision {
      for (const [k, c] of counters) {
        if (c.start + window > now) break;
        counters.delete(k);
      }
      const start = now - (now % window);
      let c = counters.get(key);
      if (c === undefined || c.start !== start) {
        counters.delete(key);
        c = { start, count: 0 };
        counters.set(key, c);
      }
      const resetAfter = start + window - now;
      if (c.count >= limit) {
        return {
          allowed: false,
          delay: 0,
          limit,
          remaining: 0,
          resetAfter,
          retryAfter: resetAfter,
        };
      }
      c.count++;
      return {
        allowed: true,
        delay: 0,
        limit,
        remaining: limit - c.count,
        resetAfter,
        retryAfter: 0,
      };
    },
    size: () => counters.size,
  };
}
