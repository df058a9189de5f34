import type { CacheKey } from '../cache/policy.ts';

/** Hash space of spatial sampling: a key is kept when hash mod 2^24 < rate × 2^24. */
export const SAMPLE_MODULUS = 1 << 24;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of a cache key with a salt (murmur3's finaliser over the two halves of a number,
 * FNV-1a over a string's code units). Same key and salt ⇒ same hash on every platform.
 */
export function keyHash(key: CacheKey, salt = 0): number {
  if (typeof key === 'number') {
    const lo = key >>> 0;
    const hi = Math.floor(key / 4_294_967_296) >>> 0;
    return mix32(mix32(lo ^ salt) ^ Math.imul(hi, 0x9e3779b1));
  }
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/**
 * SHARDS-style spatial sampling (Waldspurger et al., FAST 2015): keeps every request whose key
 * hashes below the threshold, so a kept key keeps all its requests and reuse distances scale
 * by the rate. A cache of C scaled to rate × C on the sample estimates the full cache's miss
 * ratio.
 */
export class KeySampler {
  /** Keys hashing below this (mod SAMPLE_MODULUS) are kept. */
  readonly threshold: number;
  /** Effective rate: threshold / SAMPLE_MODULUS. */
  readonly rate: number;
  /** Hash salt: different salts draw independent samples. */
  readonly salt: number;

  constructor(rate: number, salt = 0) {
    this.salt = salt;
    if (!(rate > 0 && rate <= 1)) throw new RangeError('a sampling rate must be in (0, 1]');
    this.threshold = Math.max(1, Math.round(rate * SAMPLE_MODULUS));
    this.rate = this.threshold / SAMPLE_MODULUS;
  }

  /** Whether requests for `key` belong to the sample. */
  keeps(key: CacheKey): boolean {
    return (
      this.threshold === SAMPLE_MODULUS || keyHash(key, this.salt) % SAMPLE_MODULUS < this.threshold
    );
  }
}
