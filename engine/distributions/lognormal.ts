import { normalQuantileFast } from '../math/special.ts';
import type { Rng } from '../rng.ts';
import {
  type Distribution,
  DistributionError,
  openUnit,
  requireNonNegative,
  requirePositive,
} from './distribution.ts';

/** z such that Φ(z) = 0.99. */
const Z99 = 2.3263478740408408;

function fromLogParams(name: string, mu: number, sigma: number): Distribution {
  const s2 = sigma * sigma;
  const mean = Math.exp(mu + s2 / 2);
  return {
    name,
    mean,
    variance: Math.expm1(s2) * mean * mean,
    sample: (rng: Rng) => Math.exp(mu + sigma * normalQuantileFast(openUnit(rng))),
  };
}

/** Parameters of {@link lognormal}: the mean and coefficient of variation (sd / mean). */
export interface LognormalParams {
  /** The mean (> 0). */
  readonly mean: number;
  /** The coefficient of variation sd/mean (>= 0; 0 degenerates to a constant). */
  readonly cv: number;
}

/** Log-normal specified by its mean and coefficient of variation. */
export function lognormal(params: LognormalParams): Distribution {
  const { mean, cv } = params;
  requirePositive('lognormal', 'mean', mean);
  requireNonNegative('lognormal', 'cv', cv);
  const s2 = Math.log1p(cv * cv);
  return fromLogParams(`lognormal(mean=${mean}, cv=${cv})`, Math.log(mean) - s2 / 2, Math.sqrt(s2));
}

/** Parameters of {@link lognormalFromQuantiles}: the median and the 99th percentile. */
export interface LognormalQuantiles {
  /** The median (> 0). */
  readonly p50: number;
  /** The 99th percentile (> p50). */
  readonly p99: number;
}

/** Log-normal whose median is `p50` and 99th percentile is `p99` (exactly). */
export function lognormalFromQuantiles(q: LognormalQuantiles): Distribution {
  const { p50, p99 } = q;
  requirePositive('lognormalFromQuantiles', 'p50', p50);
  requirePositive('lognormalFromQuantiles', 'p99', p99);
  if (!(p99 > p50)) {
    throw new DistributionError(
      `lognormalFromQuantiles: p99 must be greater than p50, got p50=${p50} p99=${p99}`,
    );
  }
  const mu = Math.log(p50);
  return fromLogParams(`lognormal(p50=${p50}, p99=${p99})`, mu, (Math.log(p99) - mu) / Z99);
}
