import type { SimTime } from '../../engine/index.ts';
import type { BreakerPolicy } from './breaker-schema.ts';

/** The three states of a breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open';

const FAILED = 1;
const SLOW = 2;

/**
 * One circuit breaker with resilience4j's semantics. CLOSED: outcomes go into the sliding
 * window; once it holds minimumNumberOfCalls, a failure or slow-call rate at or above its
 * threshold opens it. OPEN: every call is refused until waitDurationInOpenState has passed; the
 * next call then moves it to HALF_OPEN. HALF_OPEN: exactly permittedNumberOfCallsInHalfOpenState
 * calls are let through (more are refused); when all have answered, their rates close it (window
 * reset) or open it again. `acquire` returns a generation number to hand back to `record`;
 * outcomes of calls let through in an earlier state are ignored.
 */
export class CircuitBreaker {
  readonly policy: BreakerPolicy;
  state: BreakerState = 'closed';
  /** Incremented on every transition; tags calls with the state that let them through. */
  generation = 0;
  /** Transitions to open, and calls refused, since creation. */
  opens = 0;
  private openedAt = 0;
  private halfOpenIssued = 0;
  private halfOpenDone = 0;
  private halfOpenFailed = 0;
  private halfOpenSlow = 0;
  // count-based window: ring of outcome codes
  private readonly ring: Uint8Array;
  private ringNext = 0;
  // time-based window: one bucket per second
  private readonly bucketSecond: Float64Array;
  private readonly bucketCalls: Float64Array;
  private readonly bucketFailed: Float64Array;
  private readonly bucketSlow: Float64Array;
  private calls = 0;
  private failed = 0;
  private slow = 0;

  constructor(policy: BreakerPolicy) {
    this.policy = policy;
    const n = policy.slidingWindowSize;
    const count = policy.slidingWindowType === 'COUNT_BASED';
    this.ring = new Uint8Array(count ? n : 0);
    this.bucketSecond = new Float64Array(count ? 0 : n).fill(-1);
    this.bucketCalls = new Float64Array(count ? 0 : n);
    this.bucketFailed = new Float64Array(count ? 0 : n);
    this.bucketSlow = new Float64Array(count ? 0 : n);
  }

  /** Calls the half-open state has let through so far (never above the permitted number). */
  get halfOpenCalls(): number {
    return this.halfOpenIssued;
  }

  private transition(to: BreakerState, now: SimTime): void {
    this.state = to;
    this.generation++;
    if (to === 'open') {
      this.opens++;
      this.openedAt = now;
    }
    if (to === 'half-open') {
      this.halfOpenIssued = 0;
      this.halfOpenDone = 0;
      this.halfOpenFailed = 0;
      this.halfOpenSlow = 0;
    }
    if (to === 'closed') this.resetWindow();
  }

  private resetWindow(): void {
    this.ring.fill(0);
    this.ringNext = 0;
    this.bucketSecond.fill(-1);
    this.bucketCalls.fill(0);
    this.bucketFailed.fill(0);
    this.bucketSlow.fill(0);
    this.calls = 0;
    this.failed = 0;
    this.slow = 0;
  }

  /** A generation number when the call may go through now; -1 when it is refused. */
  acquire(now: SimTime): number {
    if (this.state === 'open') {
      if (now - this.openedAt < this.policy.waitDurationInOpenState) return -1;
      this.transition('half-open', now);
    }
    if (this.state === 'half-open') {
      if (this.halfOpenIssued >= this.policy.permittedNumberOfCallsInHalfOpenState) return -1;
      this.halfOpenIssued++;
    }
    return this.generation;
  }

  /** Records the outcome of a call let through with `generation` (stale generations are ignored). */
  record(now: SimTime, generation: number, failed: boolean, durationUs: SimTime): void {
    if (generation !== this.generation) return;
    const slow = durationUs > this.policy.slowCallDurationThreshold;
    if (this.state === 'half-open') {
      this.halfOpenDone++;
      if (failed) this.halfOpenFailed++;
      if (slow) this.halfOpenSlow++;
      const n = this.policy.permittedNumberOfCallsInHalfOpenState;
      if (this.halfOpenDone < n) return;
      const bad = this.overThreshold(n, this.halfOpenFailed, this.halfOpenSlow);
      this.transition(bad ? 'open' : 'closed', now);
      return;
    }
    if (this.state !== 'closed') return;
    this.add(now, (failed ? FAILED : 0) | (slow ? SLOW : 0));
    if (this.calls < this.policy.minimumNumberOfCalls) return;
    if (this.overThreshold(this.calls, this.failed, this.slow)) this.transition('open', now);
  }

  private overThreshold(calls: number, failed: number, slow: number): boolean {
    const p = this.policy;
    return (
      (failed * 100) / calls >= p.failureRateThreshold ||
      (slow * 100) / calls >= p.slowCallRateThreshold
    );
  }

  private add(now: SimTime, code: number): void {
    if (this.ring.length > 0) {
      const old = this.ring[this.ringNext]!;
      if (this.calls >= this.ring.length) {
        this.calls--;
        if (old & FAILED) this.failed--;
        if (old & SLOW) this.slow--;
      }
      this.ring[this.ringNext] = code;
      this.ringNext = (this.ringNext + 1) % this.ring.length;
    } else {
      this.expire(now);
      const second = Math.floor(now / 1e6);
      const i = second % this.bucketSecond.length;
      this.bucketSecond[i] = second;
      this.bucketCalls[i]! += 1;
      if (code & FAILED) this.bucketFailed[i]! += 1;
      if (code & SLOW) this.bucketSlow[i]! += 1;
    }
    this.calls++;
    if (code & FAILED) this.failed++;
    if (code & SLOW) this.slow++;
  }

  /** Drops the time buckets older than the window. */
  private expire(now: SimTime): void {
    const second = Math.floor(now / 1e6);
    const n = this.bucketSecond.length;
    for (let i = 0; i < n; i++) {
      const s = this.bucketSecond[i]!;
      if (s < 0 || s > second - n) continue;
      this.calls -= this.bucketCalls[i]!;
      this.failed -= this.bucketFailed[i]!;
      this.slow -= this.bucketSlow[i]!;
      this.bucketSecond[i] = -1;
      this.bucketCalls[i] = 0;
      this.bucketFailed[i] = 0;
      this.bucketSlow[i] = 0;
    }
  }
}
