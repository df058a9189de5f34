/**
 * A dense array of slots with O(1) add, remove (swap with last) and uniform random pick; each
 * slot's position is kept in a side array. Used by policies that sample (random, Redis-style).
 */
export class DenseSlots {
  slots: Int32Array = new Int32Array(16);
  length = 0;
  private pos: Int32Array = new Int32Array(16);

  /** Appends slot `s`. */
  add(s: number): void {
    if (this.length === this.slots.length) {
      const b = new Int32Array(this.slots.length * 2);
      b.set(this.slots);
      this.slots = b;
    }
    if (s >= this.pos.length) {
      let n = this.pos.length;
      while (n <= s) n *= 2;
      const b = new Int32Array(n);
      b.set(this.pos);
      this.pos = b;
    }
    this.pos[s] = this.length;
    this.slots[this.length++] = s;
  }

  /** Removes slot `s` by swapping the last slot into its place. */
  remove(s: number): void {
    const i = this.pos[s]!;
    const last = this.slots[--this.length]!;
    this.slots[i] = last;
    this.pos[last] = i;
  }

  /** The slot at a uniform position drawn from `u` in [0, 1). */
  pick(u: number): number {
    return this.slots[Math.floor(u * this.length)]!;
  }

  /** Empties the array. */
  reset(): void {
    this.length = 0;
  }
}
