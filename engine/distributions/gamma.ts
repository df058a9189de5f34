import { normalQuantileFast } from '../math/special.ts';
import type { Rng } from '../rng.ts';
import { type Distribution, openUnit, requireInteger, requirePositive } from './distribution.ts';

// Marsaglia & Tsang (2000) for shape >= 1: accept d*v with v = (1 + c z)^3, z standard normal.
function standardGamma(rng: Rng, d: number, c: number): number {
  for (;;) {
    const z = normalQuantileFast(openUnit(rng));
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = openUnit(rng);
    const z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return d * v;
    if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

function makeGamma(name: string, shape: number, scale: number): Distribution {
  // For shape < 1, draw Gamma(shape + 1) and multiply by u^(1/shape).
  const boosted = shape < 1;
  const d = (boosted ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const invShape = 1 / shape;
  return {
    name,
    mean: shape * scale,
    variance: shape * scale * scale,
    sample: (rng: Rng) => {
      const g = standardGamma(rng, d, c);
      return scale * (boosted ? g * openUnit(rng) ** invShape : g);
    },
  };
}

/** Gamma with the given shape (> 0) and scale (> 0); mean = shape * scale. */
export function gamma(shape: number, scale: number): Distribution {
  requirePositive('gamma', 'shape', shape);
  requirePositive('gamma', 'scale', scale);
  return makeGamma(`gamma(shape=${shape}, scale=${scale})`, shape, scale);
}

/** Erlang: the sum of k exponential phases with total mean `mean`; a gamma with integer shape. */
export function erlang(k: number, mean: number): Distribution {
  requireInteger('erlang', 'k', k, 1);
  requirePositive('erlang', 'mean', mean);
  return makeGamma(`erlang(k=${k}, mean=${mean})`, k, mean / k);
}
