// The circuit breaker's resilience4j semantics on hand-made call sequences.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../models/resilience/breaker.ts';
import {
  type BreakerPolicy,
  breakerPolicySchema,
} from '../../../models/resilience/breaker-schema.ts';

const S = 1_000_000;
const policy = (over: Partial<Record<keyof BreakerPolicy, unknown>>): BreakerPolicy =>
  breakerPolicySchema.parse(over);

/** Runs `n` calls at `t` with the given outcome, each acquired then recorded at once. */
function calls(b: CircuitBreaker, t: number, n: number, failed: boolean, duration = 1000): number {
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const g = b.acquire(t);
    if (g < 0) refused++;
    else b.record(t, g, failed, duration);
  }
  return refused;
}

describe('CircuitBreaker (resilience4j semantics)', () => {
  it('defaults are resilience4j’s', () => {
    const p = policy({});
    expect(p).toMatchObject({
      slidingWindowType: 'COUNT_BASED',
      slidingWindowSize: 100,
      minimumNumberOfCalls: 100,
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationThreshold: 60 * S,
      waitDurationInOpenState: 60 * S,
      permittedNumberOfCallsInHalfOpenState: 10,
    });
  });

  it('judges nothing before minimumNumberOfCalls, then opens at the failure-rate threshold', () => {
    const b = new CircuitBreaker(policy({ slidingWindowSize: 10, minimumNumberOfCalls: 10 }));
    calls(b, 0, 9, true);
    expect(b.state).toBe('closed'); // 9 failures, below the minimum
    calls(b, 0, 1, false);
    expect(b.state).toBe('open'); // 9 of 10 failed ≥ 50%
    expect(calls(b, 1, 5, false)).toBe(5); // open: every call refused
  });

  it('a count window forgets the oldest calls', () => {
    const b = new CircuitBreaker(policy({ slidingWindowSize: 10, minimumNumberOfCalls: 10 }));
    calls(b, 0, 4, true);
    calls(b, 0, 20, false); // the 4 failures slide out
    calls(b, 0, 4, true); // 4 of the last 10 failed: 40% < 50%
    expect(b.state).toBe('closed');
    calls(b, 0, 1, true); // 5 of 10: opens
    expect(b.state).toBe('open');
  });

  it('a time window counts only the last slidingWindowSize seconds', () => {
    const b = new CircuitBreaker(
      policy({ slidingWindowType: 'TIME_BASED', slidingWindowSize: 2, minimumNumberOfCalls: 4 }),
    );
    calls(b, 0, 3, true);
    calls(b, 5 * S, 3, false); // the failures at t = 0 have expired
    expect(b.state).toBe('closed');
    calls(b, 5 * S, 3, true); // 3 of 6 in the window: 50%
    expect(b.state).toBe('open');
  });

  it('slow calls open it at slowCallRateThreshold', () => {
    const b = new CircuitBreaker(
      policy({
        slidingWindowSize: 4,
        minimumNumberOfCalls: 4,
        slowCallRateThreshold: 50,
        slowCallDurationThreshold: '100ms',
      }),
    );
    calls(b, 0, 2, false, 50_000);
    calls(b, 0, 1, false, 200_000);
    expect(b.state).toBe('closed');
    calls(b, 0, 1, false, 200_000);
    expect(b.state).toBe('open');
  });

  it('after the open wait, half-open lets exactly the permitted calls through and their rates decide', () => {
    const p = policy({
      slidingWindowSize: 4,
      minimumNumberOfCalls: 4,
      waitDurationInOpenState: '5s',
      permittedNumberOfCallsInHalfOpenState: 3,
    });
    const b = new CircuitBreaker(p);
    calls(b, 0, 4, true);
    expect(b.state).toBe('open');
    expect(b.acquire(4 * S)).toBe(-1); // still waiting
    const trial = [b.acquire(5 * S), b.acquire(5 * S), b.acquire(5 * S)];
    expect(b.state).toBe('half-open');
    expect(trial.every((g) => g >= 0)).toBe(true);
    expect(b.acquire(5 * S)).toBe(-1); // a fourth is refused
    b.record(5 * S, trial[0]!, true, 1000);
    b.record(5 * S, trial[1]!, true, 1000);
    b.record(5 * S, trial[2]!, false, 1000); // 2 of 3 failed ≥ 50%: open again
    expect(b.state).toBe('open');
    expect(b.opens).toBe(2);
    const again = [b.acquire(10 * S), b.acquire(10 * S), b.acquire(10 * S)];
    for (const g of again) b.record(10 * S, g, false, 1000);
    expect(b.state).toBe('closed');
  });
});
