import type { PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { SlotList } from './slots.ts';

/**
 * CLOCK (second chance): a hit sets a reference bit; the hand sweeps from the oldest entry,
 * clearing set bits (the entry goes round again) and evicting the first unset one. Written as
 * a FIFO with reinsertion, which visits entries in the same order as a circular hand.
 * Amortised O(1): every skipped entry consumed one earlier hit.
 */
export class ClockPolicy extends SlottedPolicy {
  readonly name: string = 'clock';
  private readonly list = new SlotList(this.pool);

  constructor(options: PolicyOptions) {
    super(options);
  }
  protected onHit(s: number): void {
    this.pool.mark[s] = 1;
  }
  protected place(s: number): void {
    this.list.pushHead(s);
  }
  protected unlink(s: number): void {
    this.list.remove(s);
  }
  protected victim(): number {
    for (;;) {
      const s = this.list.popTail();
      if (s < 0 || this.pool.mark[s] === 0) return s;
      this.pool.mark[s] = 0;
      this.list.pushHead(s);
    }
  }
  protected resetState(): void {
    this.list.reset();
  }
}
