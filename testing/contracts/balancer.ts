// The balancer contract: every built-in algorithm passes it (test/unit/lb/contract.test.ts) and
// `stacksim check-algorithm FILE --family balancer` runs it against a user module.
import fc from 'fast-check';
import { createStream } from '../../engine/index.ts';
import type { Balancer } from '../../models/lb/algorithm.ts';
import { BackendSet } from '../../models/lb/backend-set.ts';
import { lbRequest } from '../lb-request.ts';
import {
  type ContractProperty,
  checkExample,
  checkProperty,
  ensure,
  fingerprintOf,
} from './property.ts';

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
export function driveBalancer(b: Balancer, set: BackendSet, seed: number, picks: number): number[] {
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

/** The contract properties of a balancer made fresh by `make` for every run. */
export function balancerContract(make: () => Balancer): ContractProperty[] {
  return [
    {
      name: 'picks only eligible backends, and -1 only when none is eligible',
      check: () =>
        checkProperty(
          scenario,
          ({ weights, downMask, seed }) => {
            const set = makeSet(
              weights,
              weights.map((_, i) => downMask[i]!),
            );
            const picks = driveBalancer(make(), set, seed, 60);
            const anyEligible = set.eligible.length > 0;
            picks.forEach((i, k) => {
              if (anyEligible)
                ensure(
                  set.isEligible(i),
                  `pick ${k} returned ${i}; eligible backends are [${set.eligible.join(', ')}]`,
                );
              else
                ensure(
                  i === -1,
                  `pick ${k} returned ${i} although no backend is eligible (expected -1)`,
                );
            });
          },
          60,
        ),
    },
    {
      name: 'in panic mode may pick any active backend (all are eligible)',
      check: () =>
        checkExample('4 backends, 3 down, panic threshold 0.5, 400 picks', () => {
          const set = makeSet([1, 1, 1, 1], [true, true, true, false], 0.5);
          for (const i of driveBalancer(make(), set, 3, 400))
            ensure(i >= 0 && i < 4, `picked ${i}, outside 0..3`);
        }),
    },
    {
      name: 'is deterministic for a given random stream',
      check: () =>
        checkProperty(
          scenario,
          ({ weights, downMask, seed }) => {
            const down = weights.map((_, i) => downMask[i]!);
            const a = driveBalancer(make(), makeSet(weights, down), seed, 50);
            const b = driveBalancer(make(), makeSet(weights, down), seed, 50);
            ensure(
              a.join() === b.join(),
              `two runs picked [${a.join(', ')}] and [${b.join(', ')}]`,
            );
          },
          25,
        ),
    },
  ];
}

/** A fingerprint of a fixed workload (8 backends, one down, 2 000 picks) for determinism checks. */
export function balancerFingerprint(make: () => Balancer): string {
  const set = makeSet(
    [1, 2, 3, 1, 1, 2, 1, 1],
    [false, false, true, false, false, false, false, false],
  );
  return fingerprintOf(driveBalancer(make(), set, 7, 2_000));
}
