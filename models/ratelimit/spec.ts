import { z } from 'zod';
import { duration, positiveInt, rate } from '../core/units.ts';
import type { LimiterAlgorithm } from './algorithm.ts';
import { AdaptiveConcurrency } from './algorithms/adaptive-concurrency.ts';
import { ConcurrencyLimit } from './algorithms/concurrency.ts';
import { FixedWindow } from './algorithms/fixed-window.ts';
import { Gcra } from './algorithms/gcra.ts';
import { LeakyMeter } from './algorithms/leaky-meter.ts';
import { LeakyQueue } from './algorithms/leaky-queue.ts';
import { SlidingCounter } from './algorithms/sliding-counter.ts';
import { SlidingLog } from './algorithms/sliding-log.ts';
import { TokenBucket } from './algorithms/token-bucket.ts';
import { TokenBucketTick } from './algorithms/token-bucket-tick.ts';

const windowed = <N extends string>(name: N, what: string) =>
  z.strictObject({
    algorithm: z.literal(name),
    limit: positiveInt().describe(`requests per window (${what})`),
    window: duration().describe('window length'),
  });

/** One algorithm and its parameters as written in a scenario (human units). */
export const algorithmSpec = () =>
  z.discriminatedUnion('algorithm', [
    windowed('fixed-window', 'counter per aligned window'),
    windowed('sliding-log', 'exact, any window of this length'),
    windowed('sliding-counter', 'two-window weighted estimate'),
    z.strictObject({
      algorithm: z.literal('token-bucket'),
      rate: rate().describe('refill rate (continuous)'),
      burst: positiveInt().describe('bucket capacity in requests'),
    }),
    z.strictObject({
      algorithm: z.literal('token-bucket-tick'),
      burst: positiveInt().describe('max_tokens'),
      interval: duration().describe('fill_interval'),
      tokensPerFill: positiveInt().default(1).describe('tokens_per_fill'),
    }),
    z.strictObject({
      algorithm: z.literal('leaky-meter'),
      rate: rate().describe('limit_req_zone rate'),
      burst: z.number().int().min(0).default(0).describe('limit_req burst'),
      nodelay: z.boolean().default(false).describe('limit_req nodelay'),
      delay: z.number().int().min(0).default(0).describe('limit_req delay=N'),
    }),
    z.strictObject({
      algorithm: z.literal('leaky-queue'),
      rate: rate().describe('drain rate'),
      capacity: positiveInt().describe('requests that may wait'),
    }),
    z.strictObject({
      algorithm: z.literal('gcra'),
      rate: rate().describe('count / period'),
      maxBurst: z.number().int().min(0).default(0).describe('max_burst (limit = maxBurst + 1)'),
    }),
    z.strictObject({
      algorithm: z.literal('adaptive-concurrency'),
      initial: positiveInt().default(20).describe('starting concurrency limit'),
      min: positiveInt().default(1).describe('lowest limit'),
      max: positiveInt().default(1000).describe('highest limit'),
      backoff: z
        .number()
        .gt(0)
        .lt(1)
        .default(0.9)
        .describe('the limit is multiplied by this on a drop (AIMD)'),
      timeout: duration().default(1_000_000).describe('slower responses count as drops'),
    }),
    z.strictObject({
      algorithm: z.literal('concurrency'),
      limit: positiveInt().describe('limit_conn: requests of one key in flight at once'),
    }),
  ]);

/** A parsed algorithm spec (µs and per-second units). */
export type AlgorithmSpec = z.output<ReturnType<typeof algorithmSpec>>;

/** The algorithm names, in documentation order. */
export const ALGORITHM_NAMES = [
  'fixed-window',
  'sliding-log',
  'sliding-counter',
  'token-bucket',
  'token-bucket-tick',
  'leaky-meter',
  'leaky-queue',
  'gcra',
  'adaptive-concurrency',
  'concurrency',
] as const;

/** Builds the algorithm for a parsed spec. */
export function createAlgorithm(spec: AlgorithmSpec): LimiterAlgorithm {
  switch (spec.algorithm) {
    case 'fixed-window':
      return new FixedWindow(spec);
    case 'sliding-log':
      return new SlidingLog(spec);
    case 'sliding-counter':
      return new SlidingCounter(spec);
    case 'token-bucket':
      return new TokenBucket(spec);
    case 'token-bucket-tick':
      return new TokenBucketTick(spec);
    case 'leaky-meter':
      return new LeakyMeter({
        rate: spec.rate,
        burst: spec.burst,
        delay: spec.nodelay ? Number.POSITIVE_INFINITY : spec.delay,
      });
    case 'leaky-queue':
      return new LeakyQueue(spec);
    case 'gcra':
      return new Gcra({ count: spec.rate, period: 1_000_000, maxBurst: spec.maxBurst });
    case 'adaptive-concurrency':
      return new AdaptiveConcurrency(spec);
    case 'concurrency':
      return new ConcurrencyLimit(spec);
  }
}
