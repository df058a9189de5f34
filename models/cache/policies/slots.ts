import type { CacheKey } from '../policy.ts';

const NIL = -1;

/**
 * Storage for list nodes in typed arrays: each slot holds a key, a size, prev/next links, a
 * small integer `mark` (visited bit, frequency, list id) and a number `value` (priority).
 * Slots are recycled through a free list; arrays double when full (amortised O(1)).
 */
export class SlotPool {
  keys: CacheKey[] = [];
  sizes: Float64Array;
  values: Float64Array;
  prev: Int32Array;
  next: Int32Array;
  mark: Int32Array;
  private freeHead = NIL;
  private used = 0;

  constructor(initial = 16) {
    const n = Math.max(4, initial);
    this.sizes = new Float64Array(n);
    this.values = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.mark = new Int32Array(n);
  }

  /** Takes a slot for `key` with `size`; mark and value start at 0. */
  alloc(key: CacheKey, size: number): number {
    let s: number;
    if (this.freeHead !== NIL) {
      s = this.freeHead;
      this.freeHead = this.next[s]!;
    } else {
      if (this.used === this.sizes.length) this.grow();
      s = this.used++;
    }
    this.keys[s] = key;
    this.sizes[s] = size;
    this.values[s] = 0;
    this.mark[s] = 0;
    this.prev[s] = NIL;
    this.next[s] = NIL;
    return s;
  }

  /** Returns a slot to the free list (it must already be unlinked). */
  release(s: number): void {
    this.keys[s] = 0;
    this.next[s] = this.freeHead;
    this.freeHead = s;
  }

  /** Forgets every slot. */
  reset(): void {
    this.keys = [];
    this.freeHead = NIL;
    this.used = 0;
  }

  /** Bytes of typed-array storage per slot (for the memory estimate). */
  static readonly BYTES_PER_SLOT = 8 + 8 + 4 + 4 + 4 + 8;

  private grow(): void {
    const n = this.sizes.length * 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.sizes = f(this.sizes);
    this.values = f(this.values);
    this.prev = i(this.prev);
    this.next = i(this.next);
    this.mark = i(this.mark);
  }
}

/**
 * An intrusive doubly linked list over a SlotPool: head is the most recent end, tail the
 * oldest. Every operation is O(1). Several lists may share one pool (a slot is in one list).
 */
export class SlotList {
  head = NIL;
  tail = NIL;
  length = 0;
  /** Sum of the sizes of the slots in this list. */
  bytes = 0;
  private readonly pool: SlotPool;

  constructor(pool: SlotPool) {
    this.pool = pool;
  }

  /** Links slot `s` at the head. */
  pushHead(s: number): void {
    const p = this.pool;
    p.prev[s] = NIL;
    p.next[s] = this.head;
    if (this.head !== NIL) p.prev[this.head] = s;
    else this.tail = s;
    this.head = s;
    this.length++;
    this.bytes += p.sizes[s]!;
  }

  /** Unlinks slot `s` (it must be in this list). */
  remove(s: number): void {
    const p = this.pool;
    const a = p.prev[s]!;
    const b = p.next[s]!;
    if (a !== NIL) p.next[a] = b;
    else this.head = b;
    if (b !== NIL) p.prev[b] = a;
    else this.tail = a;
    p.prev[s] = NIL;
    p.next[s] = NIL;
    this.length--;
    this.bytes -= p.sizes[s]!;
  }

  /** Moves slot `s` (in this list) to the head. */
  moveToHead(s: number): void {
    if (this.head === s) return;
    this.remove(s);
    this.pushHead(s);
  }

  /** Unlinks and returns the tail slot, or -1 when empty. */
  popTail(): number {
    const s = this.tail;
    if (s !== NIL) this.remove(s);
    return s;
  }

  /** The neighbour toward the head, or -1. */
  towardHead(s: number): number {
    return this.pool.prev[s]!;
  }

  /** Empties the list (the pool is reset separately). */
  reset(): void {
    this.head = NIL;
    this.tail = NIL;
    this.length = 0;
    this.bytes = 0;
  }
}

/** The 'no slot' value. */
export const NO_SLOT = NIL;
