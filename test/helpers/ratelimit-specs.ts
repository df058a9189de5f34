import type { ALGORITHM_NAMES, AlgorithmSpec } from '../../models/ratelimit/spec.ts';

const S = 1_000_000;

/** Every algorithm at the same nominal limit: about 10 requests per second, burst about 10. */
export const NOMINAL_SPECS: Readonly<Record<(typeof ALGORITHM_NAMES)[number], AlgorithmSpec>> = {
  'fixed-window': { algorithm: 'fixed-window', limit: 10, window: S },
  'sliding-log': { algorithm: 'sliding-log', limit: 10, window: S },
  'sliding-counter': { algorithm: 'sliding-counter', limit: 10, window: S },
  'token-bucket': { algorithm: 'token-bucket', rate: 10, burst: 10 },
  'token-bucket-tick': {
    algorithm: 'token-bucket-tick',
    burst: 10,
    interval: S / 10,
    tokensPerFill: 1,
  },
  'leaky-meter': { algorithm: 'leaky-meter', rate: 10, burst: 10, nodelay: true, delay: 0 },
  'leaky-queue': { algorithm: 'leaky-queue', rate: 10, capacity: 10 },
  gcra: { algorithm: 'gcra', rate: 10, maxBurst: 9 },
  'adaptive-concurrency': {
    algorithm: 'adaptive-concurrency',
    initial: 10,
    min: 1,
    max: 100,
    backoff: 0.9,
    timeout: S,
  },
  concurrency: { algorithm: 'concurrency', limit: 10 },
};
