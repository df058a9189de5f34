import type { CacheKey, PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { NO_SLOT, SlotList } from './slots.ts';

const T1 = 1;
const T2 = 2;
const B1 = 3;
const B2 = 4;

/**
 * ARC (Megiddo & Modha, FAST 2003): resident lists T1 (seen once recently) and T2 (seen at
 * least twice), ghost lists B1/B2 of recently evicted keys (metadata only), and a target size p
 * for T1 that grows on B1 ghost hits and shrinks on B2 ghost hits. With only a byte limit, c
 * (the ghost bound) follows the resident entry count. O(1).
 */
export class ArcPolicy extends SlottedPolicy {
  readonly name: string = 'arc';
  private readonly t1 = new SlotList(this.pool);
  private readonly t2 = new SlotList(this.pool);
  private readonly b1 = new SlotList(this.pool);
  private readonly b2 = new SlotList(this.pool);
  private readonly ghosts = new Map<CacheKey, number>();
  /** Target size of T1, in entries. */
  p = 0;

  constructor(options: PolicyOptions) {
    super(options);
  }

  private c(): number {
    return Number.isFinite(this.capacity) ? this.capacity : Math.max(1, this.index.size + 1);
  }

  protected onHit(s: number): void {
    this.listOf(s).remove(s);
    this.pool.mark[s] = T2;
    this.t2.pushHead(s);
  }

  override admit(key: CacheKey, size = 1): void {
    if (this.index.has(key)) this.delete(key);
    if (size > this.capacityBytes) return;
    const c = this.c();
    const g = this.ghosts.get(key);
    let target = T2;
    let inB2 = false;
    if (g !== undefined && this.pool.mark[g] === B1) {
      this.p = Math.min(c, this.p + Math.max(this.b2.length / this.b1.length, 1));
      this.dropGhost(g);
    } else if (g !== undefined) {
      this.p = Math.max(0, this.p - Math.max(this.b1.length / this.b2.length, 1));
      this.dropGhost(g);
      inB2 = true;
    } else {
      target = T1;
      if (this.t1.length + this.b1.length >= c) {
        if (this.t1.length < c) this.dropGhost(this.b1.tail);
        else {
          const s = this.t1.popTail();
          this.evictSlot(s);
        }
      } else {
        const total = this.t1.length + this.t2.length + this.b1.length + this.b2.length;
        if (total >= 2 * c && this.b2.length > 0) this.dropGhost(this.b2.tail);
      }
    }
    while (this.index.size + 1 > this.capacity || this.bytes + size > this.capacityBytes) {
      if (!this.replace(inB2)) return;
    }
    const s = this.pool.alloc(key, size);
    this.index.set(key, s);
    this.bytes += size;
    this.pool.mark[s] = target;
    (target === T1 ? this.t1 : this.t2).pushHead(s);
  }

  /**
   * ARC's REPLACE: demotes the LRU of T1 or T2 to its ghost list; false if nothing is resident.
   * As in the paper, |T1| is compared with p itself (p is fractional after a ghost hit with
   * unequal ghost lists, and then |T1| = p never holds). T2 empty falls back to T1 (only after
   * deletes or byte-bounded evictions; unreachable on a plain entry-bounded trace).
   */
  private replace(inB2: boolean): boolean {
    const l1 = this.t1.length;
    let from: SlotList;
    let ghost: SlotList;
    let mark: number;
    if (l1 > 0 && ((inB2 && l1 === this.p) || l1 > this.p || this.t2.length === 0)) {
      from = this.t1;
      ghost = this.b1;
      mark = B1;
    } else if (this.t2.length > 0) {
      from = this.t2;
      ghost = this.b2;
      mark = B2;
    } else return false;
    const s = from.popTail();
    const key = this.pool.keys[s]!;
    this.evictSlot(s);
    const g = this.pool.alloc(key, 0);
    this.pool.mark[g] = mark;
    ghost.pushHead(g);
    this.ghosts.set(key, g);
    return true;
  }

  private dropGhost(g: number): void {
    if (g === NO_SLOT) return;
    (this.pool.mark[g] === B1 ? this.b1 : this.b2).remove(g);
    this.ghosts.delete(this.pool.keys[g]!);
    this.pool.release(g);
  }

  private listOf(s: number): SlotList {
    return this.pool.mark[s] === T1 ? this.t1 : this.t2;
  }

  protected place(s: number): void {
    this.pool.mark[s] = T1;
    this.t1.pushHead(s);
  }
  protected unlink(s: number): void {
    this.listOf(s).remove(s);
  }
  protected victim(): number {
    const s = this.t1.length > 0 ? this.t1.popTail() : this.t2.popTail();
    return s;
  }
  protected resetState(): void {
    this.t1.reset();
    this.t2.reset();
    this.b1.reset();
    this.b2.reset();
    this.ghosts.clear();
    this.p = 0;
  }
}
