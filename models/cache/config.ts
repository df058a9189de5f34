import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import { positiveInt, size } from '../core/units.ts';
import { createPolicy, POLICY_NAMES } from './policies/index.ts';
import type { EvictionPolicy } from './policy.ts';

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
  samples: positiveInt(64).default(5).describe('Redis maxmemory-samples (redis-lru/redis-lfu)'),
  lfuLogFactor: z.number().min(0).max(1000).default(10).describe('Redis lfu-log-factor'),
  lfuDecayMinutes: z
    .number()
    .min(0)
    .max(10_000)
    .default(1)
    .describe('Redis lfu-decay-time (minutes)'),
};

/** The parsed capacity fields. */
export interface CapacityConfig {
  readonly capacity?: number | undefined;
  readonly capacityBytes?: number | undefined;
  readonly policy: (typeof POLICY_NAMES)[number];
  readonly samples: number;
  readonly lfuLogFactor: number;
  readonly lfuDecayMinutes: number;
}

/** Builds the eviction policy of a cache component (10 000 entries when no bound is given). */
export function policyFor(config: CapacityConfig, rng: Rng, clock: () => number): EvictionPolicy {
  const bounded = config.capacity !== undefined || config.capacityBytes !== undefined;
  return createPolicy(
    config.policy,
    {
      ...(config.capacity !== undefined ? { capacity: config.capacity } : {}),
      ...(config.capacityBytes !== undefined ? { capacityBytes: config.capacityBytes } : {}),
      ...(bounded ? {} : { capacity: 10_000 }),
      rng,
      clock,
    },
    {
      samples: config.samples,
      logFactor: config.lfuLogFactor,
      decayMinutes: config.lfuDecayMinutes,
    },
  );
}
