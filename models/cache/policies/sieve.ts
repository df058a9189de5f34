import type { PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { NO_SLOT, SlotList } from './slots.ts';

/**
 * SIEVE (Zhang et al., NSDI 2024): one FIFO queue, a visited bit per entry and a hand. A hit
 * only sets the bit. Eviction starts at the hand (or the tail), clears visited bits while moving
 * toward the head (wrapping to the tail), evicts the first unvisited entry and leaves the hand at
 * its newer neighbour. New entries go to the head. Amortised O(1).
 */
export class SievePolicy extends SlottedPolicy {
  readonly name: string = 'sieve';
  private readonly list = new SlotList(this.pool);
  private hand = NO_SLOT;

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
    if (this.hand === s) this.hand = this.list.towardHead(s);
    this.list.remove(s);
  }
  protected victim(): number {
    let s = this.hand === NO_SLOT ? this.list.tail : this.hand;
    if (s === NO_SLOT) return NO_SLOT;
    while (this.pool.mark[s] === 1) {
      this.pool.mark[s] = 0;
      s = this.list.towardHead(s);
      if (s === NO_SLOT) s = this.list.tail;
    }
    this.hand = this.list.towardHead(s);
    this.list.remove(s);
    return s;
  }
  protected resetState(): void {
    this.list.reset();
    this.hand = NO_SLOT;
  }
}
