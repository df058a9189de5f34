// The distribution families, re-exported by name for engine/index.ts.
export { constant, exponential, type NormalOptions, normal, uniform } from './basic.ts';
export { type Distribution, DistributionError } from './distribution.ts';
export { empirical, empiricalCdf } from './empirical.ts';
export { erlang, gamma } from './gamma.ts';
export { pareto, weibull } from './heavy-tail.ts';
export {
  type LognormalParams,
  type LognormalQuantiles,
  lognormal,
  lognormalFromQuantiles,
} from './lognormal.ts';
export { generalizedHarmonic, zipf } from './zipf.ts';
