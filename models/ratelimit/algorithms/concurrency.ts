import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type LimiterAlgorithm,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/**
 * NGINX limit_conn: at most `limit` requests of one key in flight at once. A request is counted
 * from its admission until it completes (onComplete); over the limit it is rejected at once.
 * Keys with nothing in flight hold no state, so memory follows the keys in flight.
 */
export class ConcurrencyLimit implements LimiterAlgorithm {
  readonly name = 'concurrency';
  readonly limit: number;
  private readonly inFlight = new Map<LimiterKey, number>();

  constructor(params: { readonly limit: number }) {
    this.limit = params.limit;
  }

  decide(key: LimiterKey, _now: SimTime, _cost = 1): Decision {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= this.limit) return reject(this.limit, 0, 0, 1000);
    this.inFlight.set(key, n + 1);
    return allow(this.limit, this.limit - n - 1, 0);
  }

  onComplete(key: LimiterKey, _now: SimTime, _latency: SimTime, _ok: boolean): void {
    const n = this.inFlight.get(key) ?? 0;
    if (n <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, n - 1);
  }

  size(): number {
    return this.inFlight.size;
  }
}
