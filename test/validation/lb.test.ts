// Balancer results against queueing theory (test/validation/reference.json).
// CI runs are short and use replications with a 95% confidence interval; VALIDATE_FULL=1 runs
// longer and checks the reference tolerances directly.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { confidenceInterval, createStream } from '../../engine/index.ts';
import { balancerFor } from '../../models/lb/algorithms/index.ts';
import { BackendSet } from '../../models/lb/backend-set.ts';
import { mark } from '../helpers/lb-actors.ts';
import { lbBench } from '../helpers/lb-harness.ts';
import { lbRequest } from '../helpers/lb-request.ts';
import { referencePath } from '../helpers/reference.ts';

const FULL = process.env.VALIDATE_FULL === '1';
const RESULTS: string[] = [];
afterAll(() => {
  console.log(RESULTS.join('\n'));
});
const REF: { id: string; expected: number; tolerance_hint: { rel: number; abs: number } }[] =
  JSON.parse(readFileSync(referencePath(), 'utf8'));
const ref = (id: string) => {
  const r = REF.find((c) => c.id === id);
  if (r === undefined) throw new Error(`no reference case ${id}`);
  return r;
};

/** Mean time in system in service units (mean service 1 ms = 1 unit) per replication. */
function sojourns(algorithm: unknown, n: number, lam: number, requests: number, reps: number) {
  const means: number[] = [];
  const fractions: number[][] = [];
  for (let r = 0; r < reps; r++) {
    const seconds = requests / (lam * n * 1000);
    const warmup = Math.max(0.2, seconds / 10) * 1e6;
    const until = warmup + seconds * 1e6;
    const b = lbBench({
      seed: 100 + r,
      n,
      ratePerServer: lam * 1000,
      meanService: 1000,
      until,
      warmup,
      lb: { algorithm },
    });
    b.sim.run({ until: warmup });
    const before = b.servers.map((s) => {
      mark(s, b.sim.now);
      return Float64Array.from(s.timeAt);
    });
    b.sim.run({ until });
    const at = new Float64Array(64);
    b.servers.forEach((s, i) => {
      mark(s, b.sim.now);
      s.timeAt.forEach((t, k) => {
        at[k]! += t - before[i]![k]!;
      });
    });
    const total = at.reduce((a, x) => a + x, 0);
    fractions.push([1, 2, 3, 4, 5].map((k) => at.slice(k).reduce((a, x) => a + x, 0) / total));
    b.sim.run({ until: until + 1e6 });
    means.push(b.source.latency.mean / 1000);
  }
  return { ci: confidenceInterval(means), fractions };
}

/** Passes when theory lies within 3 half-widths (and the interval is tight enough to mean something). */
function expectWithin(
  label: string,
  ci: { mean: number; halfWidth: number },
  expected: number,
  rel: number,
) {
  RESULTS.push(
    `${label}: theory ${expected.toFixed(4)}, simulated ${ci.mean.toFixed(4)} ± ${ci.halfWidth.toFixed(4)}`,
  );
  expect(ci.halfWidth).toBeLessThan(rel * expected * (FULL ? 1.5 : 4));
  expect(Math.abs(ci.mean - expected)).toBeLessThanOrEqual(
    Math.max(3 * ci.halfWidth, rel * expected),
  );
}

/**
 * E_n/M/1: round robin over n exponential servers hands each one every n-th Poisson arrival, so
 * its interarrival time is Erlang-n with rate nλ per stage. The G/M/1 root σ solves
 * σ = A*(μ(1−σ)) with A*(s) = (nλ/(nλ+s))^n, and W = 1/(μ(1−σ))
 * (Kleinrock, Queueing Systems Vol. 1, 1975, §6.4; Gross & Harris, Fundamentals of Queueing Theory §5.3).
 */
function enM1Sojourn(n: number, lam: number, mu = 1): number {
  let lo = 0;
  let hi = 1 - 1e-12;
  for (let k = 0; k < 200; k++) {
    const s = (lo + hi) / 2;
    if (((n * lam) / (n * lam + mu * (1 - s))) ** n - s > 0) lo = s;
    else hi = s;
  }
  return 1 / (mu * (1 - (lo + hi) / 2));
}

describe('random assignment = independent M/M/1 queues', () => {
  it('lb-random-lam0.5-W', () => {
    const id = 'lb-random-lam0.5-W';
    const { ci } = sojourns('random', 10, 0.5, FULL ? 2_000_000 : 100_000, FULL ? 8 : 3);
    expectWithin(id, ci, ref(id).expected, ref(id).tolerance_hint.rel);
  });
  it.runIf(FULL)('lb-random-lam0.9-W', () => {
    const id = 'lb-random-lam0.9-W';
    const { ci } = sojourns('random', 10, 0.9, 8_000_000, 8);
    expectWithin(id, ci, ref(id).expected, ref(id).tolerance_hint.rel);
  });
  it.skipIf(FULL)('λ=0.8 (M/M/1: W = 1/(μ−λ) = 5; converges faster than 0.9 for CI)', () => {
    const { ci } = sojourns('random', 10, 0.8, 200_000, 3);
    expectWithin('random λ=0.8 (M/M/1)', ci, 5, 0.02);
  });
});

describe('power of two choices, n = 100, approaches the supermarket model', () => {
  it('d=2, λ=0.9: mean time in system and the tail fractions s_k', () => {
    const { ci, fractions } = sojourns(
      { name: 'power-of-d-choices', choices: 2 },
      100,
      0.9,
      FULL ? 4_000_000 : 200_000,
      FULL ? 6 : 3,
    );
    // finite n = 100: the reference's independent Monte Carlo gives 2.6383 ± 0.013
    expectWithin('lb-pod-d2-lam0.9-W (n=100)', ci, 2.6383, 0.01);
    const inf = ref('lb-pod-d2-lam0.9-W-ninf').expected;
    expect(ci.mean).toBeGreaterThan(inf);
    expect(Math.abs(ci.mean - inf) / inf).toBeLessThan(0.03);
    for (let k = 1; k <= 5; k++) {
      const c = ref(`lb-pod-d2-lam0.9-s${k}`);
      const sim = fractions.reduce((a, f) => a + f[k - 1]!, 0) / fractions.length;
      // s_k are n → ∞ values. k ≤ 3 must match within the reference tolerance; at n = 100 the
      // far tail (k ≥ 4) is measurably heavier (finite-n effect), so it is bounded on both sides.
      RESULTS.push(`${c.id}: theory ${c.expected.toFixed(4)}, simulated ${sim.toFixed(4)}`);
      if (k <= 3)
        expect(Math.abs(sim - c.expected)).toBeLessThanOrEqual(
          c.tolerance_hint.abs + c.tolerance_hint.rel * c.expected,
        );
      else {
        expect(sim).toBeGreaterThan(0.97 * c.expected);
        expect(sim).toBeLessThan(1.6 * c.expected);
      }
    }
  });

  it.runIf(FULL)('d=2, λ=0.5 (finite n=100: 1.2739 ± 0.005)', () => {
    const { ci } = sojourns(
      { name: 'power-of-d-choices', choices: 2 },
      100,
      0.5,
      FULL ? 2_000_000 : 200_000,
      FULL ? 6 : 3,
    );
    expectWithin('lb-pod-d2-lam0.5-W (n=100)', ci, 1.2739, 0.01);
  });
});

describe('round robin over exponential servers = E_n/M/1', () => {
  it('solves the root equation (sanity: n=1 is M/M/1)', () => {
    expect(enM1Sojourn(1, 0.5)).toBeCloseTo(2, 9);
    expect(enM1Sojourn(10, 0.9)).toBeCloseTo(5.66028, 4);
  });
  it.each([
    [0.5, FULL ? 2_000_000 : 0],
    [0.9, FULL ? 4_000_000 : 150_000],
  ])('n=10, λ=%s', (lam, requests) => {
    if (requests === 0) return;
    const { ci } = sojourns('round-robin', 10, lam, requests, FULL ? 6 : 4);
    expectWithin(`E10/M/1 λ=${lam}`, ci, enM1Sojourn(10, lam), 0.02);
  });
});

const setOf = (n: number, weights: readonly number[] = Array(n).fill(1)) =>
  new BackendSet(
    weights.map((w, i) => ({ id: `app[${i}]`, weight: w, backup: false, maxconn: 0 })),
  );

describe('smooth weighted round robin', () => {
  it('reproduces NGINX: weights 5,1,1 give a a b a c a a', () => {
    const set = setOf(3, [5, 1, 1]);
    const b = balancerFor('smooth-weighted-round-robin');
    const rng = createStream(1, 'wrr', 'v');
    const seq = Array.from({ length: 14 }, (_, k) => 'abc'[b.pick(set, lbRequest(k), rng)]).join(
      ' ',
    );
    expect(seq).toBe('a a b a c a a a a b a c a a');
  });
});

describe('consistent hashing moves about 1/n of keys when one of n backends leaves', () => {
  it.each([
    ['consistent-hash', 10],
    ['consistent-hash', 50],
    ['maglev', 10],
    ['maglev', 50],
  ])('%s, n=%i', (name, n) => {
    const keys = 50_000;
    const set = setOf(n);
    const b = balancerFor({ name, on: 'key' });
    const rng = createStream(1, 'ch', 'v');
    const before = Array.from({ length: keys }, (_, k) =>
      b.pick(set, lbRequest(k, { key: k * 7919 }), rng),
    );
    set.passiveDown[3] = 1;
    set.refresh();
    let moved = 0;
    let movedFromOthers = 0;
    for (let k = 0; k < keys; k++) {
      const after = b.pick(set, lbRequest(k, { key: k * 7919 }), rng);
      if (after !== before[k]) {
        moved++;
        if (before[k] !== 3) movedFromOthers++;
      }
    }
    const share = before.filter((i) => i === 3).length;
    RESULTS.push(
      `${name} n=${n}: moved ${(moved / keys).toFixed(4)} of keys, 1/n = ${(1 / n).toFixed(4)}`,
    );
    expect(moved / keys).toBeGreaterThan(0.5 / n);
    expect(moved / keys).toBeLessThan(1.6 / n);
    if (name === 'consistent-hash') {
      expect(movedFromOthers).toBe(0);
      expect(moved).toBe(share);
    } else expect(movedFromOthers / keys).toBeLessThan(0.02);
  });

  it('modulo hashing, by contrast, moves most keys when n changes', () => {
    const b10 = balancerFor({ name: 'hash', on: 'key' });
    const b9 = balancerFor({ name: 'hash', on: 'key' });
    const rng = createStream(1, 'h', 'v');
    let moved = 0;
    for (let k = 0; k < 10_000; k++) {
      const req = lbRequest(k, { key: k });
      if (b10.pick(setOf(10), req, rng) !== b9.pick(setOf(9), req, rng)) moved++;
    }
    expect(moved / 10_000).toBeGreaterThan(0.8);
  });
});
