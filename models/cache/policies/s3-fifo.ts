import type { CacheKey, PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { NO_SLOT, SlotList } from './slots.ts';

/** Options of S3-FIFO. */
export interface S3FifoOptions extends PolicyOptions {
  /** Share of the capacity for the small FIFO (default 0.10). */
  readonly smallRatio?: number | undefined;
  /** Ghost FIFO length as a share of the entry capacity (default 0.90). */
  readonly ghostRatio?: number | undefined;
  /** Hits in the small FIFO needed to move to main on eviction (default 1: "accessed at least once"). */
  readonly moveToMainThreshold?: number | undefined;
}

const IN_S = 0;
const IN_M = 1;

/**
 * S3-FIFO (Yang et al., SOSP 2023): a small FIFO S (10 %) that filters one-hit wonders, a main
 * FIFO M with lazy reinsertion, and a ghost FIFO G of keys recently evicted from S. Hits only
 * bump a 2-bit counter. New keys enter S unless remembered in G (then M). Evicting from S moves
 * entries hit at least `threshold` times to M, otherwise drops them into G; evicting from M
 * reinserts entries with a non-zero counter (decremented). Amortised O(1).
 */
export class S3FifoPolicy extends SlottedPolicy {
  readonly name: string = 's3-fifo';
  private readonly small = new SlotList(this.pool);
  private readonly main = new SlotList(this.pool);
  private readonly ghost = new SlotList(this.pool);
  private readonly ghosts = new Map<CacheKey, number>();
  private readonly smallRatio: number;
  private readonly ghostRatio: number;
  private readonly threshold: number;
  private toMain = false;

  constructor(options: S3FifoOptions) {
    super(options);
    this.smallRatio = options.smallRatio ?? 0.1;
    this.ghostRatio = options.ghostRatio ?? 0.9;
    this.threshold = options.moveToMainThreshold ?? 1;
  }

  override admit(key: CacheKey, size = 1): void {
    const g = this.ghosts.get(key);
    this.toMain = g !== undefined;
    if (g !== undefined) this.dropGhost(g);
    super.admit(key, size);
  }

  protected onHit(s: number): void {
    if (this.pool.mark[s]! < 3) this.pool.mark[s]! += 1;
  }
  protected place(s: number): void {
    if (this.toMain) {
      this.pool.values[s] = IN_M;
      this.main.pushHead(s);
    } else {
      this.pool.values[s] = IN_S;
      this.small.pushHead(s);
    }
  }
  protected unlink(s: number): void {
    (this.pool.values[s] === IN_M ? this.main : this.small).remove(s);
  }

  private smallOver(): boolean {
    return (
      this.small.length > this.smallRatio * this.capacity ||
      this.small.bytes > this.smallRatio * this.capacityBytes
    );
  }

  protected victim(): number {
    while (this.small.length > 0 && (this.smallOver() || this.main.length === 0)) {
      const t = this.small.popTail();
      if (this.pool.mark[t]! >= this.threshold) {
        this.pool.mark[t] = 0;
        this.pool.values[t] = IN_M;
        this.main.pushHead(t);
        continue;
      }
      this.remember(this.pool.keys[t]!);
      return t;
    }
    for (;;) {
      const t = this.main.popTail();
      if (t === NO_SLOT) return NO_SLOT;
      const f = this.pool.mark[t]!;
      if (f === 0) return t;
      this.pool.mark[t] = f - 1;
      this.main.pushHead(t);
    }
  }

  private remember(key: CacheKey): void {
    const bound = Number.isFinite(this.capacity) ? this.capacity : this.index.size;
    const max = Math.max(1, Math.floor(this.ghostRatio * bound));
    while (this.ghost.length >= max) this.dropGhost(this.ghost.tail);
    const g = this.pool.alloc(key, 0);
    this.ghost.pushHead(g);
    this.ghosts.set(key, g);
  }

  private dropGhost(g: number): void {
    this.ghost.remove(g);
    this.ghosts.delete(this.pool.keys[g]!);
    this.pool.release(g);
  }

  protected resetState(): void {
    this.small.reset();
    this.main.reset();
    this.ghost.reset();
    this.ghosts.clear();
  }
}
