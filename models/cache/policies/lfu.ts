import type { CacheKey, PolicyOptions } from '../policy.ts';
import { REJECT, SlottedPolicy } from './base.ts';
import { SlotHeap } from './heap.ts';

/**
 * Perfect LFU (Aho, Denning & Ullman's A0 under IRM): a request count is kept for every key
 * ever seen, resident or not, so memory grows with the number of distinct keys (one Map entry
 * each). The resident set is the highest-count keys: a newcomer is admitted only if its count
 * beats the least-counted resident entry (ties go to the resident one, older first). O(log C).
 */
export class PerfectLfuPolicy extends SlottedPolicy {
  readonly name: string = 'lfu';
  private readonly counts = new Map<CacheKey, number>();
  private readonly heap = new SlotHeap();
  private seq = 0;

  constructor(options: PolicyOptions) {
    super(options);
  }

  /** Number of keys with a remembered count (the memory cost of perfect LFU). */
  get tracked(): number {
    return this.counts.size;
  }

  protected override onMiss(key: CacheKey): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  protected onHit(s: number): void {
    const key = this.pool.keys[s]!;
    const c = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, c);
    this.heap.update(s, c, this.seq++);
  }
  protected place(s: number): void {
    const key = this.pool.keys[s]!;
    let c = this.counts.get(key);
    if (c === undefined) {
      c = 1;
      this.counts.set(key, c);
    }
    this.heap.push(s, c, this.seq++);
  }
  protected unlink(s: number): void {
    this.heap.remove(s);
  }
  protected victim(incoming: CacheKey): number {
    const s = this.heap.peek();
    if (s < 0) return s;
    if ((this.counts.get(incoming) ?? 1) <= this.heap.priority(s)) return REJECT;
    return this.heap.pop();
  }
  protected resetState(): void {
    this.heap.reset();
  }
}
