import { gammaFunction } from '../math/special.ts';
import type { Rng } from '../rng.ts';
import { type Distribution, requirePositive, unitExponential } from './distribution.ts';

/**
 * Pareto (type I) with minimum `xm` and tail index `alpha`. The mean is Infinity for alpha <= 1
 * and the variance Infinity for alpha <= 2; draws are finite (capped at Number.MAX_VALUE).
 */
export function pareto(xm: number, alpha: number): Distribution {
  requirePositive('pareto', 'xm', xm);
  requirePositive('pareto', 'alpha', alpha);
  const mean = alpha > 1 ? (alpha * xm) / (alpha - 1) : Number.POSITIVE_INFINITY;
  const variance =
    alpha > 2
      ? (xm * xm * alpha) / ((alpha - 1) * (alpha - 1) * (alpha - 2))
      : Number.POSITIVE_INFINITY;
  return {
    name: `pareto(xm=${xm}, alpha=${alpha})`,
    mean,
    variance,
    sample: (rng: Rng) => Math.min(Number.MAX_VALUE, xm * Math.exp(unitExponential(rng) / alpha)),
  };
}

/** Weibull with the given shape k (> 0) and scale λ (> 0): λ (-ln(1-u))^(1/k). */
export function weibull(shape: number, scale: number): Distribution {
  requirePositive('weibull', 'shape', shape);
  requirePositive('weibull', 'scale', scale);
  const g1 = gammaFunction(1 + 1 / shape);
  const g2 = gammaFunction(1 + 2 / shape);
  const invShape = 1 / shape;
  return {
    name: `weibull(shape=${shape}, scale=${scale})`,
    mean: scale * g1,
    variance: Number.isFinite(g2)
      ? scale * scale * Math.max(0, g2 - g1 * g1)
      : Number.POSITIVE_INFINITY,
    sample: (rng: Rng) => Math.min(Number.MAX_VALUE, scale * unitExponential(rng) ** invShape),
  };
}
