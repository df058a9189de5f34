import type { Rng } from '../rng.ts';

/**
 * A probability distribution over numbers: `sample` draws one value from a caller-supplied
 * stream; `mean` and `variance` are the exact theoretical moments (Infinity when they diverge).
 */
export interface Distribution {
  /** Draws one value; never NaN. */
  sample(rng: Rng): number;
  /** The theoretical mean of the distribution. */
  readonly mean: number;
  /** The theoretical variance of the distribution. */
  readonly variance: number;
  /** A short description with the parameters, e.g. `exponential(mean=5)`. */
  readonly name: string;
}

/** Thrown by a distribution constructor when a parameter is invalid; names the parameter. */
export class DistributionError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'DistributionError';
  }
}

/** Throws unless `value` is a finite number. */
export function requireFinite(dist: string, param: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DistributionError(`${dist}: ${param} must be a finite number, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(dist: string, param: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new DistributionError(
      `${dist}: ${param} must be a positive finite number, got ${String(value)}`,
    );
  }
}

/** Throws unless `value` is a finite number >= 0. */
export function requireNonNegative(dist: string, param: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new DistributionError(
      `${dist}: ${param} must be a non-negative finite number, got ${String(value)}`,
    );
  }
}

/** Throws unless `value` is an integer in [min, 2^53). */
export function requireInteger(dist: string, param: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DistributionError(
      `${dist}: ${param} must be an integer >= ${min}, got ${String(value)}`,
    );
  }
}

const HALF_GRAIN = 2 ** -33;

/** A uniform draw in the open interval (0, 1): a 0 from the stream becomes 2^-33. */
export function openUnit(rng: Rng): number {
  const u = rng.next();
  return u > 0 ? u : HALF_GRAIN;
}

/** A unit-mean exponential draw, -ln(1 - u); finite because u < 1. */
export function unitExponential(rng: Rng): number {
  return -Math.log(1 - rng.next());
}
