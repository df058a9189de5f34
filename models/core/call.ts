import type { ActorRef } from '../../engine/index.ts';
import type { HttpRequest } from '../http/messages.ts';

/** Operations on a data store (database, key-value cache, shared limiter counter). */
export type StoreOp = 'get' | 'set' | 'delete' | 'incr' | 'query';

/**
 * A call from an app server (or a limiter, or a cache layer) to a store actor. The store
 * answers with StoreReply carrying the same tag. `req` is the user request being served, so
 * the store can add to its phases.
 */
export interface StoreCall {
  readonly type: 'store.call';
  readonly op: StoreOp;
  /** Object key (cache key, row id, counter key). */
  readonly key: number | string;
  /** Query class for databases ('point', 'range', 'scan', 'write'); unused by key-value stores. */
  readonly queryClass?: string | undefined;
  /** Value bytes for set, or an amount for incr. */
  readonly amount?: number;
  /** Number stored by set (a session's creation time); read back by get as `data`. */
  readonly value?: number;
  /** Expiry for set/incr in µs (0: none). */
  readonly ttl?: number | undefined;
  readonly req: HttpRequest | undefined;
  readonly replyTo: ActorRef;
  readonly tag: number;
}

/** How a store call ended. */
export type StoreOutcome = 'ok' | 'hit' | 'miss' | 'error' | 'refused' | 'timeout';

/** A store's answer to one call. */
export interface StoreReply {
  readonly type: 'store.reply';
  readonly tag: number;
  readonly outcome: StoreOutcome;
  /** The counter value after incr, or the stored size for get hits. */
  readonly value: number;
  /** The number a get hit found (what set stored as `value`). */
  readonly data?: number;
}
