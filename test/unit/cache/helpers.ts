import { createStream } from '../../../engine/index.ts';
import {
  createOptPolicy,
  createPolicy,
  POLICY_NAMES,
  type PolicyName,
} from '../../../models/cache/policies/index.ts';
import type { CacheKey, EvictionPolicy, PolicyOptions } from '../../../models/cache/policy.ts';

/** An IRM Zipf trace from the engine's zipf sampler (shared with the contract suite). */
export { zipfTrace } from '../../../testing/contracts/cache-policy.ts';

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
