/**
 * An indexed binary min-heap of slots ordered by (priority, tie), both numbers; ties between
 * equal pairs cannot occur when `tie` is a unique sequence number, so the order is total.
 * push, update, remove and popMin are O(log n).
 */
export class SlotHeap {
  private heap: Int32Array = new Int32Array(16);
  private pos: Int32Array = new Int32Array(16);
  private prio: Float64Array = new Float64Array(16);
  private tie: Float64Array = new Float64Array(16);
  length = 0;

  /** Adds slot `s` with its priority and tie-breaker. */
  push(s: number, priority: number, tie: number): void {
    this.ensureSlot(s);
    if (this.length === this.heap.length) this.heap = grow32(this.heap, this.heap.length * 2);
    this.prio[s] = priority;
    this.tie[s] = tie;
    this.heap[this.length] = s;
    this.pos[s] = this.length;
    this.length++;
    this.up(this.length - 1);
  }

  /** Changes the priority of slot `s` (in the heap). */
  update(s: number, priority: number, tie: number): void {
    this.prio[s] = priority;
    this.tie[s] = tie;
    const i = this.pos[s]!;
    this.up(i);
    this.down(this.pos[s]!);
  }

  /** Priority of slot `s`. */
  priority(s: number): number {
    return this.prio[s]!;
  }

  /** The minimum slot, or -1 when empty. */
  peek(): number {
    return this.length === 0 ? -1 : this.heap[0]!;
  }

  /** Removes slot `s` from the heap. */
  remove(s: number): void {
    const i = this.pos[s]!;
    const last = this.heap[--this.length]!;
    if (i === this.length) return;
    this.heap[i] = last;
    this.pos[last] = i;
    this.up(i);
    this.down(this.pos[last]!);
  }

  /** Removes and returns the minimum slot, or -1 when empty. */
  pop(): number {
    const s = this.peek();
    if (s >= 0) this.remove(s);
    return s;
  }

  /** Empties the heap. */
  reset(): void {
    this.length = 0;
  }

  private less(a: number, b: number): boolean {
    const pa = this.prio[a]!;
    const pb = this.prio[b]!;
    return pa < pb || (pa === pb && this.tie[a]! < this.tie[b]!);
  }

  private up(i: number): void {
    const h = this.heap;
    const s = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p]!;
      if (!this.less(s, ps)) break;
      h[i] = ps;
      this.pos[ps] = i;
      i = p;
    }
    h[i] = s;
    this.pos[s] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.length;
    const s = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r]!, h[l]!) ? r : l;
      const cs = h[c]!;
      if (!this.less(cs, s)) break;
      h[i] = cs;
      this.pos[cs] = i;
      i = c;
    }
    h[i] = s;
    this.pos[s] = i;
  }

  private ensureSlot(s: number): void {
    if (s < this.pos.length) return;
    let n = this.pos.length;
    while (n <= s) n *= 2;
    this.pos = grow32(this.pos, n);
    const p = new Float64Array(n);
    p.set(this.prio);
    this.prio = p;
    const t = new Float64Array(n);
    t.set(this.tie);
    this.tie = t;
  }
}

function grow32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
