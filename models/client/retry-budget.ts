import type { SimTime } from '../../engine/index.ts';

const SLOTS = 10;

/**
 * A Finagle-style retry budget: every first attempt deposits `ratio` tokens, every retry
 * withdraws one, deposits and withdrawals expire after `ttl`, and a fixed reserve of
 * `minPerSecond × ttl` retries is always available. So within any ttl window,
 * retries ≤ ratio × requests + minPerSecond × ttl. Fixed memory (ten slots of ttl/10).
 */
export class RetryBudget {
  readonly ratio: number;
  readonly reserve: number;
  readonly ttl: SimTime;
  private readonly slotWidth: number;
  private readonly slots = new Float64Array(SLOTS);
  private slotIndex = 0;
  private slotStart = 0;

  constructor(ratio: number, minPerSecond: number, ttl: SimTime) {
    this.ratio = ratio;
    this.ttl = ttl;
    this.reserve = (minPerSecond * ttl) / 1e6;
    this.slotWidth = ttl / SLOTS;
  }

  /** Drops slots older than the window so `now` falls in the current one. */
  private advance(now: SimTime): void {
    let steps = Math.floor((now - this.slotStart) / this.slotWidth);
    if (steps <= 0) return;
    if (steps > SLOTS) steps = SLOTS;
    for (let i = 0; i < steps; i++) {
      this.slotIndex = (this.slotIndex + 1) % SLOTS;
      this.slots[this.slotIndex] = 0;
    }
    this.slotStart = now - ((now - this.slotStart) % this.slotWidth);
  }

  /** Tokens available now (deposits minus withdrawals in the window, plus the reserve). */
  balance(now: SimTime): number {
    this.advance(now);
    let sum = this.reserve;
    for (const v of this.slots) sum += v;
    return sum;
  }

  /** Records a first attempt. */
  deposit(now: SimTime): void {
    this.advance(now);
    this.slots[this.slotIndex]! += this.ratio;
  }

  /** Withdraws one retry if the balance allows it; false when the budget is exhausted. */
  tryWithdraw(now: SimTime): boolean {
    if (this.balance(now) < 1 - 1e-9) return false;
    this.slots[this.slotIndex]! -= 1;
    return true;
  }
}
