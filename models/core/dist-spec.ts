import { z } from 'zod';
import {
  constant,
  type Distribution,
  empirical,
  erlang,
  exponential,
  gamma,
  lognormal,
  lognormalFromQuantiles,
  normal,
  pareto,
  uniform,
  weibull,
} from '../../engine/index.ts';
import { duration, durationOrZero } from './units.ts';

const positive = (what: string) =>
  z.number({ error: `expected a number (${what})` }).positive({ error: `expected ${what} > 0` });

/** The `dist` key naming a family. */
const DIST = <T extends string>(family: T) => z.literal(family).describe('the distribution family');
const MEAN = 'mean value';

/**
 * A duration distribution as written in a scenario: a plain duration ("20ms") is a constant;
 * an object names the family by `dist` and gives its parameters in human units.
 */
export const durationDist = () => {
  durationDistSchema ??= buildDurationDistSchema();
  return durationDistSchema;
};

// Built once: zod schemas are immutable (describe/optional/default return new ones), and the
// scenario format uses this one in about 20 places, which cost start-up time when each built
// its own copy.
let durationDistSchema: ReturnType<typeof buildDurationDistSchema> | undefined;

const buildDurationDistSchema = () =>
  z.union([
    durationOrZero(),
    z.discriminatedUnion('dist', [
      z.strictObject({
        dist: DIST('constant'),
        value: durationOrZero().describe('the fixed value'),
      }),
      z.strictObject({ dist: DIST('exponential'), mean: duration().describe(MEAN) }),
      z.strictObject({
        dist: DIST('uniform'),
        min: durationOrZero().describe('smallest value'),
        max: duration().describe('largest value'),
      }),
      z.strictObject({
        dist: DIST('normal'),
        mean: duration().describe(MEAN),
        sd: durationOrZero().describe('standard deviation (samples below zero are cut at zero)'),
      }),
      z
        .strictObject({
          dist: DIST('lognormal'),
          mean: duration().optional().describe(`${MEAN} (with cv)`),
          cv: positive('cv').optional().describe('coefficient of variation, sd / mean (with mean)'),
          p50: duration().optional().describe('median (with p99)'),
          p99: duration().optional().describe('99th percentile (with p50)'),
        })
        .refine(
          (s) =>
            (s.mean !== undefined &&
              s.cv !== undefined &&
              s.p50 === undefined &&
              s.p99 === undefined) ||
            (s.p50 !== undefined &&
              s.p99 !== undefined &&
              s.mean === undefined &&
              s.cv === undefined),
          { error: 'a lognormal takes either mean and cv, or p50 and p99' },
        ),
      z.strictObject({
        dist: DIST('gamma'),
        shape: positive('shape').describe('shape k; cv = 1/√k'),
        mean: duration().describe(MEAN),
      }),
      z.strictObject({
        dist: DIST('erlang'),
        k: z.number().int().min(1).describe('number of exponential phases; cv = 1/√k'),
        mean: duration().describe(MEAN),
      }),
      z.strictObject({
        dist: DIST('pareto'),
        min: duration().describe('scale: the smallest value'),
        alpha: positive('alpha').describe('tail index; the mean is finite only for alpha > 1'),
      }),
      z.strictObject({
        dist: DIST('weibull'),
        shape: positive('shape').describe('shape k (1 = exponential)'),
        scale: duration().describe('scale λ'),
      }),
      z.strictObject({
        dist: DIST('empirical'),
        samples: z
          .array(durationOrZero())
          .min(1)
          .describe('observed values, drawn uniformly at random'),
      }),
    ]),
  ]);

/** A parsed duration distribution (values in µs). */
export type DurationDistSpec = z.output<ReturnType<typeof durationDist>>;

/** Builds the engine distribution (in µs) for a parsed spec. Parameters are validated by the engine. */
export function buildDurationDist(spec: DurationDistSpec): Distribution {
  if (typeof spec === 'number') return constant(spec);
  switch (spec.dist) {
    case 'constant':
      return constant(spec.value);
    case 'exponential':
      return exponential(spec.mean);
    case 'uniform':
      return uniform(spec.min, spec.max);
    case 'normal':
      return normal(spec.mean, spec.sd, { truncateAtZero: true });
    case 'lognormal':
      return spec.mean !== undefined && spec.cv !== undefined
        ? lognormal({ mean: spec.mean, cv: spec.cv })
        : lognormalFromQuantiles({ p50: spec.p50 ?? 0, p99: spec.p99 ?? 0 });
    case 'gamma':
      return gamma(spec.shape, spec.mean / spec.shape);
    case 'erlang':
      return erlang(spec.k, spec.mean);
    case 'pareto':
      return pareto(spec.min, spec.alpha);
    case 'weibull':
      return weibull(spec.shape, spec.scale);
    case 'empirical':
      return empirical(spec.samples);
  }
}
