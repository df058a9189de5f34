import { describe, expect, it } from 'vitest';
import { mayRetry, retriesSchema } from '../../../models/client/retry.ts';
import { RetryBudget } from '../../../models/client/retry-budget.ts';

function drain(b: RetryBudget, now: number): number {
  let n = 0;
  while (b.tryWithdraw(now)) n++;
  return n;
}

describe('retry budget', () => {
  it('allows ratio × requests plus the reserve, then refuses', () => {
    const b = new RetryBudget(0.2, 1, 10e6); // reserve 10 retries
    for (let i = 0; i < 100; i++) b.deposit(i * 1000);
    expect(drain(b, 200_000)).toBe(30);
  });

  it('deposits and withdrawals expire after the ttl', () => {
    const b = new RetryBudget(0.5, 0, 10e6);
    for (let i = 0; i < 40; i++) b.deposit(0);
    expect(drain(b, 1e6)).toBe(20);
    expect(drain(b, 5e6)).toBe(0);
    expect(drain(b, 12e6)).toBe(0); // deposits gone with the withdrawals
    for (let i = 0; i < 10; i++) b.deposit(13e6);
    expect(drain(b, 13e6)).toBe(5);
  });

  it('with minPerSecond only, retries are capped at minPerSecond × ttl per window', () => {
    const b = new RetryBudget(0, 10, 1e6);
    expect(drain(b, 0)).toBe(10);
    expect(drain(b, 2e6)).toBe(10);
  });
});

describe('retry policy', () => {
  const p = retriesSchema.parse({ max: 2 });
  it('retries 5xx, timeouts and connect errors by default, not 429 or 4xx', () => {
    expect(mayRetry(p, 503, 'x', 0, true)).toBe(true);
    expect(mayRetry(p, 0, 'timeout', 1, true)).toBe(true);
    expect(mayRetry(p, 0, 'connect-error', 0, true)).toBe(true);
    expect(mayRetry(p, 429, 'x', 0, true)).toBe(false);
    expect(mayRetry(p, 404, 'x', 0, true)).toBe(false);
    expect(mayRetry(p, 0, 'cors-blocked', 0, true)).toBe(false);
  });
  it('stops at max and skips non-idempotent requests', () => {
    expect(mayRetry(p, 503, 'x', 2, true)).toBe(false);
    expect(mayRetry(p, 503, 'x', 0, false)).toBe(false);
    const any = retriesSchema.parse({ onlyIdempotent: false, on: ['429'] });
    expect(mayRetry(any, 429, 'x', 0, false)).toBe(true);
  });
});
