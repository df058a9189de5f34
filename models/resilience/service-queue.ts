import type { ServiceQueueConfig } from './service-schema.ts';

/** A double-ended queue (head index over an array, compacted as it drains). */
class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  pop(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items.pop();
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return item;
  }

  removeFirst(pred: (item: T) => boolean): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (!pred(item)) continue;
      this.items.splice(i, 1);
      return item;
    }
    return undefined;
  }

  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** Anything queued: it knows its priority rank (0 = most important). */
export interface Ranked {
  readonly rank: number;
}

/**
 * The waiting requests of a `service`: one deque per priority rank (one rank without
 * priorities). `take` serves the most important non-empty rank, oldest first (FIFO), newest
 * first (LIFO), or newest first only while the queue is longer than `lifoAbove` (adaptive LIFO).
 */
export class ServiceQueue<T extends Ranked> {
  private readonly config: ServiceQueueConfig;
  private readonly ranks: Deque<T>[];
  private size = 0;

  constructor(config: ServiceQueueConfig, rankCount: number) {
    this.config = config;
    this.ranks = Array.from({ length: rankCount }, () => new Deque<T>());
  }

  get length(): number {
    return this.size;
  }

  /** Whether a new request would exceed the limit. */
  get full(): boolean {
    return this.config.limit !== undefined && this.size >= this.config.limit;
  }

  push(item: T): void {
    this.ranks[item.rank]!.push(item);
    this.size++;
  }

  /** The next request to serve, removed; undefined when empty. */
  take(): T | undefined {
    const d = this.config.discipline;
    const lifo = d === 'lifo' || (d === 'adaptive-lifo' && this.size > this.config.lifoAbove);
    for (const q of this.ranks) {
      if (q.length === 0) continue;
      this.size--;
      return lifo ? q.pop() : q.shift();
    }
    return undefined;
  }

  /** Removes the newest request of the least important rank below `rank`; undefined if none. */
  evictBelow(rank: number): T | undefined {
    for (let r = this.ranks.length - 1; r > rank; r--) {
      const q = this.ranks[r]!;
      if (q.length === 0) continue;
      this.size--;
      return q.pop();
    }
    return undefined;
  }

  /** Removes and returns the first queued request matching `pred`; undefined if none. */
  removeFirst(pred: (item: T) => boolean): T | undefined {
    for (const q of this.ranks) {
      const found = q.removeFirst(pred);
      if (found !== undefined) {
        this.size--;
        return found;
      }
    }
    return undefined;
  }

  /** Removes and returns everything (a crash). */
  drain(): T[] {
    const out: T[] = [];
    for (const q of this.ranks) {
      out.push(...q.toArray());
      q.clear();
    }
    this.size = 0;
    return out;
  }
}
