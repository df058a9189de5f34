import { z } from 'zod';
import { durationDist } from '../core/dist-spec.ts';
import {
  duration,
  durationOrZero,
  nonNegativeInt,
  positiveInt,
  probability,
} from '../core/units.ts';

const status = () => z.number().int().min(100).max(599);

/**
 * CoDel on the service's queue. `rfc` is RFC 8289's control law (enter dropping when the
 * sojourn time stayed above `target` for `interval`, then drop at interval/√count); `slough` is
 * folly's variant (overloaded while the previous interval's minimum sojourn exceeded `target`;
 * while overloaded, drop every request that waited longer than 2 × target).
 */
export const codelSchema = z.strictObject({
  mode: z
    .enum(['rfc', 'slough'])
    .default('slough')
    .describe(
      'rfc: RFC 8289 control law; slough: folly Codel (drop waits > 2 × target while overloaded)',
    ),
  target: duration().default(5_000).describe('acceptable standing queue delay (CoDel: 5ms)'),
  interval: duration().default(100_000).describe('window for the minimum delay (CoDel: 100ms)'),
});
/** A parsed CoDel config. */
export type CodelConfig = z.output<typeof codelSchema>;

/** Queue discipline and shedding of the `service` component. */
export const serviceQueueSchema = z.strictObject({
  discipline: z
    .enum(['fifo', 'lifo', 'adaptive-lifo'])
    .default('fifo')
    .describe(
      'adaptive-lifo: newest first while the queue is longer than lifoAbove (Fail at Scale)',
    ),
  lifoAbove: nonNegativeInt()
    .default(0)
    .describe('adaptive-lifo: queue length above which LIFO serves'),
  limit: nonNegativeInt()
    .optional()
    .describe('queue capacity; a request finding it full gets 503; omitted: unbounded'),
  timeout: duration()
    .optional()
    .describe('drop a request that waited longer than this (503 at dequeue)'),
  dropExpired: z
    .boolean()
    .default(false)
    .describe('drop at dequeue a request whose caller already gave up (its deadline passed)'),
  codel: codelSchema.optional().describe('CoDel shedding; omitted: none'),
  priority: z
    .array(z.string())
    .optional()
    .describe(
      'request class names, most important first; queued requests are served by class, and a full queue sheds the least important queued one',
    ),
});
/** A parsed queue config. */
export type ServiceQueueConfig = z.output<typeof serviceQueueSchema>;

/**
 * A generic service for resilience studies: a service time that may grow with the number of
 * requests in service (Brooker: 1 s + 0.01 s per request in flight), an optional concurrency
 * limit with a queue and its discipline and shedding, and a per-request failure probability.
 * It keeps serving work whose caller has gone unless told otherwise, and counts that work.
 */
export const serviceSchema = z.strictObject({
  service: durationDist().default(10_000).describe('base service time of one request'),
  perInFlight: durationOrZero()
    .default(0)
    .describe(
      'added to the service time per request in service when it starts, itself included (Brooker: 10ms)',
    ),
  concurrency: positiveInt()
    .optional()
    .describe('requests served at once; more wait in the queue; omitted: unlimited'),
  queue: serviceQueueSchema.prefault({}).describe('queue discipline and shedding'),
  errorProbability: probability().default(0).describe('chance a served request fails'),
  errorStatus: status().default(500).describe('status of such a failure'),
  shedStatus: status().default(503).describe('status of a shed, expired or refused request'),
  cancelOnDeadline: z
    .boolean()
    .default(false)
    .describe('stop serving a request when its caller’s deadline passes (frees the slot at once)'),
});
/** A parsed service config. */
export type ServiceConfig = z.output<typeof serviceSchema>;
