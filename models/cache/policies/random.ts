import type { Rng } from '../../../engine/index.ts';
import type { PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { DenseSlots } from './dense.ts';
import { NO_SLOT } from './slots.ts';

/** Random eviction (Redis allkeys-random): the victim is a uniformly drawn resident entry. O(1). */
export class RandomPolicy extends SlottedPolicy {
  readonly name: string = 'random';
  private readonly dense = new DenseSlots();
  private readonly rng: Rng;

  constructor(options: PolicyOptions) {
    super(options);
    if (options.rng === undefined) throw new RangeError('random eviction needs an rng');
    this.rng = options.rng;
  }
  protected onHit(): void {}
  protected place(s: number): void {
    this.dense.add(s);
  }
  protected unlink(s: number): void {
    this.dense.remove(s);
  }
  protected victim(): number {
    if (this.dense.length === 0) return NO_SLOT;
    const s = this.dense.pick(this.rng.next());
    this.dense.remove(s);
    return s;
  }
  protected resetState(): void {
    this.dense.reset();
  }
}
