// One contract suite run over every balancing algorithm.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import type { Balancer } from '../../../models/lb/algorithm.ts';
import { BASE_ALGORITHMS, balancerFor } from '../../../models/lb/algorithms/index.ts';
import { BackendSet } from '../../../models/lb/backend-set.ts';
import { lbRequest } from '../../helpers/lb-request.ts';

const SPECS: [string, unknown][] = [
  ...BASE_ALGORITHMS.map((name): [string, unknown] => [name, name]),
  ['sticky(least-connections)', { name: 'sticky', ttl: '10s', fallback: 'least-connections' }],
  ['least-connections (nginx ties)', { name: 'least-connections', ties: 'nginx' }],
];

function makeSet(weights: readonly number[], down: readonly boolean[], panic = 0): BackendSet {
  const set = new BackendSet(
    weights.map((w, i) => ({ id: `app[${i}]`, weight: w, backup: false, maxconn: 0 })),
    panic,
  );
  down.forEach((d, i) => {
    set.passiveDown[i] = d ? 1 : 0;
  });
  set.refresh();
  return set;
}

/** Runs `picks` requests through a balancer, opening and closing requests as it goes. */
function drive(b: Balancer, set: BackendSet, seed: number, picks: number): number[] {
  const rng = createStream(seed, 'lb', 'contract');
  const open: number[] = [];
  const out: number[] = [];
  for (let k = 0; k < picks; k++) {
    set.now = k * 1000;
    const i = b.pick(set, lbRequest(k, { headers: { session: k % 7 } }), rng);
    out.push(i);
    if (i >= 0) {
      set.open(i);
      b.onStart?.(i, set.now);
      open.push(i);
    }
    if (open.length > 0 && rng.next() < 0.5) {
      const j = open.splice(Math.floor(rng.next() * open.length), 1)[0]!;
      set.close(j);
      b.onEnd?.(j, set.now, 1000 + j * 100, true);
    }
  }
  return out;
}

const scenario = fc.record({
  weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }),
  downMask: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

describe.each(SPECS)('balancer contract: %s', (_name, spec) => {
  it('picks only eligible backends, and -1 only when none is eligible', () => {
    fc.assert(
      fc.property(scenario, ({ weights, downMask, seed }) => {
        const down = weights.map((_, i) => downMask[i]!);
        const set = makeSet(weights, down);
        const picks = drive(balancerFor(spec), set, seed, 60);
        const anyEligible = set.eligible.length > 0;
        for (const i of picks) {
          if (anyEligible) expect(set.isEligible(i)).toBe(true);
          else expect(i).toBe(-1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('in panic mode may pick backends that are down (all active ones are eligible)', () => {
    const set = makeSet([1, 1, 1, 1], [true, true, true, false], 0.5);
    expect(set.panic).toBe(true);
    expect(set.eligible).toEqual([0, 1, 2, 3]);
    const seen = new Set(drive(balancerFor(spec), set, 3, 400));
    expect([...seen].every((i) => i >= 0 && i < 4)).toBe(true);
  });

  it('is deterministic for a given random stream', () => {
    fc.assert(
      fc.property(scenario, ({ weights, downMask, seed }) => {
        const down = weights.map((_, i) => downMask[i]!);
        const a = drive(balancerFor(spec), makeSet(weights, down), seed, 50);
        const b = drive(balancerFor(spec), makeSet(weights, down), seed, 50);
        expect(a).toEqual(b);
      }),
      { numRuns: 25 },
    );
  });
});
