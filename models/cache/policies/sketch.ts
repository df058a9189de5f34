import type { CacheKey } from '../policy.ts';

/** Hashes a key to 32 bits (integer mix for numbers, FNV-1a for strings). */
export function hashKey(key: CacheKey): number {
  if (typeof key === 'number') {
    let h = (key | 0) ^ Math.floor(key / 4294967296);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return (h ^ (h >>> 16)) >>> 0;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const SEEDS = [0x97cb3127, 0xb7e15162, 0x6a09e667, 0xbb67ae85];

/**
 * A Count-Min sketch of 4-bit counters (depth 4, width a power of two), as in Caffeine's
 * FrequencySketch: estimate = min over rows, counters saturate at 15, and after `sampleSize`
 * increments every counter is halved (aging). Memory is fixed: width × depth bytes.
 */
export class FrequencySketch {
  private readonly table: Uint8Array;
  private readonly mask: number;
  private readonly sampleSize: number;
  private additions = 0;

  constructor(expectedEntries: number, resetFactor = 10) {
    let w = 16;
    while (w < expectedEntries && w < 1 << 24) w *= 2;
    this.table = new Uint8Array(w * 4);
    this.mask = w - 1;
    this.sampleSize = Math.max(1, Math.round(resetFactor * Math.max(1, expectedEntries)));
  }

  private slot(h: number, row: number): number {
    let x = Math.imul(h ^ SEEDS[row]!, 0x9e3779b1);
    x ^= x >>> 15;
    return row * (this.mask + 1) + (x & this.mask);
  }

  /** Estimated count of `key` (0–15). */
  frequency(key: CacheKey): number {
    const h = hashKey(key);
    let m = 15;
    for (let r = 0; r < 4; r++) m = Math.min(m, this.table[this.slot(h, r)]!);
    return m;
  }

  /** Counts one occurrence of `key`. */
  increment(key: CacheKey): void {
    const h = hashKey(key);
    let added = false;
    for (let r = 0; r < 4; r++) {
      const i = this.slot(h, r);
      if (this.table[i]! < 15) {
        this.table[i]! += 1;
        added = true;
      }
    }
    if (added && ++this.additions >= this.sampleSize) this.halve();
  }

  private halve(): void {
    for (let i = 0; i < this.table.length; i++) this.table[i] = this.table[i]! >>> 1;
    this.additions = Math.floor(this.additions / 2);
  }

  /** Forgets all counts. */
  reset(): void {
    this.table.fill(0);
    this.additions = 0;
  }

  /** Bytes used by the counters. */
  get memoryBytes(): number {
    return this.table.length;
  }
}
