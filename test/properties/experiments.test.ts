import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confidenceInterval } from '../../engine/index.ts';
import { csvCell } from '../../experiments/csv.ts';
import { estimate } from '../../experiments/metrics.ts';
import { sweepGrid, sweepValues } from '../../experiments/plan.ts';
import { batchMeans, mser5 } from '../../experiments/steady-state.ts';

/** Undoes csvCell for one cell (RFC 4180 unquoting). */
function unquote(cell: string): string {
  return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

describe('experiment invariants', () => {
  it('CSV cells round-trip and never start a formula', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = csvCell(s);
        const text = unquote(cell);
        expect(/^[=+\-@\t\r]/.test(text)).toBe(false);
        expect(text === s || text === `'${s}`).toBe(true);
        if (/[",\r\n]/.test(text)) expect(cell.startsWith('"')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a sweep grid is the full product, first parameter slowest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        (sizes) => {
          const sweep: Record<string, number[]> = {};
          sizes.forEach((n, i) => {
            sweep[`p${i}`] = Array.from({ length: n }, (_, k) => k);
          });
          const grid = sweepGrid(sweep);
          expect(grid.length).toBe(sizes.reduce((a, b) => a * b, 1));
          const keys = grid.map((p) => sizes.map((_, i) => p[`p${i}`]).join(','));
          expect(new Set(keys).size).toBe(grid.length);
          expect([...keys].sort()).toEqual(keys);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a range has `steps` values from `from` to exactly `to`, monotone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 2, max: 20 }),
        (a, b, steps) => {
          const values = sweepValues({ from: `${a}/s`, to: `${b}/s`, steps }) as string[];
          expect(values.length).toBe(steps);
          expect(values[0]).toBe(`${a}/s`);
          expect(values[steps - 1]).toBe(`${b}/s`);
          const nums = values.map((v) => Number.parseFloat(v));
          for (let i = 1; i < nums.length; i++)
            expect(Math.sign(nums[i]! - nums[i - 1]!)).toBe(Math.sign(b - a));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('MSER-5 truncates a multiple of 5, at most half, unchanged by shifting and scaling', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
          minLength: 10,
          maxLength: 300,
        }),
        fc.integer({ min: -100, max: 100 }),
        (xs, shift) => {
          const m = mser5(xs);
          expect(m.truncation % 5).toBe(0);
          expect(m.truncation).toBeLessThanOrEqual(Math.floor(xs.length / 5 / 2) * 5);
          const scaled = mser5(xs.map((x) => 4 * x + shift));
          // equal up to floating-point ties: the minimum statistic is scaled by 16
          const want = 16 * m.statistic;
          expect(Math.abs(scaled.statistic - want)).toBeLessThanOrEqual(1e-9 * (1 + want) + 1e-6);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('estimates agree with the engine confidence interval; batch means with one window each equal it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 40 }),
        (xs) => {
          const ci = confidenceInterval(xs);
          const e = estimate(xs);
          expect(e.mean).toBe(ci.mean);
          expect(e.halfWidth).toBeCloseTo(ci.halfWidth, 6);
          const b = batchMeans(xs, undefined, xs.length);
          expect(b.mean).toBeCloseTo(ci.mean, 6);
          expect(b.halfWidth).toBeCloseTo(ci.halfWidth, 6);
        },
      ),
      { numRuns: 100 },
    );
  });
});
