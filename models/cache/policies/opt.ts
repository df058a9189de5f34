import type { CacheKey, PolicyOptions } from '../policy.ts';
import { REJECT, SlottedPolicy } from './base.ts';
import { SlotHeap } from './heap.ts';

/**
 * Next-use positions for a trace: next[i] is the index of the next request for trace[i]'s
 * key after i, or Infinity. One backward pass, O(length) memory (a Float64Array).
 */
export function nextUses(trace: ArrayLike<CacheKey>): Float64Array {
  const next = new Float64Array(trace.length);
  const seen = new Map<CacheKey, number>();
  for (let i = trace.length - 1; i >= 0; i--) {
    const key = trace[i]!;
    next[i] = seen.get(key) ?? Number.POSITIVE_INFINITY;
    seen.set(key, i);
  }
  return next;
}

/**
 * Belady's OPT for trace replays: it knows the future, so it is built on the whole trace and
 * expects get(trace[0]), get(trace[1]), … in order (admit after a miss). It evicts the resident
 * key whose next use is farthest away; with bypass (the default, MIN with bypass) it declines a
 * newcomer that will be used later than every resident key, without bypass it always admits
 * (Belady's demand-paging MIN). Optimal for unit-size entries. O(log C) per request.
 */
export class OptPolicy extends SlottedPolicy {
  readonly name: string = 'opt';
  private readonly next: Float64Array;
  private readonly trace: ArrayLike<CacheKey>;
  private readonly heap = new SlotHeap();
  /** Position of the last get() in the trace. */
  private position = -1;

  /** Whether a newcomer used later than every resident key is declined (MIN with bypass). */
  private readonly bypass: boolean;

  constructor(
    options: PolicyOptions & { readonly trace: ArrayLike<CacheKey>; readonly bypass?: boolean },
  ) {
    super(options);
    this.bypass = options.bypass ?? true;
    this.trace = options.trace;
    this.next = nextUses(options.trace);
  }

  private advance(key: CacheKey): number {
    this.position++;
    if (this.trace[this.position] !== key) {
      throw new RangeError(
        `opt: get(${String(key)}) does not follow the trace at ${this.position}`,
      );
    }
    return this.next[this.position]!;
  }

  override get(key: CacheKey): boolean {
    const nu = this.advance(key);
    const s = this.index.get(key);
    if (s === undefined) return false;
    this.heap.update(s, -nu, this.position);
    return true;
  }

  private incomingNext(): number {
    return this.position >= 0 ? this.next[this.position]! : Number.POSITIVE_INFINITY;
  }

  protected onHit(): void {}
  protected place(s: number): void {
    this.heap.push(s, -this.incomingNext(), this.position);
  }
  protected unlink(s: number): void {
    this.heap.remove(s);
  }
  protected victim(): number {
    const s = this.heap.peek();
    if (s < 0) return s;
    if (this.bypass && -this.heap.priority(s) <= this.incomingNext()) return REJECT;
    return this.heap.pop();
  }
  protected resetState(): void {
    this.heap.reset();
  }
}
