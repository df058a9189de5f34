import type { Rng } from '../../engine/index.ts';
import type { PageQuery } from '../http/messages.ts';

/** The ETag of version `version` of resource `key` (a strong validator, RFC 9110 §8.8.3). */
export function etagOf(key: number, version: number): string {
  return `"${key}.${version}"`;
}

/** What a collection decided for one call: a status to end with, or success and a value. */
export interface Decision {
  /** 0: success; otherwise the HTTP status the request ends with (304, 404, 412, 507). */
  readonly status: number;
  /** The version after the call (read, write), or the item count (list). */
  readonly value: number;
  /** Whether a write was applied (for duplicate counting). */
  readonly applied: boolean;
  /** Whether an unconditional write overwrote a version its writer had not read. */
  readonly lostUpdate?: boolean;
  /** Ids of a page, newest first (list). */
  readonly ids?: readonly number[];
  readonly last?: boolean;
}

/** One walk in progress: the last id that existed when it began and the ids it has been given. */
interface Walk {
  readonly startMax: number;
  readonly seen: Set<number>;
}

/** What a finished page tells about its walk: items given twice, and items missed at the end. */
export interface WalkNews {
  readonly duplicated: number;
  /** Set on the walk's last page: items present for the whole walk that it never returned. */
  readonly skipped?: number;
}

const OK = (value: number, applied: boolean): Decision => ({ status: 0, value, applied });
const fail = (status: number): Decision => ({ status, value: 0, applied: false });

/**
 * Versioned resources 1..n plus one ordered collection of items (ids ascending, listed newest
 * first). Memory is bounded by n, maxItems and maxWalks × items, never by calls served.
 */
export class Collection {
  /** Per key: the version (> 0), or minus the version at which it was deleted. */
  private readonly versions: Int32Array;
  /** Item ids, ascending (so newest last). */
  private readonly items: number[] = [];
  private lastId = 0;
  private readonly walks = new Map<number, Walk>();

  private readonly resources: number;
  private readonly maxItems: number;
  private readonly maxWalks: number;

  constructor(resources: number, initialItems: number, maxItems: number, maxWalks: number) {
    this.resources = resources;
    this.maxItems = maxItems;
    this.maxWalks = maxWalks;
    this.versions = new Int32Array(resources + 1).fill(1);
    for (let i = 0; i < Math.min(initialItems, maxItems); i++) this.items.push(++this.lastId);
  }

  /** Items in the collection now. */
  get size(): number {
    return this.items.length;
  }

  /** The current version of `key` (negative: deleted), or 0 for a key out of range. */
  version(key: number): number {
    return key >= 1 && key <= this.resources ? this.versions[key]! : 0;
  }

  /** GET: 404 when absent, 304 when If-None-Match is current, else the version. */
  read(key: number, ifNoneMatch: string | undefined): Decision {
    const v = this.version(key);
    if (v <= 0) return fail(404);
    if (ifNoneMatch !== undefined && ifNoneMatch === etagOf(key, v)) return fail(304);
    return OK(v, false);
  }

  /**
   * PUT/PATCH (or DELETE when `remove`): 412 when If-Match is not the current ETag; otherwise
   * bumps the version. Without If-Match, a write based on an older copy is a lost update.
   */
  write(key: number, ifMatch?: string, basedOn?: string, remove = false): Decision {
    const v = this.version(key);
    if (v === 0) return fail(404);
    const current = etagOf(key, Math.abs(v));
    if (ifMatch !== undefined && (v < 0 || ifMatch !== current)) return fail(412);
    if (remove && v < 0) return fail(404);
    const lostUpdate = ifMatch === undefined && basedOn !== undefined && basedOn !== current;
    const next = Math.abs(v) + 1;
    this.versions[key] = remove ? -next : next;
    return { status: 0, value: next, applied: true, lostUpdate };
  }

  /** POST to the collection: a new item (507 when full). */
  insert(): Decision {
    if (this.items.length >= this.maxItems) return fail(507);
    this.items.push(++this.lastId);
    return OK(this.lastId, true);
  }

  /** DELETE of a uniformly drawn item (404 when empty). */
  removeAny(rng: Rng): Decision {
    if (this.items.length === 0) return fail(404);
    const i = Math.floor(rng.next() * this.items.length);
    const id = this.items[i]!;
    this.items.splice(i, 1);
    return OK(id, true);
  }

  /** Rows a page query reads: OFFSET scans and drops `offset` rows; a cursor seeks an index. */
  static rows(q: PageQuery): number {
    return q.mode === 'offset' ? q.offset + q.size : q.size;
  }

  /** Index of the first item (from the end) a page starts at. */
  private startIndex(q: PageQuery): number {
    if (q.mode === 'offset') return this.items.length - 1 - q.offset;
    if (q.cursor <= 0) return this.items.length - 1;
    // Largest index whose id is below the cursor (ids ascending).
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]! < q.cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** One page, newest first; `last` when fewer than `size` items remain. */
  list(q: PageQuery): Decision {
    const ids: number[] = [];
    for (let i = this.startIndex(q); i >= 0 && ids.length < q.size; i--) ids.push(this.items[i]!);
    return { status: 0, value: ids.length, applied: false, ids, last: ids.length < q.size };
  }

  /** Records a served page against its walk (first page starts it; the last one settles it). */
  track(q: PageQuery, ids: readonly number[], last: boolean): WalkNews {
    let walk = this.walks.get(q.walk);
    if (walk === undefined || q.page === 0) {
      if (walk === undefined && this.walks.size >= this.maxWalks) {
        const oldest = this.walks.keys().next().value;
        if (oldest !== undefined) this.walks.delete(oldest);
      }
      walk = { startMax: this.lastId, seen: new Set() };
      this.walks.delete(q.walk);
      this.walks.set(q.walk, walk);
    }
    let duplicated = 0;
    for (const id of ids) {
      if (walk.seen.has(id)) duplicated++;
      else walk.seen.add(id);
    }
    if (!last) return { duplicated };
    this.walks.delete(q.walk);
    let skipped = 0;
    for (const id of this.items) {
      if (id > walk.startMax) break;
      if (!walk.seen.has(id)) skipped++;
    }
    return { duplicated, skipped };
  }

  /** Forgets a walk that will not continue (its client gave up). */
  drop(walk: number): void {
    this.walks.delete(walk);
  }
}
