import type { ActorRef, Context, Distribution } from '../../engine/index.ts';

/** A write the primary ships to its replicas (the WAL record of one commit, per user). */
export interface WalMessage {
  readonly type: 'db.wal';
  readonly user: number;
}

/** Timer on a replica: the WAL record for `user` has been replayed. */
export interface ApplyTimer {
  readonly type: 'db.apply';
  readonly user: number;
}

/**
 * Replication as seen by one replica: WAL records arrive at commit time and are replayed in
 * order after a lag. A read by a user with a committed but not yet replayed write is a
 * read-your-writes violation (the replica serves stale data).
 */
export class ReplicaLog {
  private readonly unapplied = new Map<number, number>();
  private lastApply = 0;
  private readonly lag: Distribution;

  constructor(lag: Distribution) {
    this.lag = lag;
  }

  /** Records a shipped write and schedules its replay (in order: never before the previous). */
  receive(ctx: Context, user: number): void {
    this.unapplied.set(user, (this.unapplied.get(user) ?? 0) + 1);
    const at = Math.max(this.lastApply, ctx.now + this.lag.sample(ctx.rng('lag')));
    this.lastApply = at;
    const timer: ApplyTimer = { type: 'db.apply', user };
    ctx.after(at - ctx.now, timer);
  }

  /** A write for `user` has been replayed. */
  apply(user: number): void {
    const n = (this.unapplied.get(user) ?? 0) - 1;
    if (n <= 0) this.unapplied.delete(user);
    else this.unapplied.set(user, n);
  }

  /** Whether a read by `user` now would miss one of their own writes. */
  stale(user: number): boolean {
    return this.unapplied.has(user);
  }
}

/** Ships a write by `user` to every subscribed replica. */
export function shipWal(
  replicas: readonly ActorRef[],
  user: number,
  send: (to: ActorRef, m: WalMessage) => void,
): void {
  if (user === 0) return;
  for (const r of replicas) send(r, { type: 'db.wal', user });
}
