import { normalPdf, normalQuantileFast, normalTail } from '../math/special.ts';
import type { Rng } from '../rng.ts';
import {
  type Distribution,
  DistributionError,
  openUnit,
  requireFinite,
  requireNonNegative,
  requirePositive,
  unitExponential,
} from './distribution.ts';

/** Always returns `value`. */
export function constant(value: number): Distribution {
  requireFinite('constant', 'value', value);
  return { name: `constant(${value})`, mean: value, variance: 0, sample: () => value };
}

/** Uniform on [min, max); min == max is allowed and degenerates to a constant. */
export function uniform(min: number, max: number): Distribution {
  requireFinite('uniform', 'min', min);
  requireFinite('uniform', 'max', max);
  if (max < min)
    throw new DistributionError(`uniform: max must be >= min, got min=${min} max=${max}`);
  const width = max - min;
  return {
    name: `uniform(${min}, ${max})`,
    mean: min + width / 2,
    variance: (width * width) / 12,
    sample: (rng: Rng) => min + width * rng.next(),
  };
}

/** Exponential with the given mean (> 0); draws are finite because -ln(1 - u) with u < 1. */
export function exponential(mean: number): Distribution {
  requirePositive('exponential', 'mean', mean);
  return {
    name: `exponential(mean=${mean})`,
    mean,
    variance: mean * mean,
    sample: (rng: Rng) => mean * unitExponential(rng),
  };
}

/** Options of {@link normal}. */
export interface NormalOptions {
  /** Condition on x >= 0 (for durations); the reported moments are those of the truncation. */
  readonly truncateAtZero?: boolean;
}

/** Largest standardized truncation point -mean/sd accepted: beyond it the tail mass underflows. */
const MAX_TRUNCATION_Z = 37;

/**
 * Normal with the given mean and standard deviation, sampled by inversion (one uniform per draw).
 * With `truncateAtZero` it is conditioned on x >= 0 by inverting within the upper tail, so no
 * draws are rejected even when mean << 0.
 */
export function normal(mean: number, sd: number, options: NormalOptions = {}): Distribution {
  requireFinite('normal', 'mean', mean);
  requireNonNegative('normal', 'sd', sd);
  const truncate = options.truncateAtZero === true;
  if (!truncate) {
    return {
      name: `normal(${mean}, ${sd})`,
      mean,
      variance: sd * sd,
      sample: (rng: Rng) => mean + sd * normalQuantileFast(openUnit(rng)),
    };
  }
  const name = `normal(${mean}, ${sd}, truncated at 0)`;
  if (sd === 0) {
    if (mean < 0)
      throw new DistributionError(
        `normal: mean must be >= 0 when sd = 0 and truncateAtZero, got ${mean}`,
      );
    return { name, mean, variance: 0, sample: () => mean };
  }
  const alpha = -mean / sd;
  if (alpha > MAX_TRUNCATION_Z) {
    throw new DistributionError(
      `normal: mean/sd must be > -${MAX_TRUNCATION_Z} when truncateAtZero (no mass above 0), got ${mean / sd}`,
    );
  }
  const tailMass = normalTail(alpha);
  const lambda = normalPdf(alpha) / tailMass;
  return {
    name,
    mean: mean + sd * lambda,
    variance: sd * sd * Math.max(0, 1 + alpha * lambda - lambda * lambda),
    sample: (rng: Rng) => {
      // v in (0, tailMass]: the upper-tail probability of the returned standard normal z >= alpha.
      const v = tailMass * (1 - rng.next());
      const z = v >= 0.5 ? normalQuantileFast(Math.max(1 - v, 2 ** -33)) : -normalQuantileFast(v);
      return Math.max(0, mean + sd * z);
    },
  };
}
