import type { SimTime } from '../../engine/index.ts';

/** One timed step of a traced request; `component` '' means the client itself. */
export interface TraceSpan {
  readonly component: string;
  /** A phase name (PHASES) or 'attempt' for the span of one whole attempt's request. */
  readonly phase: string;
  readonly start: SimTime;
  readonly end: SimTime;
}

/** A finished user request with its spans (all attempts), as kept by a TraceCollector. */
export interface TracedRequest {
  readonly id: number;
  readonly client: string;
  readonly className: string;
  readonly method: string;
  readonly route: string;
  /** Final status (0: a client-side failure such as a timeout) and its reason. */
  readonly status: number;
  readonly reason: string;
  readonly attempts: number;
  /** Intended start and end, µs of simulated time. */
  readonly start: SimTime;
  readonly end: SimTime;
  readonly spans: readonly TraceSpan[];
}

/** Why a request was kept: part of the uniform sample, or among the slowest. */
export type TraceReason = 'sample' | 'slowest';

/** A kept request and why it was kept. */
export interface KeptTrace extends TracedRequest {
  readonly kept: TraceReason;
}

/** A 32-bit mix of a request id (ids reach 2^53, so both halves are folded in). */
export function idHash(id: number): number {
  const hi = Math.floor(id / 2 ** 32);
  let h = (id >>> 0) ^ Math.imul(hi, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A bounded binary heap whose root is the entry `before` ranks first (the one to evict). */
class BoundedHeap<T> {
  readonly items: T[] = [];
  private readonly limit: number;
  private readonly before: (a: T, b: T) => boolean;

  constructor(limit: number, before: (a: T, b: T) => boolean) {
    this.limit = limit;
    this.before = before;
  }

  /** Adds `item`, evicting the root when full and `item` ranks after it; returns whether kept. */
  offer(item: T): boolean {
    const a = this.items;
    if (this.limit <= 0) return false;
    if (a.length < this.limit) {
      a.push(item);
      let i = a.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.before(a[i]!, a[p]!)) break;
        [a[i], a[p]] = [a[p]!, a[i]!];
        i = p;
      }
      return true;
    }
    if (!this.before(a[0]!, item)) return false;
    a[0] = item;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
      if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return true;
  }

  clear(): void {
    this.items.length = 0;
  }
}

const latencyOf = (r: TracedRequest) => r.end - r.start;

/**
 * Keeps at most `limit` finished requests with their spans: half a uniform deterministic sample
 * (the requests with the smallest id hashes, so it spreads over the whole run), half the slowest
 * (a bounded min-heap on latency, ties by id). Memory is O(limit) whatever the run length.
 */
export class TraceCollector {
  readonly limit: number;
  private readonly sample: BoundedHeap<TracedRequest & { readonly hash: number }>;
  private readonly slow: BoundedHeap<TracedRequest>;

  constructor(limit: number) {
    this.limit = limit;
    const sampleSize = Math.floor(limit / 2);
    this.sample = new BoundedHeap(sampleSize, (a, b) =>
      a.hash !== b.hash ? a.hash > b.hash : a.id > b.id,
    );
    this.slow = new BoundedHeap(limit - sampleSize, (a, b) => {
      const d = latencyOf(a) - latencyOf(b);
      return d !== 0 ? d < 0 : a.id > b.id;
    });
  }

  /** A traced request finished. */
  offer(r: TracedRequest): void {
    this.slow.offer(r);
    this.sample.offer({ ...r, hash: idHash(r.id) });
  }

  /** Forgets everything (end of warm-up). */
  reset(): void {
    this.sample.clear();
    this.slow.clear();
  }

  /** The kept requests: the slowest (slowest first), then the rest of the sample by start time. */
  kept(): KeptTrace[] {
    const slowIds = new Set(this.slow.items.map((r) => r.id));
    const slow = [...this.slow.items]
      .sort((a, b) => latencyOf(b) - latencyOf(a) || a.id - b.id)
      .map((r): KeptTrace => ({ ...r, kept: 'slowest' }));
    const sample = this.sample.items
      .filter((r) => !slowIds.has(r.id))
      .sort((a, b) => a.start - b.start || a.id - b.id)
      .map(({ hash: _hash, ...r }): KeptTrace => ({ ...r, kept: 'sample' }));
    return [...slow, ...sample];
  }
}
