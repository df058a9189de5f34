import { z } from 'zod';
import { userModuleSchema } from '../../core/user-algorithm.ts';
import type { Balancer } from '../algorithm.ts';
import { boundedLoadHash, boundedLoadHashSchema } from './bounded-load-hash.ts';
import { consistentHash, consistentHashSchema } from './consistent-hash.ts';
import { hash, hashSchema } from './hash.ts';
import { joinIdleQueue, joinIdleQueueSchema } from './join-idle-queue.ts';
import { joinShortestQueue, joinShortestQueueSchema } from './join-shortest-queue.ts';
import { leastConnections, leastConnectionsSchema } from './least-connections.ts';
import { maglev, maglevSchema } from './maglev.ts';
import { peakEwma, peakEwmaSchema } from './peak-ewma.ts';
import { powerOfDChoices, powerOfDChoicesSchema } from './power-of-d-choices.ts';
import { random, randomSchema, weightedRandom, weightedRandomSchema } from './random.ts';
import { roundRobin, roundRobinSchema } from './round-robin.ts';
import {
  smoothWeightedRoundRobin,
  smoothWeightedRoundRobinSchema,
} from './smooth-weighted-round-robin.ts';
import { sticky, stickyOptionsSchema } from './sticky.ts';

const baseSchemas = [
  roundRobinSchema,
  smoothWeightedRoundRobinSchema,
  randomSchema,
  weightedRandomSchema,
  leastConnectionsSchema,
  powerOfDChoicesSchema,
  joinShortestQueueSchema,
  joinIdleQueueSchema,
  peakEwmaSchema,
  hashSchema,
  consistentHashSchema,
  maglevSchema,
  boundedLoadHashSchema,
] as const;

/** Every non-sticky algorithm name, for docs, benchmarks and contract tests. */
export const BASE_ALGORITHMS = baseSchemas.map((s) => s.shape.name.value);

/** One non-sticky algorithm: its name alone ("least-connections") or an object with options. */
export const baseAlgorithmSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.discriminatedUnion('name', [...baseSchemas]),
);
/** A parsed non-sticky algorithm config. */
export type BaseAlgorithmConfig = z.output<typeof baseAlgorithmSchema>;

/** Any algorithm, including sticky sessions wrapped around a fallback algorithm, or a user module. */
export const algorithmSchema = z.union([
  userModuleSchema,
  baseAlgorithmSchema,
  stickyOptionsSchema.extend({
    fallback: baseAlgorithmSchema.default({ name: 'round-robin' } as never),
  }),
]);
/** A parsed algorithm config. */
export type AlgorithmConfig = z.output<typeof algorithmSchema>;

function createBase(c: BaseAlgorithmConfig): Balancer {
  switch (c.name) {
    case 'round-robin':
      return roundRobin();
    case 'smooth-weighted-round-robin':
      return smoothWeightedRoundRobin();
    case 'random':
      return random();
    case 'weighted-random':
      return weightedRandom();
    case 'least-connections':
      return leastConnections();
    case 'power-of-d-choices':
      return powerOfDChoices(c);
    case 'join-shortest-queue':
      return joinShortestQueue();
    case 'join-idle-queue':
      return joinIdleQueue();
    case 'peak-ewma':
      return peakEwma(c);
    case 'hash':
      return hash(c);
    case 'consistent-hash':
      return consistentHash(c);
    case 'maglev':
      return maglev(c);
    case 'bounded-load-hash':
      return boundedLoadHash(c);
  }
}

/** Builds a fresh balancer (own state) from a parsed algorithm config. */
export function createBalancer(c: AlgorithmConfig): Balancer {
  if ('module' in c)
    throw new RangeError(`the user module ${c.module} is built through env.userAlgorithm`);
  if (c.name === 'sticky') return sticky(createBase(c.fallback), c.ttl);
  return createBase(c);
}

/** Parses a config (string or object) and builds the balancer; throws on invalid config. */
export function balancerFor(spec: unknown): Balancer {
  return createBalancer(algorithmSchema.parse(spec));
}
