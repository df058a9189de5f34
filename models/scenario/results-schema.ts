import { z } from 'zod';

/** A finite number ≥ 0 (counts, rates, seconds): NaN, ±Infinity and negatives are rejected. */
const nonNegative = () => z.number().finite().min(0);
/** A whole count ≥ 0. */
const count = () => z.number().int().min(0);
/** A record of finite non-negative numbers. */
const numbers = () => z.record(z.string(), nonNegative());

/** Latency summary in seconds (models/scenario/results.ts LatencySummary). */
export const latencySummarySchema = z.strictObject({
  count: count(),
  mean: nonNegative(),
  p50: nonNegative(),
  p90: nonNegative(),
  p99: nonNegative(),
  p999: nonNegative(),
  max: nonNegative(),
});

const gaugeSchema = z.strictObject({ mean: nonNegative(), max: nonNegative() });

/** One component's results (ComponentResult). */
export const componentResultSchema = z.strictObject({
  type: z.string().min(1),
  replicas: z.number().int().min(1),
  arrivals: count(),
  completions: count(),
  byStatus: z.record(z.string().regex(/^(0|[1-5]\d\d)$/), count()), // 0: no response (timeout)
  latency: latencySummarySchema,
  throughput: nonNegative(),
  utilisation: nonNegative().max(1 + 1e-9),
  queue: gaugeSchema,
  inSystem: gaugeSchema.extend({
    /** k − 1 ↦ share of time a replica held at least k requests (k = 1 … 16). */
    atLeast: z.array(nonNegative().max(1 + 1e-9)).max(16),
  }),
  counters: numbers(),
  ratios: numbers(),
  breakdown: z
    .record(z.string(), z.strictObject({ mean: nonNegative(), p99: nonNegative() }))
    .optional(),
  recovery: z
    .array(
      z.strictObject({
        fault: z.string(),
        faultEnd: nonNegative(),
        baselineP99: nonNegative(),
        baselineErrorRatio: nonNegative().max(1),
        bandP99: nonNegative(),
        bandErrorRatio: nonNegative(),
        seconds: nonNegative().nullable(),
        recovered: z.union([z.literal(0), z.literal(1)]),
        endedGood: z.union([z.literal(0), z.literal(1)]),
        resolution: nonNegative(),
      }),
    )
    .optional(),
  /** Component-specific summaries (ProbeExtras, e.g. the rate limiter's); numbers checked apart. */
  extras: z.record(z.string(), z.unknown()).optional(),
});

/** One replication's results (RunResult, models/scenario/build.ts). */
export const runResultSchema = z.strictObject({
  scenario: z.string(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  duration: nonNegative(),
  warmup: nonNegative(),
  completed: z.boolean(),
  stoppedBy: z.enum(['until', 'empty', 'maxEvents', 'maxWallSeconds', 'stopped']),
  events: count(),
  fingerprint: z.string().min(1),
  components: z.record(z.string(), componentResultSchema),
});

/** A RunResult as parsed by {@link runResultSchema}. */
export type RunResultShape = z.output<typeof runResultSchema>;
