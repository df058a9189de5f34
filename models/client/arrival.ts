import { z } from 'zod';
import type { Rng, SimTime } from '../../engine/index.ts';
import { duration, durationOrZero, nonNegativeInt, rate } from '../core/units.ts';
import type { Method } from '../http/messages.ts';
import { replayFileFields } from '../trace/replay.ts';

const rateOrZero = () => z.union([z.literal('0/s').transform(() => 0), rate()]);
const methodSchema = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const rowTime = z.union([
  z
    .number()
    .min(0)
    .transform((s) => Math.round(s * 1e6)),
  durationOrZero(),
]);

/** One replayed request: [time (seconds or "1.5s"), method, route, key, user]. */
export const replayRowSchema = z.tuple([
  rowTime,
  methodSchema,
  z.string(),
  nonNegativeInt(),
  nonNegativeInt(),
]);

/** How an open-loop client spaces its requests; rates in requests per second. */
export const arrivalSchema = z.discriminatedUnion('process', [
  z.strictObject({
    process: z.literal('poisson'),
    rate: rate().describe('mean arrivals (exponential gaps)'),
  }),
  z.strictObject({
    process: z.literal('constant'),
    rate: rate().describe('arrivals at equal gaps'),
  }),
  z.strictObject({
    process: z.literal('on-off'),
    rate: rate().describe('Poisson rate while on'),
    on: duration(),
    off: duration(),
  }),
  z.strictObject({
    process: z.literal('schedule'),
    points: z
      .array(z.tuple([durationOrZero(), rateOrZero()]))
      .min(1)
      .refine((p) => p.every((pt, i) => i === 0 || pt[0] > p[i - 1]![0]), {
        error: 'schedule points must have increasing times',
      })
      .describe('piecewise-linear rate: [["0s","100/s"],["60s","300/s"]]; flat after the last'),
  }),
  z
    .strictObject({
      process: z.literal('replay'),
      rows: z
        .array(replayRowSchema)
        .refine((r) => r.every((row, i) => i === 0 || row[0] >= r[i - 1]![0]), {
          error: 'replay rows must be sorted by time',
        })
        .optional()
        .describe('inline requests (or give a trace file)'),
      ...replayFileFields,
    })
    .superRefine((v, ctx) => {
      if ((v.rows === undefined) === (v.file === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message: 'replay needs either rows or a trace file',
          path: [],
        });
      } else if (v.file !== undefined && v.format === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'replaying a trace file needs a format (csv, combined, oracle-general)',
          path: ['format'],
        });
      }
    }),
]);
/** A parsed arrival process. */
export type ArrivalConfig = z.output<typeof arrivalSchema>;
/** A parsed replay row: [µs, method, route, key, user]. */
export type ReplayRow = readonly [SimTime, Method, string, number, number];

/** The arrival rate (per second, before the load factor) of a schedule at time `t` µs. */
export function scheduleRate(points: readonly (readonly [number, number])[], t: SimTime): number {
  const first = points[0]!;
  if (t <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const b = points[i]!;
    if (t <= b[0]) {
      const a = points[i - 1]!;
      return a[1] + ((b[1] - a[1]) * (t - a[0])) / (b[0] - a[0]);
    }
  }
  return points[points.length - 1]![1];
}

function exp(rng: Rng, perSecond: number): number {
  return (-Math.log(1 - rng.next()) / perSecond) * 1e6;
}

/**
 * The time of the next arrival after `now` (µs since the client started), or Infinity when
 * none will come. Replay is handled by the caller (its times come from the rows).
 * Schedules use thinning (Lewis & Shedler): candidates at the peak rate, kept with
 * probability rate(t)/peak, which is exact for a non-homogeneous Poisson process.
 */
export function nextArrival(
  config: Exclude<ArrivalConfig, { process: 'replay' }>,
  now: SimTime,
  factor: number,
  rng: Rng,
): number {
  switch (config.process) {
    case 'poisson':
      return now + exp(rng, config.rate * factor);
    case 'constant':
      return now + 1e6 / (config.rate * factor);
    case 'on-off': {
      const cycle = config.on + config.off;
      let t = now;
      for (;;) {
        const phase = t % cycle;
        if (phase >= config.on) {
          t += cycle - phase;
          continue;
        }
        const onEnd = t - phase + config.on;
        const candidate = t + exp(rng, config.rate * factor);
        if (candidate < onEnd) return candidate;
        t = onEnd; // memoryless: continue from the start of the next on period
      }
    }
    case 'schedule': {
      let peak = 0;
      for (const p of config.points) peak = Math.max(peak, p[1]);
      peak *= factor;
      const last = config.points[config.points.length - 1]!;
      let t = now;
      for (;;) {
        const current = scheduleRate(config.points, t) * factor;
        if (t >= last[0]) return current > 0 ? t + exp(rng, current) : Number.POSITIVE_INFINITY;
        if (peak <= 0) return Number.POSITIVE_INFINITY;
        t += exp(rng, peak);
        if (rng.next() * peak < scheduleRate(config.points, t) * factor) return t;
      }
    }
  }
}
