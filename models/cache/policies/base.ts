import type { CacheKey, EvictionPolicy, PolicyOptions } from '../policy.ts';
import { NO_SLOT, SlotPool } from './slots.ts';

/** victim() result meaning "do not admit the incoming key" (admission policies). */
export const REJECT = -2;

/**
 * Shared skeleton of every policy: a key → slot index over a SlotPool, byte and entry
 * accounting, and the admit loop (evict victims until the newcomer fits). A policy supplies
 * where a new slot goes, what a hit does, how a slot leaves its lists and which slot is the
 * next victim. Keeps size <= capacity and bytes <= capacityBytes after every call.
 */
export abstract class SlottedPolicy implements EvictionPolicy {
  abstract readonly name: string;
  readonly capacity: number;
  readonly capacityBytes: number;
  bytes = 0;
  onEvict: ((key: CacheKey) => void) | undefined = undefined;
  protected readonly pool: SlotPool;
  protected readonly index = new Map<CacheKey, number>();

  constructor(options: PolicyOptions) {
    const c = options.capacity ?? Number.POSITIVE_INFINITY;
    const b = options.capacityBytes ?? Number.POSITIVE_INFINITY;
    if (
      !(c >= 1) ||
      !(b >= 1) ||
      (c === Number.POSITIVE_INFINITY && b === Number.POSITIVE_INFINITY)
    ) {
      throw new RangeError('a cache policy needs capacity >= 1 entries and/or capacityBytes >= 1');
    }
    this.capacity = c;
    this.capacityBytes = b;
    this.pool = new SlotPool(Math.min(c === Number.POSITIVE_INFINITY ? 1024 : c, 1 << 16));
  }

  /** Resident entries. */
  get size(): number {
    return this.index.size;
  }

  has(key: CacheKey): boolean {
    return this.index.has(key);
  }

  get(key: CacheKey): boolean {
    const s = this.index.get(key);
    if (s === undefined) {
      this.onMiss(key);
      return false;
    }
    this.onHit(s);
    return true;
  }

  admit(key: CacheKey, size = 1): void {
    if (this.index.has(key)) this.delete(key);
    if (size > this.capacityBytes) return;
    while (this.index.size + 1 > this.capacity || this.bytes + size > this.capacityBytes) {
      const s = this.victim(key);
      if (s === REJECT || s === NO_SLOT) return;
      this.evictSlot(s);
    }
    const s = this.pool.alloc(key, size);
    this.index.set(key, s);
    this.bytes += size;
    this.place(s);
  }

  delete(key: CacheKey): boolean {
    const s = this.index.get(key);
    if (s === undefined) return false;
    this.unlink(s);
    this.drop(s);
    return true;
  }

  clear(): void {
    this.index.clear();
    this.pool.reset();
    this.bytes = 0;
    this.resetState();
  }

  /** Frees an unlinked slot and reports it as evicted. */
  protected evictSlot(s: number): void {
    const key = this.pool.keys[s]!;
    this.drop(s);
    this.onEvict?.(key);
  }

  /** Frees an unlinked slot (index, bytes, pool). */
  protected drop(s: number): void {
    this.index.delete(this.pool.keys[s]!);
    this.bytes -= this.pool.sizes[s]!;
    this.pool.release(s);
  }

  /** A lookup missed (frequency policies count it). */
  protected onMiss(_key: CacheKey): void {}
  /** A lookup hit slot `s`. */
  protected abstract onHit(s: number): void;
  /** Links a freshly allocated slot into the policy's structures. */
  protected abstract place(s: number): void;
  /** Unlinks slot `s` from the policy's structures (before it is freed). */
  protected abstract unlink(s: number): void;
  /** Picks, unlinks and returns the next victim; REJECT declines the incoming key. */
  protected abstract victim(incoming: CacheKey): number;
  /** Resets lists and counters on clear(). */
  protected abstract resetState(): void;
}
