import { z } from 'zod';
import { duration, positiveInt } from '../core/units.ts';

const percentage = () => z.number().gt(0).max(100);

/**
 * resilience4j's CircuitBreakerConfig, with its names and defaults: a count- or time-based
 * sliding window, failure-rate and slow-call-rate thresholds (percent), the minimum number of
 * calls before they apply, the wait in the open state and the calls permitted in half-open.
 */
export const breakerPolicySchema = z.strictObject({
  slidingWindowType: z
    .enum(['COUNT_BASED', 'TIME_BASED'])
    .default('COUNT_BASED')
    .describe(
      'the last slidingWindowSize calls, or the calls of the last slidingWindowSize seconds',
    ),
  slidingWindowSize: positiveInt(100_000)
    .default(100)
    .describe('calls (COUNT_BASED) or seconds (TIME_BASED) in the window (resilience4j: 100)'),
  minimumNumberOfCalls: positiveInt()
    .default(100)
    .describe('calls the window needs before the rates are judged (resilience4j: 100)'),
  failureRateThreshold: percentage()
    .default(50)
    .describe('open when this percentage of the window’s calls failed (resilience4j: 50)'),
  slowCallRateThreshold: percentage()
    .default(100)
    .describe('open when this percentage of the window’s calls were slow (resilience4j: 100)'),
  slowCallDurationThreshold: duration()
    .default(60_000_000)
    .describe('a call longer than this is slow (resilience4j: 60s)'),
  waitDurationInOpenState: duration()
    .default(60_000_000)
    .describe('time open before calls are let through again (resilience4j: 60s)'),
  permittedNumberOfCallsInHalfOpenState: positiveInt()
    .default(10)
    .describe('trial calls in half-open; their rates decide closed or open (resilience4j: 10)'),
});
/** A parsed breaker policy. */
export type BreakerPolicy = z.output<typeof breakerPolicySchema>;

/**
 * The `circuit-breaker` component: it sits in front of a service (often a group of shards),
 * forwards calls, and fails them fast with `openStatus` while its breaker is open.
 */
export const breakerComponentSchema = z.strictObject({
  upstream: z.string().min(1).describe('the component (or group of shards) calls go to'),
  route: z
    .enum(['key', 'round-robin'])
    .default('key')
    .describe('which member gets a call: key = the request key modulo the members (a shard map)'),
  placement: z
    .enum(['per-service', 'per-target'])
    .default('per-service')
    .describe('one breaker for the whole upstream, or one per member (per shard)'),
  breaker: breakerPolicySchema.prefault({}).describe('the breaker’s policy (resilience4j names)'),
  failureStatuses: z
    .enum(['5xx', '5xx-and-429'])
    .default('5xx')
    .describe('responses recorded as failures (timeouts of `timeout` always are)'),
  timeout: duration()
    .optional()
    .describe('give up on a call after this (504, a failure); omitted: never'),
  openStatus: z
    .number()
    .int()
    .min(100)
    .max(599)
    .default(503)
    .describe('status of a call refused while open'),
});
/** A parsed circuit-breaker component config. */
export type BreakerComponentConfig = z.output<typeof breakerComponentSchema>;
