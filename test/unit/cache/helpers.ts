import { createStream, zipf } from '../../../engine/index.ts';
import {
  createOptPolicy,
  createPolicy,
  POLICY_NAMES,
  type PolicyName,
} from '../../../models/cache/policies/index.ts';
import type { CacheKey, EvictionPolicy, PolicyOptions } from '../../../models/cache/policy.ts';

/** An IRM Zipf trace from the engine's zipf sampler. */
export function zipfTrace(n: number, s: number, length: number, seed = 1): Float64Array {
  const rng = createStream(seed, 'trace', 'zipf');
  const z = zipf(n, s);
  const t = new Float64Array(length);
  for (let i = 0; i < length; i++) t[i] = z.sample(rng);
  return t;
}

/** Builds the named policy with a fixed rng (and OPT over `trace`). */
export function build(
  name: PolicyName | 'opt',
  options: PolicyOptions,
  trace: ArrayLike<CacheKey> = [],
): EvictionPolicy {
  const rng = createStream(7, 'policy', name);
  if (name === 'opt') return createOptPolicy(options, trace);
  return createPolicy(name, { ...options, rng });
}

/** Every policy name including the OPT oracle. */
export const ALL_POLICIES: readonly (PolicyName | 'opt')[] = [...POLICY_NAMES, 'opt'];
