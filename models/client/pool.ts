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
}

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
  readonly conns: Conn[] = [];
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
    }
  }

  private drop(conn: Conn): void {
    const i = this.conns.indexOf(conn);
    if (i >= 0) this.conns.splice(i, 1);
  }

  private place(user: U, now: SimTime, effects: PoolEffects<U>): boolean {
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[i]!;
      if (c.state !== 'open' || c.inUse >= this.capacity) continue;
      if (c.inUse === 0 && now - c.idleSince > this.idleTimeout) {
        this.conns.splice(i--, 1);
        continue;
      }
      c.inUse++;
      user.conn = c;
      effects.ready.push(user);
      return true;
    }
    for (const c of this.conns) {
      if (c.state === 'connecting' && c.assigned.length < this.capacity) {
        c.assigned.push(user);
        user.conn = c;
        return true;
      }
    }
    if (this.conns.length >= this.size) return false;
    const conn: Conn = {
      id: this.newId(),
      addr: this.addr,
      state: 'connecting',
      inUse: 0,
      assigned: [user],
      idleSince: now,
      tls: 0,
    };
    this.conns.push(conn);
    user.conn = conn;
    effects.opened.push(conn);
    return true;
  }

  private pump(now: SimTime, effects: PoolEffects<U>): void {
    while (this.waiters.length > 0 && this.place(this.waiters[0]!, now, effects))
      this.waiters.shift();
  }
}
