import type { CacheKey } from '../policy.ts';

/**
 * Mattson's one-pass LRU (stack distances, 1970) for a fixed list of cache sizes. For each
 * request, the stack distance is the total weight (1 per object, or its bytes) of the distinct
 * objects used since this key's last use, plus its own; LRU of capacity C hits exactly when that
 * distance is <= C (LRU is a stack algorithm), so one pass gives the miss count of every size.
 * Distances come from a Fenwick tree over request positions holding each key's weight at its
 * last position; when the positions run out, live marks are compacted to the front, so memory
 * is O(distinct keys), flat in the trace's length. O(log D + log S) per request. With unit
 * weights (object counts) the tree is an Int32Array: half the memory each walk touches.
 */
export class StackDistanceLru {
  /** Requests seen. */
  requests = 0;
  /** First-time requests (cold misses at every size). */
  cold = 0;
  /** hitsAt[i]: requests whose distance is <= sizes[i] but > sizes[i-1] (cumulated by misses()). */
  private readonly hitsAt: Float64Array;
  /** Bytes (weights) of those hits. */
  private readonly hitWeightAt: Float64Array;
  /** Total weight requested. */
  weight = 0;
  private readonly sizes: Float64Array;
  /** Key → slot; a slot holds the key's last position and weight. */
  private readonly slots = new Map<CacheKey, number>();
  /** Per slot, side by side (one cache line per lookup): [2s] last position, [2s+1] weight. */
  private slotData = new Float64Array(2048);
  /** Int32 when every weight is 1 (half the memory walked per request), else Float64. */
  private tree: Float64Array | Int32Array;
  private readonly unit: boolean;
  /** slotAt[t]: the slot whose request was at position t (live when its slot's last position is t). */
  private slotAt: Int32Array;
  private now = 0;

  /**
   * `sizes` must be ascending; weights are 1 per object unless sizes are given to access().
   * `unitWeights`: every access() has weight 1 (object counts), so the tree holds integers.
   */
  constructor(sizes: readonly number[], options: { readonly unitWeights?: boolean } = {}) {
    for (let i = 1; i < sizes.length; i++) {
      if (!(sizes[i]! > sizes[i - 1]!)) throw new RangeError('stack-distance sizes must ascend');
    }
    this.sizes = Float64Array.from(sizes);
    this.hitsAt = new Float64Array(sizes.length);
    this.hitWeightAt = new Float64Array(sizes.length);
    this.unit = options.unitWeights ?? false;
    this.tree = this.unit ? new Int32Array(1 << 16) : new Float64Array(1 << 16);
    this.slotAt = new Int32Array(1 << 16);
  }

  /** One request for `key` of `weight` (1 for object counts, else bytes). */
  access(key: CacheKey, weight = 1): void {
    if (this.unit && weight !== 1) throw new RangeError('unitWeights: every weight must be 1');
    this.requests++;
    this.weight += weight;
    if (this.now + 1 >= this.tree.length) this.compact();
    const t = ++this.now;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      this.cold++;
      slot = this.slots.size;
      if (2 * slot === this.slotData.length) this.growSlots();
      this.slots.set(key, slot);
      this.add(t, weight);
    } else {
      const prev = this.slotData[2 * slot]!;
      const w = this.slotData[2 * slot + 1]!;
      // the weight of the marks after prev up to now, plus its own; a popular key's walks
      // meet after a few steps (its previous use is recent)
      const distance = this.between(t - 1, prev) + w;
      const i = this.firstAtLeast(distance);
      if (i < this.hitsAt.length) {
        this.hitsAt[i]! += 1;
        this.hitWeightAt[i]! += weight;
      }
      this.move(prev, w, t, weight);
    }
    this.slotAt[t] = slot;
    this.slotData[2 * slot] = t;
    this.slotData[2 * slot + 1] = weight;
  }

  private growSlots(): void {
    const data = new Float64Array(this.slotData.length * 2);
    data.set(this.slotData);
    this.slotData = data;
  }

  /** Misses at each size (same order as the constructor's sizes). */
  misses(): number[] {
    return this.remaining(this.hitsAt, this.requests);
  }

  /** Missed weight (bytes) at each size. */
  missWeights(): number[] {
    return this.remaining(this.hitWeightAt, this.weight);
  }

  private remaining(hitsAt: Float64Array, total: number): number[] {
    const out: number[] = [];
    let hits = 0;
    for (let i = 0; i < this.sizes.length; i++) {
      hits += hitsAt[i]!;
      out.push(total - hits);
    }
    return out;
  }

  private firstAtLeast(distance: number): number {
    let lo = 0;
    let hi = this.sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sizes[mid]! >= distance) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private add(i: number, v: number): void {
    const n = this.tree.length;
    for (; i < n; i += i & -i) this.tree[i]! += v;
  }

  /**
   * add(from, -wFrom) and add(to, +wTo) in one walk (from < to): both upward paths are walked
   * until they meet, and above that only the difference is added (none for equal weights).
   */
  private move(from: number, wFrom: number, to: number, wTo: number): void {
    const tree = this.tree;
    const n = tree.length;
    let i = from;
    let j = to;
    while (i !== j) {
      if (i < j) {
        if (i >= n) return;
        tree[i]! -= wFrom;
        i += i & -i;
      } else {
        if (j >= n) return;
        tree[j]! += wTo;
        j += j & -j;
      }
    }
    const d = wTo - wFrom;
    if (d !== 0) for (; i < n; i += i & -i) tree[i]! += d;
  }

  /** prefix(i) - prefix(j) for i >= j, walking both paths only down to where they meet. */
  private between(i: number, j: number): number {
    const tree = this.tree;
    let s = 0;
    while (i !== j) {
      if (i > j) {
        s += tree[i]!;
        i -= i & -i;
      } else {
        s -= tree[j]!;
        j -= j & -j;
      }
    }
    return s;
  }

  /**
   * Renumbers live marks 1..D in their order and rebuilds a tree at least twice as large: one
   * scan of the positions (a position is live when its slot was last used there), no sort.
   */
  private compact(): void {
    const d = this.slots.size;
    const size = Math.max(1 << 16, 1 << Math.ceil(Math.log2(2 * d + 2)));
    const tree = this.unit ? new Int32Array(size) : new Float64Array(size);
    const slotAt = new Int32Array(size);
    const old = this.slotAt;
    const data = this.slotData;
    let t = 0;
    for (let p = 1; p <= this.now; p++) {
      const slot = old[p]!;
      if (data[2 * slot] !== p) continue;
      t++;
      data[2 * slot] = t;
      tree[t] = data[2 * slot + 1]!;
      slotAt[t] = slot;
    }
    for (let i = 1; i < size; i++) {
      const j = i + (i & -i);
      if (j < size) tree[j]! += tree[i]!;
    }
    this.tree = tree;
    this.slotAt = slotAt;
    this.now = t;
  }
}
