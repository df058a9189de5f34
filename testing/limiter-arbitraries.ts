// fast-check arbitraries for rate limiters in generated scenarios (used by arbitraries.ts).
import fc from 'fast-check';

const ms = (v: number) => `${v}ms`;

/** Keys a limiter may count per (models/ratelimit/keys.ts). */
export const LIMITER_KEYS = ['clientIp', 'user', 'apiKey', 'tier', 'route', 'client', 'global'];

const int = (min: number, max: number) => fc.integer({ min, max });

/**
 * A limiter algorithm in the file format: any fixed-rate algorithm or adaptive concurrency,
 * with limits small enough to bind under the generated load (rates ≥ 2/s so delays drain).
 */
export const limiterAlgorithmArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('fixed-window', 'sliding-log', 'sliding-counter'),
      int(1, 50),
      int(50, 2000),
    )
    .map(([algorithm, limit, w]) => ({ algorithm, limit, window: ms(w) })),
  fc
    .tuple(int(2, 100), int(1, 20))
    .map(([r, burst]) => ({ algorithm: 'token-bucket', rate: `${r}/s`, burst })),
  fc.tuple(int(1, 20), int(10, 1000), int(1, 3)).map(([burst, i, tokensPerFill]) => ({
    algorithm: 'token-bucket-tick',
    burst,
    interval: ms(i),
    tokensPerFill,
  })),
  fc.tuple(int(2, 100), int(0, 20), fc.boolean(), int(0, 5)).map(([r, burst, nodelay, delay]) => ({
    algorithm: 'leaky-meter',
    rate: `${r}/s`,
    burst,
    nodelay,
    delay,
  })),
  fc
    .tuple(int(2, 100), int(1, 20))
    .map(([r, capacity]) => ({ algorithm: 'leaky-queue', rate: `${r}/s`, capacity })),
  fc
    .tuple(int(2, 100), int(0, 20))
    .map(([r, maxBurst]) => ({ algorithm: 'gcra', rate: `${r}/s`, maxBurst })),
  fc.tuple(int(1, 20), int(0, 50), int(50, 95), int(50, 1000)).map(([initial, more, b, t]) => ({
    algorithm: 'adaptive-concurrency',
    initial,
    min: 1,
    max: initial + more,
    backoff: b / 100,
    timeout: ms(t),
  })),
);

/** A limiter key: one field or a pair. */
export const limiterKeyArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...LIMITER_KEYS),
  fc.uniqueArray(fc.constantFrom(...LIMITER_KEYS), { minLength: 2, maxLength: 2 }),
);
