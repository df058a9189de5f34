import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type LimiterAlgorithm,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** AIMD concurrency-limit parameters (Netflix concurrency-limits AIMDLimit). */
export interface AdaptiveParams {
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  /** Multiplicative decrease on a drop or a slow response (0 < backoff < 1). */
  readonly backoff: number;
  /** A response slower than this counts as a drop (µs). */
  readonly timeout: SimTime;
}

/**
 * Adaptive concurrency limit, AIMD: admits while in-flight < limit; on a failed or
 * slower-than-`timeout` completion the limit shrinks to limit·backoff, on success with the
 * limit in use (in-flight·2 ≥ limit) it grows by one. The limit is global, not per key.
 */
export class AdaptiveConcurrency implements LimiterAlgorithm {
  readonly name = 'adaptive-concurrency';
  /** Current limit (fractional internally). */
  limit: number;
  inFlight = 0;

  /** The parameters this instance was built with. */
  readonly params: AdaptiveParams;

  constructor(params: AdaptiveParams) {
    this.params = params;
    this.limit = params.initial;
  }

  decide(_key: LimiterKey, _now: SimTime, _cost = 1): Decision {
    const limit = Math.floor(this.limit);
    if (this.inFlight >= limit) return reject(limit, 0, 0, 1000);
    this.inFlight++;
    return allow(limit, limit - this.inFlight, 0);
  }

  onComplete(_key: LimiterKey, _now: SimTime, latency: SimTime, ok: boolean): void {
    const wasInFlight = this.inFlight;
    this.inFlight = Math.max(0, this.inFlight - 1);
    const { min, max, backoff, timeout } = this.params;
    if (!ok || latency > timeout) this.limit = Math.max(min, this.limit * backoff);
    else if (wasInFlight * 2 >= this.limit) this.limit = Math.min(max, this.limit + 1);
  }

  size(): number {
    return 1;
  }
}
