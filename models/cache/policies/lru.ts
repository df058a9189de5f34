import type { PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { SlotList } from './slots.ts';

/** Least recently used: a hit moves the entry to the head; the tail is evicted. O(1). */
export class LruPolicy extends SlottedPolicy {
  readonly name: string = 'lru';
  private readonly list = new SlotList(this.pool);

  constructor(options: PolicyOptions) {
    super(options);
  }
  protected onHit(s: number): void {
    this.list.moveToHead(s);
  }
  protected place(s: number): void {
    this.list.pushHead(s);
  }
  protected unlink(s: number): void {
    this.list.remove(s);
  }
  protected victim(): number {
    return this.list.popTail();
  }
  protected resetState(): void {
    this.list.reset();
  }
}
