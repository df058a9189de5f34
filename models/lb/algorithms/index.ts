import { z } from 'zod';
import { withNameShorthand } from '../../core/shorthand.ts';
import { userModuleSchema } from '../../core/user-algorithm.ts';
import type { Balancer } from '../algorithm.ts';
import { boundedLoadHash, boundedLoadHashSchema } from './bounded-load-hash.ts';
import { consistentHash, consistentHashSchema } from './consistent-hash.ts';
import {
  fastWeightedRoundRobin,
  fastWeightedRoundRobinSchema,
} from './fast-weighted-round-robin.ts';
import { haproxyHash, haproxyHashSchema } from './haproxy-hash.ts';
import { hash, hashSchema } from './hash.ts';
import { ipHash, ipHashSchema } from './ip-hash.ts';
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
import { staticRr, staticRrSchema } from './static-rr.ts';
import { sticky, stickyOptionsSchema } from './sticky.ts';

const baseSchemas = [
  roundRobinSchema,
  staticRrSchema,
  smoothWeightedRoundRobinSchema,
  fastWeightedRoundRobinSchema,
  randomSchema,
  weightedRandomSchema,
  leastConnectionsSchema,
  powerOfDChoicesSchema,
  joinShortestQueueSchema,
  joinIdleQueueSchema,
  peakEwmaSchema,
  hashSchema,
  ipHashSchema,
  haproxyHashSchema,
  consistentHashSchema,
  maglevSchema,
  boundedLoadHashSchema,
] as const;

/** Every non-sticky algorithm name, for docs, benchmarks and contract tests. */
export const BASE_ALGORITHMS = baseSchemas.map((s) => s.shape.name.value);

/** One non-sticky algorithm: its name alone ("least-connections") or an object with options. */
export const baseAlgorithmSchema = withNameShorthand(
  z.discriminatedUnion('name', [...baseSchemas]),
  BASE_ALGORITHMS,
);
/** A parsed non-sticky algorithm config. */
export type BaseAlgorithmConfig = z.output<typeof baseAlgorithmSchema>;

/** Every algorithm name a scenario may give, sticky included (error messages list them all). */
export const ALGORITHMS = [...BASE_ALGORITHMS, 'sticky'] as const;

/**
 * Any algorithm, including sticky sessions wrapped around a fallback algorithm, or a user module
 * (docs/extending.md); a bare name ("least-connections", "sticky") stands for the algorithm with
 * its defaults.
 */
export const algorithmSchema = z.union([
  userModuleSchema,
  withNameShorthand(
    z.discriminatedUnion('name', [
      ...baseSchemas,
      stickyOptionsSchema.extend({
        fallback: baseAlgorithmSchema
          .default({ name: 'round-robin' } as never)
          .describe('algorithm for requests without a live binding'),
      }),
    ]),
    ALGORITHMS,
  ),
]);
/** A parsed algorithm config. */
export type AlgorithmConfig = z.output<typeof algorithmSchema>;

function createBase(c: BaseAlgorithmConfig): Balancer {
  switch (c.name) {
    case 'round-robin':
      return roundRobin();
    case 'static-rr':
      return staticRr();
    case 'fast-weighted-round-robin':
      return fastWeightedRoundRobin();
    case 'smooth-weighted-round-robin':
      return smoothWeightedRoundRobin();
    case 'random':
      return random();
    case 'weighted-random':
      return weightedRandom();
    case 'least-connections':
      return leastConnections(c);
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
    case 'ip-hash':
      return ipHash();
    case 'haproxy-hash':
      return haproxyHash(c);
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
  if (c.name === 'sticky') {
    return sticky(createBase(c.fallback), c.ttl, c.by === 'cookie' ? c.cookie : undefined);
  }
  return createBase(c);
}

/** Parses a config (string or object) and builds the balancer; throws on invalid config. */
export function balancerFor(spec: unknown): Balancer {
  return createBalancer(algorithmSchema.parse(spec));
}
