// Invariants of the balancing algorithms over generated weights and traffic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStream } from '../../engine/index.ts';
import { boundedLoadCap } from '../../models/lb/algorithms/bounded-load-hash.ts';
import { balancerFor } from '../../models/lb/algorithms/index.ts';
import { BackendSet } from '../../models/lb/backend-set.ts';
import { lbRequest } from '../helpers/lb-request.ts';

const setOf = (weights: readonly number[]) =>
  new BackendSet(weights.map((w, i) => ({ id: `b${i}`, weight: w, backup: false, maxconn: 0 })));

describe('round robin', () => {
  it('equal weights, no failures: every backend gets its share ±1 after any number of picks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 500 }), (n, picks) => {
        const set = setOf(Array(n).fill(1));
        const b = balancerFor('round-robin');
        const counts = new Array<number>(n).fill(0);
        const rng = createStream(1, 'rr', 'p');
        for (let k = 0; k < picks; k++) counts[b.pick(set, lbRequest(k), rng)]!++;
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(counts.reduce((a, c) => a + c, 0)).toBe(picks);
      }),
      { numRuns: 100 },
    );
  });
});

describe('weights are honoured', () => {
  it('smooth WRR: each cycle of Σw picks gives each backend exactly its weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 5 }),
        (weights, cycles) => {
          const set = setOf(weights);
          const b = balancerFor('smooth-weighted-round-robin');
          const total = weights.reduce((a, w) => a + w, 0);
          const rng = createStream(1, 'wrr', 'p');
          for (let c = 0; c < cycles; c++) {
            const counts = new Array<number>(weights.length).fill(0);
            for (let k = 0; k < total; k++) counts[b.pick(set, lbRequest(k), rng)]!++;
            expect(counts).toEqual(weights);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('weighted random: each share within 4.5 binomial standard deviations of w/Σw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 1, max: 1e6 }),
        (weights, seed) => {
          const set = setOf(weights);
          const b = balancerFor('weighted-random');
          const total = weights.reduce((a, w) => a + w, 0);
          const picks = 20_000;
          const counts = new Array<number>(weights.length).fill(0);
          const rng = createStream(seed, 'wr', 'p');
          for (let k = 0; k < picks; k++) counts[b.pick(set, lbRequest(k), rng)]!++;
          weights.forEach((w, i) => {
            const p = w / total;
            expect(Math.abs(counts[i]! - picks * p)).toBeLessThan(
              4.5 * Math.sqrt(picks * p * (1 - p)) + 1,
            );
          });
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('consistent hashing with bounded loads', () => {
  it('never gives a backend more than ceil(c × average load)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.constantFrom(1, 1.1, 1.25, 1.5, 2),
        fc.integer({ min: 1, max: 1e6 }),
        (n, c, seed) => {
          const set = setOf(Array(n).fill(1));
          const b = balancerFor({
            name: 'bounded-load-hash',
            balanceFactor: c,
            on: 'key',
            pointsPerServer: 40,
          });
          const rng = createStream(seed, 'bl', 'p');
          const open: number[] = [];
          for (let k = 0; k < 600; k++) {
            // skewed keys: half the traffic on one key
            const key = rng.next() < 0.5 ? 42 : Math.floor(rng.next() * 1e6);
            const cap = boundedLoadCap(set, c);
            const i = b.pick(set, lbRequest(k, { key }), rng);
            expect(set.inflight(i) + 1).toBeLessThanOrEqual(cap);
            set.open(i);
            open.push(i);
            if (rng.next() < 0.45 && open.length > 0)
              set.close(open.splice(Math.floor(rng.next() * open.length), 1)[0]!);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
