import type { SimTime } from '../../../engine/index.ts';
import {
  allow,
  type Decision,
  type Expiring,
  KeyedLimiter,
  type LimiterKey,
  reject,
} from '../algorithm.ts';

/** GCRA parameters as in redis-cell CL.THROTTLE: `count` per `period` µs, `maxBurst` extra. */
export interface GcraParams {
  readonly count: number;
  readonly period: SimTime;
  readonly maxBurst: number;
}

interface State extends Expiring {
  /** Theoretical arrival time. */
  tat: SimTime;
}

/**
 * Generic cell rate algorithm (redis-cell, throttled): one stored timestamp (TAT) per key.
 * T = period/count, τ = T·(maxBurst+1); new_tat = max(tat, now) + T·cost; allowed iff
 * now ≥ new_tat − τ. Equivalent to a token bucket with rate 1/T and capacity maxBurst + 1.
 */
export class Gcra extends KeyedLimiter<GcraParams, State> {
  readonly name = 'gcra';
  private readonly emission: number;
  private readonly tau: number;

  constructor(params: GcraParams) {
    super(params);
    this.emission = params.period / params.count;
    this.tau = this.emission * (params.maxBurst + 1);
  }

  decide(key: LimiterKey, now: SimTime, cost = 1): Decision {
    const T = this.emission;
    const limit = this.params.maxBurst + 1;
    const s = this.table.get(key, now, () => ({ tat: now, expiresAt: 0 }));
    const tat = Math.max(s.tat, now);
    const newTat = tat + T * cost;
    const allowAt = newTat - this.tau;
    if (now < allowAt) {
      const ttl = tat - now;
      return reject(limit, Math.floor((this.tau - ttl) / T), Math.ceil(ttl), allowAt - now);
    }
    s.tat = newTat;
    s.expiresAt = Math.ceil(newTat);
    const ttl = newTat - now;
    return allow(limit, Math.floor((this.tau - ttl) / T), Math.ceil(ttl));
  }
}
