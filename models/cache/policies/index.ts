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
  readonly samples?: number | undefined;
  /** Redis lfu-log-factor (default 10). */
  readonly logFactor?: number | undefined;
  /** Redis lfu-decay-time in minutes (default 1): Redis's LFU aging. */
  readonly decayMinutes?: number | undefined;
  /** S3-FIFO: share of the capacity for the small FIFO (default 0.10). */
  readonly smallRatio?: number | undefined;
  /** S3-FIFO: ghost FIFO length as a share of the entry capacity (default 0.90). */
  readonly ghostRatio?: number | undefined;
  /** S3-FIFO: hits in the small FIFO needed to be promoted to main (default 1). */
  readonly moveToMainThreshold?: number | undefined;
  /** W-TinyLFU: admission window share of the capacity (default 0.01). */
  readonly windowRatio?: number | undefined;
  /** W-TinyLFU: protected share of the main space (default 0.80). */
  readonly protectedRatio?: number | undefined;
  /** W-TinyLFU: counters per sketch row (rounded up to a power of two; default: the capacity). */
  readonly sketchSize?: number | undefined;
  /** W-TinyLFU: sketch increments between halvings, per sketch counter (default 10): its aging. */
  readonly sketchResetFactor?: number | undefined;
  /** OPT: decline a newcomer used later than every resident key (default true). */
  readonly bypass?: boolean | undefined;
}

/** Every tuning key and the type of its value (command-line parsing and docs). */
export const TUNING_KEYS = {
  samples: 'number',
  logFactor: 'number',
  decayMinutes: 'number',
  smallRatio: 'number',
  ghostRatio: 'number',
  moveToMainThreshold: 'number',
  windowRatio: 'number',
  protectedRatio: 'number',
  sketchSize: 'number',
  sketchResetFactor: 'number',
  bypass: 'boolean',
} as const satisfies Record<keyof PolicyTuning, 'number' | 'boolean'>;

/** The tuning options a policy reads (for messages and docs). */
export const TUNING_OF: Readonly<Record<PolicyName | 'opt', readonly (keyof PolicyTuning)[]>> = {
  lru: [],
  fifo: [],
  random: [],
  lfu: [],
  'lfu-aging': [],
  'redis-lru': ['samples'],
  'redis-lfu': ['samples', 'logFactor', 'decayMinutes'],
  clock: [],
  arc: [],
  's3-fifo': ['smallRatio', 'ghostRatio', 'moveToMainThreshold'],
  sieve: [],
  'w-tinylfu': ['windowRatio', 'protectedRatio', 'sketchSize', 'sketchResetFactor'],
  opt: ['bypass'],
};

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
      return new S3FifoPolicy({ ...options, ...tuning });
    case 'sieve':
      return new SievePolicy(options);
    case 'w-tinylfu':
      return new TinyLfuPolicy({ ...options, ...tuning });
  }
}

/** Builds Belady's OPT oracle over a known trace (see OptPolicy). */
export function createOptPolicy(
  options: PolicyOptions,
  trace: ArrayLike<CacheKey>,
  tuning: PolicyTuning = {},
): EvictionPolicy {
  return new OptPolicy({ ...options, trace, bypass: tuning.bypass ?? true });
}
