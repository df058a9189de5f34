import type { ActorRef, SimTime } from '../../engine/index.ts';
import type { HttpRequest, PageReply } from '../http/messages.ts';

/** Operations on a data store (database, key-value cache, shared limiter counter). */
export type StoreOp = 'get' | 'set' | 'delete' | 'incr' | 'query' | 'eval';

/**
 * A script a key-value store runs atomically on one key (Redis EVAL of a Lua script, or a
 * MULTI/EXEC block): nothing else touches the key between reading and writing it.
 */
export interface StoreScript {
  /**
   * Runs on the key's value (undefined when absent or expired) at the store's instant `now`;
   * returns the reply and, when `value` is given, the new value held for `ttl` µs.
   */
  run(
    value: unknown,
    now: SimTime,
  ): { readonly reply: unknown; readonly value?: unknown; readonly ttl?: SimTime };
}

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
  /** The script of op 'eval'. */
  readonly script?: StoreScript | undefined;
  readonly req: HttpRequest | undefined;
  readonly replyTo: ActorRef;
  readonly tag: number;
}

/** How a store call ended. */
export type StoreOutcome = 'ok' | 'hit' | 'miss' | 'error' | 'refused' | 'timeout';

/** The status a store records for each outcome of a call (a miss is a 404: no such row). */
export const STORE_STATUS: Readonly<Record<StoreOutcome, number>> = {
  ok: 200,
  hit: 200,
  miss: 404,
  error: 500,
  refused: 503,
  timeout: 504,
};

/** A store's answer to one call. */
export interface StoreReply {
  readonly type: 'store.reply';
  readonly tag: number;
  readonly outcome: StoreOutcome;
  /** The counter value after incr, or the stored size for get hits. */
  readonly value: number;
  /** The script's reply (op 'eval'). */
  readonly data?: unknown;
  /** A status the request must end with (REST stores: 304, 404, 409, 412, a stored outcome). */
  readonly status?: number | undefined;
  /** Whether this call applied a write (database write class, resource-store write). */
  readonly applied?: boolean | undefined;
  /** Whether this call applied a write a previous attempt of the same request had applied. */
  readonly duplicate?: boolean | undefined;
  /** The page served (resource-store list calls). */
  readonly page?: PageReply | undefined;
}
