import { createStream } from '../../../engine/index.ts';
import type { TraceSource } from '../../trace/record.ts';
import { createOptPolicy, createPolicy } from '../policies/index.ts';
import type { CacheKey, EvictionPolicy } from '../policy.ts';
import type { CurvePolicy } from './spec.ts';
import { StackDistanceLru } from './stack-distance.ts';

/** One point of a miss-ratio curve. */
export interface CurvePoint {
  readonly policy: string;
  /** The size as the user wrote it (e.g. "1%"). */
  readonly sizeLabel: string;
  /** Cache size on the full trace, in objects or bytes. */
  readonly cacheSize: number;
  /** Requests simulated (after sampling). */
  readonly requests: number;
  readonly misses: number;
  readonly missRatio: number;
  /** Bytes requested and missed (equal to the counts with ignoreSize). */
  readonly bytes: number;
  readonly missBytes: number;
  readonly byteMissRatio: number;
}

/** What to run: policies × sizes (already resolved to objects or bytes). */
export interface CurvePlan {
  readonly policies: readonly CurvePolicy[];
  /** Resolved sizes, ascending, with their labels. */
  readonly sizes: readonly { readonly label: string; readonly value: number }[];
  /** Sizes are object counts and every object weighs 1. */
  readonly ignoreSize: boolean;
  /** The sample rate the trace was read with (cache sizes are scaled by it), 1 when whole. */
  readonly sampleRate: number;
  /** Seed of the randomised policies' streams. */
  readonly seed: number;
  /** Key sequence of the (sampled) trace, required when a policy is OPT. */
  readonly keys?: ArrayLike<CacheKey>;
  /** Compute LRU by stack distance in one pass instead of one simulation per size. */
  readonly onePassLru: boolean;
}

interface Lane {
  readonly policy: string;
  readonly label: string;
  readonly cacheSize: number;
  readonly cache: EvictionPolicy;
  misses: number;
  missBytes: number;
}

function scaled(size: number, rate: number): number {
  return Math.max(1, Math.round(size * rate));
}

/**
 * Runs every policy at every size over the trace in one read: each request is looked up in each
 * cache and admitted on a miss. LRU (when onePassLru) is computed for all sizes at once by
 * stack distance. Sizes are scaled by the sample rate. Deterministic: same trace, plan ⇒ same
 * points.
 */
export function runCurve(source: TraceSource, plan: CurvePlan): CurvePoint[] {
  const lanes: Lane[] = [];
  let lru: { spec: CurvePolicy; sd: StackDistanceLru } | undefined;
  for (const spec of plan.policies) {
    if (spec.name === 'lru' && plan.onePassLru && lru === undefined) {
      const sizes = plan.sizes.map((s) => scaled(s.value, plan.sampleRate));
      if (sizes.every((v, i) => i === 0 || v > sizes[i - 1]!)) {
        lru = { spec, sd: new StackDistanceLru(sizes, { unitWeights: plan.ignoreSize }) };
        continue;
      }
    }
    for (const size of plan.sizes) {
      const capacity = scaled(size.value, plan.sampleRate);
      const options = plan.ignoreSize
        ? { capacity, rng: createStream(plan.seed, 'cache-curve', `${spec.label}@${size.label}`) }
        : {
            capacityBytes: capacity,
            rng: createStream(plan.seed, 'cache-curve', `${spec.label}@${size.label}`),
          };
      let cache: EvictionPolicy;
      if (spec.name === 'opt') {
        if (plan.keys === undefined) throw new RangeError('opt needs the trace keys in the plan');
        cache = createOptPolicy(options, plan.keys, spec.tuning);
      } else cache = createPolicy(spec.name, options, spec.tuning);
      lanes.push({
        policy: spec.label,
        label: size.label,
        cacheSize: size.value,
        cache,
        misses: 0,
        missBytes: 0,
      });
    }
  }
  let requests = 0;
  let bytes = 0;
  const n = lanes.length;
  const sd = lru?.sd;
  for (let r = source.next(); r !== undefined; r = source.next()) {
    const key = r.key;
    const size = plan.ignoreSize ? 1 : r.size;
    requests++;
    bytes += size;
    if (sd !== undefined) sd.access(key, size);
    for (let i = 0; i < n; i++) {
      const lane = lanes[i]!;
      if (!lane.cache.get(key)) {
        lane.misses++;
        lane.missBytes += size;
        lane.cache.admit(key, size);
      }
    }
  }
  const point = (
    policy: string,
    label: string,
    cacheSize: number,
    misses: number,
    missBytes: number,
  ): CurvePoint => ({
    policy,
    sizeLabel: label,
    cacheSize,
    requests,
    misses,
    missRatio: requests === 0 ? 0 : misses / requests,
    bytes,
    missBytes,
    byteMissRatio: bytes === 0 ? 0 : missBytes / bytes,
  });
  const out: CurvePoint[] = [];
  for (const spec of plan.policies) {
    if (lru !== undefined && spec === lru.spec) {
      const misses = lru.sd.misses();
      const missBytes = lru.sd.missWeights();
      plan.sizes.forEach((s, i) => {
        out.push(point(spec.label, s.label, s.value, misses[i]!, missBytes[i]!));
      });
      continue;
    }
    for (const lane of lanes)
      if (lane.policy === spec.label)
        out.push(point(lane.policy, lane.label, lane.cacheSize, lane.misses, lane.missBytes));
  }
  return out;
}
