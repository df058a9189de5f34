import { z } from 'zod';
import { type Distribution, type Rng, type SimTime, zipf } from '../../engine/index.ts';
import { duration, positiveInt, probability } from '../core/units.ts';

/** Config of a cache workload's key stream. */
export const keyGeneratorSchema = z.strictObject({
  n: positiveInt(2 ** 30).describe('catalogue size (keys 1..n), up to 1e7 and beyond: O(1) memory'),
  s: z.number().positive().max(10).describe('Zipf exponent (0.6–1.0 for web objects)'),
  driftPeriod: duration().optional().describe('every period the hot set moves to other keys'),
  driftShift: positiveInt(1e9)
    .optional()
    .describe('ranks the popularity permutation shifts per period (default n/10)'),
  oneHitWonders: probability().default(0).describe('share of requests for a never-seen key'),
});
/** A parsed key generator config. */
export type KeyGeneratorConfig = z.output<typeof keyGeneratorSchema>;

const MULTIPLIER = 2_654_435_761;

/** (a × b) mod n without leaving the exact integer range (a, b < n <= 2^30). */
function mulmod(a: number, b: number, n: number): number {
  const hi = Math.floor(b / 32_768);
  const lo = b % 32_768;
  return (((a * hi) % n) * 32_768 + a * lo) % n;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Draws object keys: popularity rank from Zipf(n, s) (the engine's O(1) sampler), mapped to a
 * key by an affine permutation of 1..n so popular keys are scattered; with drift the
 * permutation's offset moves by `driftShift` every `driftPeriod` (the hot set rotates), and a
 * share of requests asks for a fresh key above n (one-hit wonders). Memory is O(1) in n.
 */
export class KeyGenerator {
  private readonly dist: Distribution;
  private readonly n: number;
  private readonly mult: number;
  private readonly period: SimTime;
  private readonly shift: number;
  private readonly wonders: number;
  private nextWonder: number;

  constructor(config: KeyGeneratorConfig) {
    this.n = config.n;
    this.dist = zipf(config.n, config.s);
    let m = MULTIPLIER % config.n || 1;
    while (gcd(m, config.n) !== 1) m++;
    this.mult = m;
    this.period = config.driftPeriod ?? 0;
    this.shift = config.driftShift ?? Math.max(1, Math.floor(config.n / 10));
    this.wonders = config.oneHitWonders;
    this.nextWonder = config.n;
  }

  /** Numbers one-hit wonders from `base` + 1 on (give each generator its own range). */
  startWondersAt(base: number): void {
    this.nextWonder = Math.max(this.n, base);
  }

  /** The key behind popularity rank `rank` (1 = most popular) at time `now`. */
  keyOf(rank: number, now: SimTime): number {
    const offset = this.period > 0 ? (Math.floor(now / this.period) * this.shift) % this.n : 0;
    const r = (rank - 1 + offset) % this.n;
    return mulmod(r, this.mult, this.n) + 1;
  }

  /** The next key at time `now`. */
  next(rng: Rng, now: SimTime): number {
    if (this.wonders > 0 && rng.next() < this.wonders) return ++this.nextWonder;
    return this.keyOf(this.dist.sample(rng), now);
  }
}
