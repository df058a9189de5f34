// ARC against an independent transcription of Megiddo & Modha, "ARC: A Self-Tuning, Low
// Overhead Replacement Cache" (FAST 2003), Figure 4, on plain arrays (index 0 = MRU).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArcPolicy } from '../../../models/cache/policies/arc.ts';

/** The paper's ARC(c): returns the number of misses over the trace. */
function paperArcMisses(c: number, trace: readonly number[]): number {
  const t1: number[] = [];
  const t2: number[] = [];
  const b1: number[] = [];
  const b2: number[] = [];
  let p = 0;
  let misses = 0;
  const drop = (list: number[], x: number) => list.splice(list.indexOf(x), 1);
  // REPLACE(x, p): the paper compares |T1| with p itself (p may be fractional).
  const replace = (inB2: boolean) => {
    if (t1.length > 0 && (t1.length > p || (inB2 && t1.length === p))) {
      b1.unshift(t1.pop()!);
    } else {
      b2.unshift(t2.pop()!);
    }
  };
  for (const x of trace) {
    if (t1.includes(x) || t2.includes(x)) {
      // Case I: hit; move to the MRU end of T2.
      drop(t1.includes(x) ? t1 : t2, x);
      t2.unshift(x);
      continue;
    }
    misses++;
    if (b1.includes(x)) {
      // Case II: delta1 = 1 if |B1| >= |B2|, else |B2| / |B1|.
      p = Math.min(p + (b1.length >= b2.length ? 1 : b2.length / b1.length), c);
      replace(false);
      drop(b1, x);
      t2.unshift(x);
    } else if (b2.includes(x)) {
      // Case III: delta2 = 1 if |B2| >= |B1|, else |B1| / |B2|.
      p = Math.max(p - (b2.length >= b1.length ? 1 : b1.length / b2.length), 0);
      replace(true);
      drop(b2, x);
      t2.unshift(x);
    } else {
      // Case IV.
      if (t1.length + b1.length === c) {
        if (t1.length < c) {
          b1.pop();
          replace(false);
        } else {
          t1.pop();
        }
      } else {
        const total = t1.length + t2.length + b1.length + b2.length;
        if (total >= c) {
          if (total === 2 * c) b2.pop();
          replace(false);
        }
      }
      t1.unshift(x);
    }
  }
  return misses;
}

function modelMisses(c: number, trace: readonly number[]): number {
  const arc = new ArcPolicy({ capacity: c });
  let misses = 0;
  for (const x of trace) {
    if (arc.get(x)) continue;
    misses++;
    arc.admit(x);
    expect(arc.size).toBeLessThanOrEqual(c);
  }
  return misses;
}

// The trace of issue 17: p becomes fractional and |T1| = floor(p) on a B2 ghost hit.
const ISSUE_TRACE = [
  1, 2, 2, 3, 1, 4, 5, 6, 7, 4, 8, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 3, 1, 19, 20, 10, 11,
  12, 13, 14, 15, 16, 17, 21, 22, 18, 2, 3,
];

describe('ARC (Megiddo & Modha 2003)', () => {
  it('misses 30 times on the issue-17 trace at capacity 15, as the paper algorithm does', () => {
    expect(paperArcMisses(15, ISSUE_TRACE)).toBe(30);
    expect(modelMisses(15, ISSUE_TRACE)).toBe(30);
  });

  it('matches the paper algorithm miss for miss on random traces', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 16 })
          .chain((c) =>
            fc.tuple(
              fc.constant(c),
              fc.array(fc.integer({ min: 0, max: 3 * c }), { minLength: 1, maxLength: 300 }),
            ),
          ),
        ([c, trace]) => {
          // compare the hit/miss sequence, not just the count
          const arc = new ArcPolicy({ capacity: c });
          const ours: boolean[] = [];
          for (const x of trace) {
            const hit = arc.get(x);
            if (!hit) arc.admit(x);
            ours.push(hit);
          }
          for (let i = 1; i <= trace.length; i++) {
            const prefix = trace.slice(0, i);
            const paperMissesSoFar = paperArcMisses(c, prefix);
            const oursSoFar = ours.slice(0, i).filter((h) => !h).length;
            if (paperMissesSoFar !== oursSoFar) return false;
          }
          return true;
        },
      ),
      { numRuns: 1000, seed: 17 },
    );
  });
});
