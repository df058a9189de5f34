import { z } from 'zod';
import { duration, nonNegativeInt } from '../core/units.ts';
import { backoffSchema, jitterSchema } from './backoff.ts';

/** Attempt outcomes a retry policy may retry on. */
export const retryOnSchema = z.enum(['5xx', '429', 'timeout', 'connect-error']);
/** One retryable outcome class. */
export type RetryOn = z.output<typeof retryOnSchema>;

/** A Finagle/Envoy-style retry budget: retries ≤ ratio × requests + minPerSecond × ttl. */
export const budgetSchema = z.strictObject({
  ratio: z.number().min(0).max(10).default(0.2).describe('retries per request (Finagle 0.2)'),
  minPerSecond: z.number().min(0).default(10).describe('retries always allowed per second'),
  ttl: duration().default(10_000_000).describe('window over which deposits count (Finagle 10s)'),
});

/** The client's retry policy; omitted in the config means no retries. */
export const retriesSchema = z.strictObject({
  max: nonNegativeInt(100).default(2).describe('retries after the first attempt'),
  on: z
    .array(retryOnSchema)
    .default(['5xx', 'timeout', 'connect-error'])
    .describe('which failures are retried'),
  onlyIdempotent: z.boolean().default(true).describe('retry only idempotent requests'),
  backoff: backoffSchema.prefault({}).describe('wait between attempts'),
  jitter: jitterSchema.default('full').describe('randomisation of the backoff (AWS: full)'),
  honourRetryAfter: z.boolean().default(true).describe('sleep at least Retry-After'),
  budget: budgetSchema.optional().describe('cap retries to a share of requests; omitted: none'),
});
/** A parsed retry policy. */
export type RetryConfig = z.output<typeof retriesSchema>;

/** The retry class of an attempt outcome, or undefined when no policy could retry it. */
export function outcomeClass(status: number, reason: string): RetryOn | undefined {
  if (status >= 500) return '5xx';
  if (status === 429) return '429';
  if (status === 0 && reason === 'timeout') return 'timeout';
  // Envoy's connect-failure and reset together: refused, reset or a handshake that gave up
  if (status === 0 && (reason === 'connect-error' || reason === 'connection-reset'))
    return 'connect-error';
  return undefined;
}

/** Whether the policy allows another attempt after attempt number `attempt` (0 = first). */
export function mayRetry(
  policy: RetryConfig | undefined,
  status: number,
  reason: string,
  attempt: number,
  idempotent: boolean,
): boolean {
  if (policy === undefined || attempt >= policy.max) return false;
  if (policy.onlyIdempotent && !idempotent) return false;
  const cls = outcomeClass(status, reason);
  return cls !== undefined && policy.on.includes(cls);
}
