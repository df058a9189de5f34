import type { CacheKey, EvictionPolicy, PolicyOptions } from '../policy.ts';
import { ArcPolicy } from './arc.ts';
import { ClockPolicy } from './clock.ts';
import { FifoPolicy } from './fifo.ts';
import { PerfectLfuPolicy } from './lfu.ts';
import { LfuAgingPolicy } from './lfu-aging.ts';
import { LruPolicy } from './lru.ts';
import { OptPolicy } from './opt.ts';
import { RandomPolicy } from './random.ts';
import { RedisLfuPolicy } from './redis-lfu.ts';
import { RedisLruPolicy } from './redis-lru.ts';
import { S3FifoPolicy } from './s3-fifo.ts';
import { SievePolicy } from './sieve.ts';
import { TinyLfuPolicy } from './w-tinylfu.ts';

/** Every eviction policy by name (OPT needs a trace and is built with createOptPolicy). */
export const POLICY_NAMES = [
  'lru',
  'fifo',
  'random',
  'lfu',
  'lfu-aging',
  'redis-lru',
  'redis-lfu',
  'clock',
  'arc',
  's3-fifo',
  'sieve',
  'w-tinylfu',
] as const;
/** One of POLICY_NAMES. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Policy-specific knobs a scenario may set (ignored by policies that do not use them). */
export interface PolicyTuning {
  /** Redis maxmemory-samples (default 5). */
  readonly samples?: number;
  /** Redis lfu-log-factor (default 10). */
  readonly logFactor?: number;
  /** Redis lfu-decay-time in minutes (default 1). */
  readonly decayMinutes?: number;
}

/** Builds a policy by name. Randomised policies require options.rng. */
export function createPolicy(
  name: PolicyName,
  options: PolicyOptions,
  tuning: PolicyTuning = {},
): EvictionPolicy {
  switch (name) {
    case 'lru':
      return new LruPolicy(options);
    case 'fifo':
      return new FifoPolicy(options);
    case 'random':
      return new RandomPolicy(options);
    case 'lfu':
      return new PerfectLfuPolicy(options);
    case 'lfu-aging':
      return new LfuAgingPolicy(options);
    case 'redis-lru':
      return new RedisLruPolicy({ ...options, ...tuning });
    case 'redis-lfu':
      return new RedisLfuPolicy({ ...options, ...tuning });
    case 'clock':
      return new ClockPolicy(options);
    case 'arc':
      return new ArcPolicy(options);
    case 's3-fifo':
      return new S3FifoPolicy(options);
    case 'sieve':
      return new SievePolicy(options);
    case 'w-tinylfu':
      return new TinyLfuPolicy(options);
  }
}

/** Builds Belady's OPT oracle over a known trace (see OptPolicy). */
export function createOptPolicy(
  options: PolicyOptions,
  trace: ArrayLike<CacheKey>,
): EvictionPolicy {
  return new OptPolicy({ ...options, trace });
}
