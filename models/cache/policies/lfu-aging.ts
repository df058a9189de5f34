import type { PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { SlotHeap } from './heap.ts';

/**
 * In-cache LFU with dynamic aging (LFU-DA, Arlitt et al. 2000): counts exist only while an
 * entry is resident; an entry's priority is its count plus the cache "age" L, and L rises to
 * the priority of each evicted entry, so formerly popular entries that stopped being used are
 * eventually evicted. Always admits. O(log C).
 */
export class LfuAgingPolicy extends SlottedPolicy {
  readonly name: string = 'lfu-aging';
  private readonly heap = new SlotHeap();
  private age = 0;
  private seq = 0;

  constructor(options: PolicyOptions) {
    super(options);
  }
  protected onHit(s: number): void {
    const count = this.pool.mark[s]! + 1;
    this.pool.mark[s] = count;
    this.heap.update(s, this.age + count, this.seq++);
  }
  protected place(s: number): void {
    this.pool.mark[s] = 1;
    this.heap.push(s, this.age + 1, this.seq++);
  }
  protected unlink(s: number): void {
    this.heap.remove(s);
  }
  protected victim(): number {
    const s = this.heap.pop();
    if (s >= 0) this.age = this.heap.priority(s);
    return s;
  }
  protected resetState(): void {
    this.heap.reset();
    this.age = 0;
  }
}
