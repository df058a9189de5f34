import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Conn, Pool, type PoolUser } from '../../models/client/pool.ts';

// The pool must choose exactly as a scan of its connections in creation order would: the
// oldest open connection with a free slot (closing idle-expired ones met on the way), else the
// oldest handshake with room, else a new connection, else the queue. The reference below is
// that scan, kept as the specification; the pool does the same with two heaps.

interface RefConn {
  readonly id: number;
  state: 'connecting' | 'open';
  inUse: number;
  assigned: User[];
  idleSince: number;
}

interface User extends PoolUser {
  readonly n: number;
  ref: RefConn | undefined;
}

class ScanPool {
  readonly conns: RefConn[] = [];
  readonly waiters: User[] = [];
  private nextId = 1;
  private readonly size: number;
  private readonly capacity: number;
  private readonly idle: number;
  constructor(size: number, capacity: number, idle: number) {
    this.size = size;
    this.capacity = capacity;
    this.idle = idle;
  }

  private place(u: User, now: number, ready: User[], opened: RefConn[]): boolean {
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[i]!;
      if (c.state !== 'open' || c.inUse >= this.capacity) continue;
      if (c.inUse === 0 && now - c.idleSince > this.idle) {
        this.conns.splice(i--, 1);
        continue;
      }
      c.inUse++;
      u.ref = c;
      ready.push(u);
      return true;
    }
    for (const c of this.conns) {
      if (c.state === 'connecting' && c.assigned.length < this.capacity) {
        c.assigned.push(u);
        u.ref = c;
        return true;
      }
    }
    if (this.conns.length >= this.size) return false;
    const c: RefConn = {
      id: this.nextId++,
      state: 'connecting',
      inUse: 0,
      assigned: [u],
      idleSince: now,
    };
    this.conns.push(c);
    u.ref = c;
    opened.push(c);
    return true;
  }

  private pump(now: number, ready: User[], opened: RefConn[]): void {
    while (this.waiters.length > 0 && this.place(this.waiters[0]!, now, ready, opened))
      this.waiters.shift();
  }

  acquire(u: User, now: number) {
    const ready: User[] = [];
    const opened: RefConn[] = [];
    if (this.waiters.length > 0 || !this.place(u, now, ready, opened)) this.waiters.push(u);
    return { ready, opened };
  }

  connected(c: RefConn, now: number) {
    c.state = 'open';
    const ready = c.assigned;
    c.inUse += ready.length;
    c.assigned = [];
    c.idleSince = now;
    const opened: RefConn[] = [];
    this.pump(now, ready, opened);
    return { ready, opened };
  }

  release(u: User, now: number, reusable: boolean) {
    const c = u.ref;
    u.ref = undefined;
    if (c !== undefined) {
      c.inUse--;
      if (c.inUse === 0) c.idleSince = now;
      if (!reusable) {
        const i = this.conns.indexOf(c);
        if (i >= 0) this.conns.splice(i, 1);
      }
    }
    const ready: User[] = [];
    const opened: RefConn[] = [];
    this.pump(now, ready, opened);
    return { ready, opened };
  }

  cancel(u: User): void {
    const i = this.waiters.indexOf(u);
    if (i >= 0) this.waiters.splice(i, 1);
    const c = u.ref;
    if (c !== undefined && c.state === 'connecting') {
      const j = c.assigned.indexOf(u);
      if (j >= 0) c.assigned.splice(j, 1);
      u.ref = undefined;
    }
  }
}

type Op =
  | { readonly k: 'acquire'; readonly dt: number }
  | { readonly k: 'connect'; readonly pick: number; readonly dt: number }
  | {
      readonly k: 'release';
      readonly pick: number;
      readonly reusable: boolean;
      readonly dt: number;
    }
  | { readonly k: 'cancel'; readonly pick: number };

const dt = fc.integer({ min: 0, max: 30 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('acquire' as const), dt }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('connect' as const), pick: fc.nat(), dt }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('release' as const),
      pick: fc.nat(),
      reusable: fc.oneof(
        { weight: 5, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      dt,
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
);

describe('client connection pool', () => {
  it('picks the same connections as a scan in creation order (HTTP/1.1 and HTTP/2)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(1, 1, 3),
        fc.integer({ min: 5, max: 60 }),
        fc.array(op, { maxLength: 200 }),
        (size, capacity, idle, ops) => {
          let ids = 1;
          const pool = new Pool<User>(
            0,
            { size, capacity, idleTimeout: idle, keepAlive: true },
            () => ids++,
          );
          const ref = new ScanPool(size, capacity, idle);
          // Twin users: a for the pool, b for the reference.
          const a: User[] = [];
          const b: User[] = [];
          const connecting: [Conn, RefConn][] = [];
          const holding: number[] = [];
          let now = 0;
          const connOf = (u: User) => (u.conn === undefined ? 0 : u.conn.id);
          const check = (
            fx: { ready: User[]; opened: Conn[] },
            rf: { ready: User[]; opened: RefConn[] },
          ) => {
            expect(fx.ready.map((u) => u.n)).toEqual(rf.ready.map((u) => u.n));
            expect(fx.opened.map((c) => c.id)).toEqual(rf.opened.map((c) => c.id));
            for (const [i, c] of fx.opened.entries()) connecting.push([c, rf.opened[i]!]);
            for (const u of fx.ready) holding.push(u.n);
          };
          for (const o of ops) {
            if (o.k === 'acquire') {
              now += o.dt;
              const n = a.length;
              a.push({ n, conn: undefined, ref: undefined });
              b.push({ n, conn: undefined, ref: undefined });
              check(pool.acquire(a[n]!, now), ref.acquire(b[n]!, now));
            } else if (o.k === 'connect' && connecting.length > 0) {
              now += o.dt;
              const [c, r] = connecting.splice(o.pick % connecting.length, 1)[0]!;
              check(pool.connected(c, now), ref.connected(r, now));
            } else if (o.k === 'release' && holding.length > 0) {
              now += o.dt;
              const n = holding.splice(o.pick % holding.length, 1)[0]!;
              check(pool.release(a[n]!, now, o.reusable), ref.release(b[n]!, now, o.reusable));
            } else if (o.k === 'cancel' && a.length > 0) {
              const n = o.pick % a.length;
              if (holding.includes(n)) continue;
              pool.cancel(a[n]!);
              ref.cancel(b[n]!);
            }
            expect(pool.waiters.map((u) => u.n)).toEqual(ref.waiters.map((u) => u.n));
            for (let n = 0; n < a.length; n++) expect(connOf(a[n]!)).toBe(b[n]!.ref?.id ?? 0);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
