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
      z.strictObject({ dist: z.literal('constant'), value: durationOrZero() }),
      z.strictObject({ dist: z.literal('exponential'), mean: duration() }),
      z.strictObject({ dist: z.literal('uniform'), min: durationOrZero(), max: duration() }),
      z.strictObject({ dist: z.literal('normal'), mean: duration(), sd: durationOrZero() }),
      z
        .strictObject({
          dist: z.literal('lognormal'),
          mean: duration().optional(),
          cv: positive('cv').optional(),
          p50: duration().optional(),
          p99: duration().optional(),
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
      z.strictObject({ dist: z.literal('gamma'), shape: positive('shape'), mean: duration() }),
      z.strictObject({ dist: z.literal('erlang'), k: z.number().int().min(1), mean: duration() }),
      z.strictObject({ dist: z.literal('pareto'), min: duration(), alpha: positive('alpha') }),
      z.strictObject({ dist: z.literal('weibull'), shape: positive('shape'), scale: duration() }),
      z.strictObject({ dist: z.literal('empirical'), samples: z.array(durationOrZero()).min(1) }),
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
