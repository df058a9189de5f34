import { Fifo } from '../core/fifo.ts';

/**
 * A client-side connection pool (HikariCP-like) inside one app-server actor: at most `size`
 * connections lent at once; borrowers beyond that wait in FIFO order. The owner arms the wait
 * timeout (HikariCP `connectionTimeout`) and removes the waiter when it fires.
 */
export class ConnectionPool {
  /** HikariCP `maximumPoolSize`. */
  readonly size: number;
  private lent = 0;
  private readonly waiters = new Fifo<number>();
  private readonly waiting = new Set<number>();

  constructor(size: number) {
    this.size = size;
  }

  /** Connections lent out now (never more than size). */
  get inUse(): number {
    return this.lent;
  }

  /** Borrowers waiting for a connection. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Lends a connection to `tag` now (true) or queues it (false). */
  acquire(tag: number): boolean {
    if (this.lent < this.size && this.waiting.size === 0) {
      this.lent++;
      return true;
    }
    this.waiters.push(tag);
    this.waiting.add(tag);
    return false;
  }

  /** Removes a waiter (timeout or killed request); false if it was not waiting. */
  abandon(tag: number): boolean {
    return this.waiting.delete(tag);
  }

  /** Returns a connection; gives it to the next live waiter, whose tag is returned. */
  release(): number | undefined {
    for (;;) {
      const next = this.waiters.shift();
      if (next === undefined) break;
      if (this.waiting.delete(next)) return next;
    }
    this.lent--;
    return undefined;
  }
}
