import type { SimTime } from '../../engine/index.ts';
import type { CodelConfig } from './service-schema.ts';

/**
 * CoDel's drop decision, asked once per request as it leaves the queue with its sojourn time.
 * `slough` follows folly's Codel: each interval, the queue is overloaded iff the minimum delay
 * seen in the previous interval exceeded the target; while overloaded, any request that waited
 * longer than 2 × target is dropped. `rfc` follows RFC 8289's dequeue: once the sojourn time has
 * stayed above target for an interval, drop one and enter the dropping state, dropping again at
 * interval/√count until a sojourn time falls below target.
 */
export class Codel {
  readonly mode: CodelConfig['mode'];
  readonly target: SimTime;
  readonly interval: SimTime;
  // slough state
  private intervalEnd = 0;
  private minDelay = 0;
  private resetMin = true;
  private overloaded = false;
  // rfc state
  private firstAbove = 0;
  private dropping = false;
  private dropNext = 0;
  private count = 0;

  constructor(config: CodelConfig) {
    this.mode = config.mode;
    this.target = config.target;
    this.interval = config.interval;
  }

  /** Whether folly's variant currently considers the queue overloaded. */
  get isOverloaded(): boolean {
    return this.mode === 'slough' ? this.overloaded : this.dropping;
  }

  /** True when the request leaving the queue at `now` after `sojourn` µs should be dropped. */
  shouldDrop(now: SimTime, sojourn: SimTime): boolean {
    return this.mode === 'slough' ? this.slough(now, sojourn) : this.rfc(now, sojourn);
  }

  private slough(now: SimTime, sojourn: SimTime): boolean {
    if (now > this.intervalEnd) {
      this.intervalEnd = now + this.interval;
      this.overloaded = !this.resetMin && this.minDelay > this.target;
      this.resetMin = true;
    }
    if (this.resetMin || sojourn < this.minDelay) {
      this.minDelay = sojourn;
      this.resetMin = false;
    }
    return this.overloaded && sojourn > 2 * this.target;
  }

  private okToDrop(now: SimTime, sojourn: SimTime): boolean {
    if (sojourn < this.target) {
      this.firstAbove = 0;
      return false;
    }
    if (this.firstAbove === 0) {
      this.firstAbove = now + this.interval;
      return false;
    }
    return now >= this.firstAbove;
  }

  private controlLaw(t: SimTime): SimTime {
    return t + this.interval / Math.sqrt(this.count);
  }

  private rfc(now: SimTime, sojourn: SimTime): boolean {
    const ok = this.okToDrop(now, sojourn);
    if (this.dropping) {
      if (!ok) {
        this.dropping = false;
        return false;
      }
      if (now < this.dropNext) return false;
      this.count++;
      this.dropNext = this.controlLaw(this.dropNext);
      return true;
    }
    if (!ok) return false;
    this.dropping = true;
    const recent = now - this.dropNext < 16 * this.interval;
    this.count = this.count > 2 && recent ? this.count - 2 : 1;
    this.dropNext = this.controlLaw(now);
    return true;
  }
}
