import type { Rng } from '../../../engine/index.ts';
import type { CacheKey, PolicyOptions } from '../policy.ts';
import { SlottedPolicy } from './base.ts';
import { FrequencySketch } from './sketch.ts';
import { NO_SLOT, SlotList } from './slots.ts';

/** Options of W-TinyLFU. */
export interface TinyLfuOptions extends PolicyOptions {
  /** Admission window share of the capacity (default 0.01, Caffeine's initial value). */
  readonly windowRatio?: number | undefined;
  /** Protected share of the main space (default 0.80). */
  readonly protectedRatio?: number | undefined;
  /** Counters per sketch row (rounded up to a power of two; default: the entry capacity). */
  readonly sketchSize?: number | undefined;
  /** Increments between halvings per expected entry (default 10, Caffeine's). */
  readonly sketchResetFactor?: number | undefined;
}

const WINDOW = 0;
const PROBATION = 1;
const PROTECTED = 2;

/**
 * W-TinyLFU as in Caffeine (fixed window, no hill climbing): a small LRU admission window, a
 * segmented-LRU main space (probation + protected) and a Count-Min frequency sketch with
 * periodic halving. When the cache is full, the window's LRU entry (candidate) duels the
 * probation LRU entry (victim): the candidate wins if its estimated frequency is higher, or
 * with probability 1/128 when it is at least 6 (hash-flooding defence). O(1).
 */
export class TinyLfuPolicy extends SlottedPolicy {
  readonly name: string = 'w-tinylfu';
  private readonly window = new SlotList(this.pool);
  private readonly probation = new SlotList(this.pool);
  private readonly protect = new SlotList(this.pool);
  private readonly sketch: FrequencySketch;
  private readonly rng: Rng;
  private readonly maxWindow: number;
  private readonly maxWindowBytes: number;
  private readonly maxProtected: number;
  private readonly maxProtectedBytes: number;

  constructor(options: TinyLfuOptions) {
    super(options);
    if (options.rng === undefined) throw new RangeError('w-tinylfu needs an rng');
    this.rng = options.rng;
    const w = options.windowRatio ?? 0.01;
    const p = options.protectedRatio ?? 0.8;
    const inf = Number.POSITIVE_INFINITY;
    const finiteE = Number.isFinite(this.capacity);
    const finiteB = Number.isFinite(this.capacityBytes);
    this.maxWindow = finiteE ? Math.max(1, Math.floor(w * this.capacity)) : inf;
    this.maxWindowBytes = finiteB ? Math.max(1, w * this.capacityBytes) : inf;
    this.maxProtected = finiteE ? p * (this.capacity - this.maxWindow) : inf;
    this.maxProtectedBytes = finiteB ? p * (this.capacityBytes - this.maxWindowBytes) : inf;
    const expected =
      options.sketchSize ?? (Number.isFinite(this.capacity) ? this.capacity : 65_536);
    this.sketch = new FrequencySketch(expected, options.sketchResetFactor ?? 10);
  }

  override get(key: CacheKey): boolean {
    this.sketch.increment(key);
    return super.get(key);
  }

  protected onHit(s: number): void {
    const region = this.pool.mark[s];
    if (region === WINDOW) this.window.moveToHead(s);
    else if (region === PROTECTED) this.protect.moveToHead(s);
    else {
      this.probation.remove(s);
      this.pool.mark[s] = PROTECTED;
      this.protect.pushHead(s);
      while (
        this.protect.length > this.maxProtected ||
        this.protect.bytes > this.maxProtectedBytes
      ) {
        const d = this.protect.popTail();
        this.pool.mark[d] = PROBATION;
        this.probation.pushHead(d);
      }
    }
  }

  private listOf(s: number): SlotList {
    const r = this.pool.mark[s];
    return r === WINDOW ? this.window : r === PROBATION ? this.probation : this.protect;
  }

  private windowOver(): boolean {
    return this.window.length > this.maxWindow || this.window.bytes > this.maxWindowBytes;
  }

  override admit(key: CacheKey, size = 1): void {
    if (this.index.has(key)) this.delete(key);
    if (size > this.capacityBytes) return;
    const s = this.pool.alloc(key, size);
    this.index.set(key, s);
    this.bytes += size;
    this.pool.mark[s] = WINDOW;
    this.window.pushHead(s);
    while (this.index.size > this.capacity || this.bytes > this.capacityBytes) {
      const mainVictim = this.probation.tail !== NO_SLOT ? this.probation.tail : this.protect.tail;
      if ((this.windowOver() || mainVictim === NO_SLOT) && this.window.length > 0) {
        const cand = this.window.tail;
        if (mainVictim === NO_SLOT || !this.candidateWins(cand, mainVictim)) {
          this.window.remove(cand);
          this.evictSlot(cand);
        } else {
          this.listOf(mainVictim).remove(mainVictim);
          this.evictSlot(mainVictim);
          this.toProbation(cand);
        }
      } else {
        this.listOf(mainVictim).remove(mainVictim);
        this.evictSlot(mainVictim);
      }
    }
    while (this.windowOver() && this.window.length > 1) this.toProbation(this.window.tail);
  }

  private toProbation(s: number): void {
    this.window.remove(s);
    this.pool.mark[s] = PROBATION;
    this.probation.pushHead(s);
  }

  private candidateWins(cand: number, victim: number): boolean {
    const fc = this.sketch.frequency(this.pool.keys[cand]!);
    const fv = this.sketch.frequency(this.pool.keys[victim]!);
    if (fc > fv) return true;
    return fc >= 6 && this.rng.next() < 1 / 128;
  }

  protected place(s: number): void {
    this.pool.mark[s] = WINDOW;
    this.window.pushHead(s);
  }
  protected unlink(s: number): void {
    this.listOf(s).remove(s);
  }
  protected victim(): number {
    for (const l of [this.probation, this.window, this.protect]) {
      if (l.length > 0) return l.popTail();
    }
    return NO_SLOT;
  }
  protected resetState(): void {
    this.window.reset();
    this.probation.reset();
    this.protect.reset();
    this.sketch.reset();
  }
}
