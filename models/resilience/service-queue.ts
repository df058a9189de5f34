import { Fifo } from '../core/fifo.ts';
import type { ServiceQueueConfig } from './service-schema.ts';

/** Anything queued: it knows its priority rank (0 = most important). */
export interface Ranked {
  readonly rank: number;
}

/**
 * The waiting requests of a `service`: one queue per priority rank (one rank without
 * priorities). `take` serves the most important non-empty rank, oldest first (FIFO), newest
 * first (LIFO), or newest first only while the queue is longer than `lifoAbove` (adaptive LIFO).
 */
export class ServiceQueue<T extends Ranked> {
  private readonly config: ServiceQueueConfig;
  private readonly ranks: Fifo<T>[];
  private size = 0;

  constructor(config: ServiceQueueConfig, rankCount: number) {
    this.config = config;
    this.ranks = Array.from({ length: rankCount }, () => new Fifo<T>());
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
      out.push(...q.drain());
    }
    this.size = 0;
    return out;
  }
}
