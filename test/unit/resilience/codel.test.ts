// CoDel's drop decision on fixed queue-delay traces (validation case R-11).
import { describe, expect, it } from 'vitest';
import { Codel } from '../../../models/resilience/codel.ts';

const MS = 1000;

describe('Codel, folly variant (slough)', () => {
  it('drops only waits over 2 × target, and only in an interval after one whose minimum exceeded target', () => {
    const c = new Codel({ mode: 'slough', target: 5 * MS, interval: 100 * MS });
    // interval 1 (0–100 ms): every wait 8 ms (> target, < 2 × target): nothing dropped yet
    const first: boolean[] = [];
    for (let t = 1; t <= 100; t += 10) first.push(c.shouldDrop(t * MS, 8 * MS));
    expect(first.every((d) => !d)).toBe(true);
    // interval 2: overloaded (the minimum was 8 ms); waits of 12 ms are dropped, 9 ms kept
    expect(c.shouldDrop(105 * MS, 12 * MS)).toBe(true);
    expect(c.shouldDrop(110 * MS, 9 * MS)).toBe(false);
    expect(c.shouldDrop(115 * MS, 30 * MS)).toBe(true);
    // one 2 ms wait in interval 2 makes interval 3 not overloaded: 30 ms is kept
    expect(c.shouldDrop(120 * MS, 2 * MS)).toBe(false);
    expect(c.shouldDrop(215 * MS, 30 * MS)).toBe(false);
    expect(c.isOverloaded).toBe(false);
  });
});

describe('Codel, RFC 8289 control law', () => {
  it('first drop after sojourn stays above target for an interval, then at interval/√count', () => {
    const c = new Codel({ mode: 'rfc', target: 5 * MS, interval: 100 * MS });
    expect(c.shouldDrop(0, 20 * MS)).toBe(false); // first above: arms at 100 ms
    expect(c.shouldDrop(50 * MS, 20 * MS)).toBe(false);
    expect(c.shouldDrop(100 * MS, 20 * MS)).toBe(true); // enter dropping, count 1, next at 200
    expect(c.shouldDrop(150 * MS, 20 * MS)).toBe(false);
    expect(c.shouldDrop(200 * MS, 20 * MS)).toBe(true); // count 2: next at 200 + 100/√2
    expect(c.shouldDrop(200 * MS + 70_000, 20 * MS)).toBe(false);
    expect(c.shouldDrop(200 * MS + 70_800, 20 * MS)).toBe(true);
    // a wait below target leaves the dropping state
    expect(c.shouldDrop(300 * MS, 1 * MS)).toBe(false);
    expect(c.isOverloaded).toBe(false);
  });
});
