import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import type { PageQuery } from '../../../models/http/messages.ts';
import { Collection, etagOf } from '../../../models/rest/collection.ts';

const page = (p: Partial<PageQuery>): PageQuery => ({
  walk: 1,
  page: 0,
  mode: 'offset',
  size: 3,
  offset: 0,
  cursor: 0,
  ...p,
});

describe('versioned resources', () => {
  it('a write bumps the version: the old ETag no longer gets 304, the new one does', () => {
    const c = new Collection(5, 0, 10, 4);
    const v1 = etagOf(2, 1);
    expect(c.read(2, v1).status).toBe(304);
    expect(c.write(2).value).toBe(2);
    const after = c.read(2, v1);
    expect(after.status).toBe(0);
    expect(after.value).toBe(2);
    expect(c.read(2, etagOf(2, 2)).status).toBe(304);
  });

  it('If-Match: 412 when stale, applied when current; a blind write on a stale copy is a lost update', () => {
    const c = new Collection(5, 0, 10, 4);
    c.write(1);
    expect(c.write(1, etagOf(1, 1)).status).toBe(412);
    expect(c.version(1)).toBe(2);
    expect(c.write(1, etagOf(1, 2)).status).toBe(0);
    expect(c.write(1, undefined, etagOf(1, 2)).lostUpdate).toBe(true);
    expect(c.write(1, undefined, etagOf(1, 4)).lostUpdate).toBe(false);
  });

  it('delete: 404 afterwards and for a second delete; a PUT recreates with a newer version', () => {
    const c = new Collection(3, 0, 10, 4);
    expect(c.write(3, undefined, undefined, true).applied).toBe(true);
    expect(c.read(3, undefined).status).toBe(404);
    expect(c.write(3, undefined, undefined, true).status).toBe(404);
    expect(c.write(3).value).toBe(3);
    expect(c.read(9, undefined).status).toBe(404);
  });
});

describe('the collection', () => {
  it('lists newest first by offset and by cursor, and says when a page is the last', () => {
    const c = new Collection(1, 7, 100, 4);
    expect(c.list(page({})).ids).toEqual([7, 6, 5]);
    expect(c.list(page({ offset: 3 })).ids).toEqual([4, 3, 2]);
    const tail = c.list(page({ offset: 6 }));
    expect(tail.ids).toEqual([1]);
    expect(tail.last).toBe(true);
    expect(c.list(page({ mode: 'cursor', cursor: 5 })).ids).toEqual([4, 3, 2]);
    expect(Collection.rows(page({ offset: 30 }))).toBe(33);
    expect(Collection.rows(page({ mode: 'cursor', cursor: 30 }))).toBe(3);
  });

  it('an insert during an offset walk repeats an item; a delete above the walker skips one', () => {
    const c = new Collection(1, 6, 100, 4);
    const first = c.list(page({}));
    expect(c.track(page({}), first.ids!, false).duplicated).toBe(0);
    c.insert(); // id 7 at the head: everything shifts down one
    const second = c.list(page({ page: 1, offset: 3 }));
    expect(second.ids).toEqual([4, 3, 2]);
    expect(c.track(page({ page: 1, offset: 3 }), second.ids!, false).duplicated).toBe(1);
    c.removeAny({ next: () => 0.99 } as never); // removes the newest (7)
    c.removeAny({ next: () => 0.99 } as never); // removes 6, already seen: everything shifts up
    const third = c.list(page({ page: 2, offset: 6 }));
    expect(third.last).toBe(true);
    const news = c.track(page({ page: 2, offset: 6 }), third.ids!, true);
    expect(news.skipped).toBe(1); // item 1 slipped past
  });

  it('caps the collection (507) and the walks it tracks', () => {
    const c = new Collection(1, 2, 2, 1);
    expect(c.insert().status).toBe(507);
    const rng = createStream(1, 'x', 'y');
    expect(c.removeAny(rng).applied).toBe(true);
    c.track(page({ walk: 1 }), [2], false);
    c.track(page({ walk: 2 }), [2], false);
    // Walk 1 was forgotten: its next page starts a fresh record, so nothing is a duplicate.
    expect(c.track(page({ walk: 1, page: 1 }), [2], false).duplicated).toBe(0);
  });
});
