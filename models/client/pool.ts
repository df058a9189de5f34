import { Heap } from 'heap-js';
import type { ActorRef, SimTime } from '../../engine/index.ts';

/** One client connection to a host; `capacity` is 1 for HTTP/1.1, max streams for HTTP/2. */
export interface Conn {
  readonly id: number;
  readonly addr: ActorRef;
  state: 'connecting' | 'open';
  /** Requests currently using it (open connections only). */
  inUse: number;
  /** Requests waiting for its handshake to finish. */
  assigned: PoolUser[];
  idleSince: SimTime;
  /** µs its handshake spent in TLS (to split a joiner's wait into connect and tls). */
  tls: number;
  /** Pool bookkeeping: dropped from the pool; listed among the free or the joinable ones. */
  closed: boolean;
  inFree: boolean;
  inJoinable: boolean;
}

/** Oldest first: ids grow with creation. */
const byAge = (a: Conn, b: Conn): number => a.id - b.id;

/** Something that can hold a connection (a client's job). */
export interface PoolUser {
  conn: Conn | undefined;
}

/** What a pool operation produced: users that now hold an open connection, and new connections to handshake. */
export interface PoolEffects<U extends PoolUser> {
  readonly ready: U[];
  readonly opened: Conn[];
}

/**
 * The connections of one client to one host. HTTP/1.1 runs one request per connection at a
 * time; HTTP/2 multiplexes up to `capacity` streams. When every connection is busy and the pool
 * is full, users wait in FIFO order. Idle connections expire lazily after `idleTimeout`.
 */
export class Pool<U extends PoolUser> {
  readonly addr: ActorRef;
  /** Connections in the pool (connecting or open). */
  private count = 0;
  /**
   * Open connections with a free slot, and connecting ones a user may still join, oldest
   * first; entries that stopped qualifying are dropped when they reach the top. A request takes
   * the oldest usable connection, as a scan of the pool in creation order would, in O(log n).
   */
  private readonly free = new Heap<Conn>(byAge);
  private readonly joinable = new Heap<Conn>(byAge);
  readonly waiters: U[] = [];
  /** Whether a TLS session ticket from an earlier handshake exists (for resumption). */
  ticket = false;
  private readonly size: number;
  private readonly capacity: number;
  private readonly idleTimeout: SimTime;
  private readonly keepAlive: boolean;
  private readonly newId: () => number;

  constructor(
    addr: ActorRef,
    opts: { size: number; capacity: number; idleTimeout: SimTime; keepAlive: boolean },
    newId: () => number,
  ) {
    this.addr = addr;
    this.size = opts.size;
    this.capacity = opts.capacity;
    this.idleTimeout = opts.idleTimeout;
    this.keepAlive = opts.keepAlive;
    this.newId = newId;
  }

  /** Asks for a connection: 'ready' (reused, user.conn set), 'joined' a handshake, 'opened', or 'queued'. */
  acquire(user: U, now: SimTime): PoolEffects<U> {
    const effects: PoolEffects<U> = { ready: [], opened: [] };
    if (this.waiters.length > 0 || !this.place(user, now, effects)) this.waiters.push(user);
    return effects;
  }

  /** A handshake finished: its users (and waiters that now fit) hold the connection. */
  connected(conn: Conn, now: SimTime): PoolEffects<U> {
    conn.state = 'open';
    const ready = conn.assigned as U[];
    conn.inUse += ready.length;
    conn.assigned = [];
    conn.idleSince = now;
    this.markFree(conn);
    const effects: PoolEffects<U> = { ready, opened: [] };
    this.pump(now, effects);
    return effects;
  }

  /** A handshake failed: returns its users (now without a connection) and serves waiters. */
  failed(conn: Conn, now: SimTime): { readonly failed: U[] } & PoolEffects<U> {
    this.drop(conn);
    const failed = conn.assigned as U[];
    for (const u of failed) u.conn = undefined;
    conn.assigned = [];
    const effects: PoolEffects<U> = { ready: [], opened: [] };
    this.pump(now, effects);
    return { failed, ...effects };
  }

  /** A user is done with its connection; `reusable` false closes it (e.g. HTTP/1.1 after a timeout). */
  release(user: U, now: SimTime, reusable: boolean): PoolEffects<U> {
    const conn = user.conn;
    user.conn = undefined;
    if (conn !== undefined) {
      conn.inUse--;
      if (conn.inUse === 0) conn.idleSince = now;
      if (!reusable || (!this.keepAlive && conn.inUse === 0)) this.drop(conn);
      else this.markFree(conn);
    }
    const effects: PoolEffects<U> = { ready: [], opened: [] };
    this.pump(now, effects);
    return effects;
  }

  /** Withdraws a user that is waiting (in the queue or on a handshake), e.g. on timeout. */
  cancel(user: U): void {
    const i = this.waiters.indexOf(user);
    if (i >= 0) this.waiters.splice(i, 1);
    const conn = user.conn;
    if (conn !== undefined && conn.state === 'connecting') {
      const j = conn.assigned.indexOf(user);
      if (j >= 0) conn.assigned.splice(j, 1);
      user.conn = undefined;
      this.markJoinable(conn);
    }
  }

  private drop(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    this.count--;
  }

  private markFree(conn: Conn): void {
    if (conn.inFree || conn.closed || conn.state !== 'open' || conn.inUse >= this.capacity) return;
    conn.inFree = true;
    this.free.push(conn);
  }

  private markJoinable(conn: Conn): void {
    if (conn.inJoinable || conn.closed || conn.state !== 'connecting') return;
    if (conn.assigned.length >= this.capacity) return;
    conn.inJoinable = true;
    this.joinable.push(conn);
  }

  private place(user: U, now: SimTime, effects: PoolEffects<U>): boolean {
    // The oldest open connection with a free slot; idle ones past idleTimeout met on the way
    // are closed.
    for (let c = this.free.peek(); c !== undefined; c = this.free.peek()) {
      if (c.closed || c.state !== 'open' || c.inUse >= this.capacity) {
        this.free.pop();
        c.inFree = false;
        continue;
      }
      if (c.inUse === 0 && now - c.idleSince > this.idleTimeout) {
        this.free.pop();
        c.inFree = false;
        this.drop(c);
        continue;
      }
      c.inUse++;
      if (c.inUse >= this.capacity) {
        this.free.pop();
        c.inFree = false;
      }
      user.conn = c;
      effects.ready.push(user);
      return true;
    }
    // Else the oldest handshake in progress with room (HTTP/2 streams, or a withdrawn opener).
    for (let c = this.joinable.peek(); c !== undefined; c = this.joinable.peek()) {
      if (c.closed || c.state !== 'connecting' || c.assigned.length >= this.capacity) {
        this.joinable.pop();
        c.inJoinable = false;
        continue;
      }
      c.assigned.push(user);
      user.conn = c;
      if (c.assigned.length >= this.capacity) {
        this.joinable.pop();
        c.inJoinable = false;
      }
      return true;
    }
    if (this.count >= this.size) return false;
    const conn: Conn = {
      id: this.newId(),
      addr: this.addr,
      state: 'connecting',
      inUse: 0,
      assigned: [user],
      idleSince: now,
      tls: 0,
      closed: false,
      inFree: false,
      inJoinable: false,
    };
    this.count++;
    user.conn = conn;
    effects.opened.push(conn);
    this.markJoinable(conn);
    return true;
  }

  private pump(now: SimTime, effects: PoolEffects<U>): void {
    while (this.waiters.length > 0 && this.place(this.waiters[0]!, now, effects))
      this.waiters.shift();
  }
}
