import type { PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { SlotList } from './slots.ts';

/** First in, first out: hits change nothing; the oldest insertion is evicted. O(1). */
export class FifoPolicy extends SlottedPolicy {
  readonly name: string = 'fifo';
  private readonly list = new SlotList(this.pool);

  constructor(options: PolicyOptions) {
    super(options);
  }
  protected onHit(): void {}
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
