import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import { positiveInt, size } from '../core/units.ts';
import {
  createUserAlgorithm,
  type UserFactory,
  type UserModule,
  userModuleSchema,
} from '../core/user-algorithm.ts';
import {
  createOptPolicy,
  createPolicy,
  POLICY_NAMES,
  type PolicyTuning,
} from './policies/index.ts';
import type { CacheKey, EvictionPolicy } from './policy.ts';

const ratio = () => z.number().gt(0).max(1);

/** Policy tuning a scenario may set (each policy reads its own keys; see docs/models/caching.md). */
export const tuningSchema = z
  .strictObject({
    smallRatio: ratio()
      .optional()
      .describe('s3-fifo: share of the capacity for the small FIFO (0.1)'),
    ghostRatio: ratio()
      .optional()
      .describe('s3-fifo: ghost FIFO length as a share of the capacity (0.9)'),
    moveToMainThreshold: positiveInt(3)
      .optional()
      .describe('s3-fifo: hits in the small FIFO needed to move to main (1)'),
    windowRatio: ratio().optional().describe('w-tinylfu: admission window share (0.01)'),
    protectedRatio: ratio()
      .optional()
      .describe('w-tinylfu: protected share of the main space (0.8)'),
    sketchSize: positiveInt(1 << 24)
      .optional()
      .describe('w-tinylfu: counters per sketch row (default: the capacity)'),
    sketchResetFactor: z
      .number()
      .positive()
      .max(1000)
      .optional()
      .describe('w-tinylfu: increments per counter between halvings, its aging (10)'),
    bypass: z
      .boolean()
      .optional()
      .describe('opt: decline newcomers used later than every resident key (true)'),
  })
  .describe(
    'policy tuning (S3-FIFO, W-TinyLFU, OPT); Redis knobs are samples, lfuLogFactor, lfuDecayMinutes',
  );

/** Capacity and eviction fields shared by every cache component (entries and/or bytes). */
export const capacityFields = {
  capacity: positiveInt()
    .optional()
    .describe('maximum entries (Redis/Memcached: bounded by memory)'),
  capacityBytes: size().optional().describe('maximum bytes of values (Redis maxmemory)'),
  policy: z
    .enum(POLICY_NAMES)
    .default('lru')
    .describe('eviction policy (Redis allkeys-lru = redis-lru, allkeys-lfu = redis-lfu)'),
  tuning: tuningSchema.optional(),
  samples: positiveInt(64).default(5).describe('Redis maxmemory-samples (redis-lru/redis-lfu)'),
  lfuLogFactor: z.number().min(0).max(1000).default(10).describe('Redis lfu-log-factor'),
  lfuDecayMinutes: z
    .number()
    .min(0)
    .max(10_000)
    .default(1)
    .describe('Redis lfu-decay-time (minutes)'),
};

/** A cache component's policy field: a built-in policy or a user module (docs/extending.md). */
export const userPolicyField = z
  .union([userModuleSchema, z.enum(POLICY_NAMES)])
  .default('lru')
  .describe(
    'eviction policy (Redis allkeys-lru = redis-lru, allkeys-lfu = redis-lfu), or a user module { module, options }',
  );

/** A kv-store's policy field: every policy plus Belady's OPT (which needs `future`), or a user module. */
export const kvPolicyField = z
  .union([userModuleSchema, z.enum([...POLICY_NAMES, 'opt'])])
  .default('lru')
  .describe(
    'eviction policy (Redis allkeys-lru = redis-lru, allkeys-lfu = redis-lfu; opt = Belady over the replayed trace named by future)',
  );

/** The parsed capacity fields. */
export interface CapacityConfig {
  readonly capacity?: number | undefined;
  readonly capacityBytes?: number | undefined;
  readonly policy: (typeof POLICY_NAMES)[number] | 'opt' | UserModule;
  readonly tuning?: PolicyTuning | undefined;
  readonly samples: number;
  readonly lfuLogFactor: number;
  readonly lfuDecayMinutes: number;
}

/**
 * Builds the eviction policy of a cache component (10 000 entries when no bound is given).
 * OPT needs `future`, the key sequence the cache will be asked for, in order. A user module's
 * factory comes from `user` (BuildEnv.userAlgorithm) and gets capacity, capacityBytes, rng and
 * clock merged over the scenario's options.
 */
export function policyFor(
  config: CapacityConfig,
  rng: Rng,
  clock: () => number,
  future?: ArrayLike<CacheKey>,
  user?: (module: string) => UserFactory,
): EvictionPolicy {
  const bounded = config.capacity !== undefined || config.capacityBytes !== undefined;
  const options = {
    ...(config.capacity !== undefined ? { capacity: config.capacity } : {}),
    ...(config.capacityBytes !== undefined ? { capacityBytes: config.capacityBytes } : {}),
    ...(bounded ? {} : { capacity: 10_000 }),
    rng,
    clock,
  };
  const tuning: PolicyTuning = {
    ...config.tuning,
    samples: config.samples,
    logFactor: config.lfuLogFactor,
    decayMinutes: config.lfuDecayMinutes,
  };
  if (typeof config.policy === 'object') {
    return createUserAlgorithm<EvictionPolicy>(user, config.policy, 'cache policy', options);
  }
  if (config.policy === 'opt') {
    if (future === undefined) {
      throw new RangeError(
        'policy "opt" needs the future: only a kv-store whose clients replay a trace file can use it (set future)',
      );
    }
    return createOptPolicy(options, future, tuning);
  }
  return createPolicy(config.policy, options, tuning);
}
