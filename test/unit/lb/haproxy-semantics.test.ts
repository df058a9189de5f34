// HAProxy balancing orders the conformance harness checked against the real haproxy 2.6.
import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { balancerFor } from '../../../models/lb/algorithms/index.ts';
import { BackendSet } from '../../../models/lb/backend-set.ts';
import { lbRequest } from '../../helpers/lb-request.ts';

function makeSet(weights: readonly number[]): BackendSet {
  const set = new BackendSet(
    weights.map((w, i) => ({ id: `app[${i}]`, weight: w, backup: false, maxconn: 0 })),
  );
  set.refresh();
  return set;
}

/** `n` picks, each request ending before the next (sequential traffic). */
function sequence(spec: unknown, weights: readonly number[], n: number): string {
  const b = balancerFor(spec);
  const set = makeSet(weights);
  const rng = createStream(1, 'lb', 'test');
  let out = '';
  for (let k = 0; k < n; k++) {
    const i = b.pick(set, lbRequest(k), rng);
    b.onStart?.(i, k);
    b.onEnd?.(i, k, 1, true);
    out += String(i);
  }
  return out;
}

describe('HAProxy orders (as observed from haproxy 2.6 in conformance/)', () => {
  it('balance roundrobin (fwrr), weights 3:1:2 and 5:2:1', () => {
    expect(sequence('fast-weighted-round-robin', [3, 1, 2], 12)).toBe('020102020102');
    // NGINX's smooth weighted round robin orders the same weights differently
    expect(sequence('smooth-weighted-round-robin', [3, 1, 2], 6)).toBe('020120');
    expect(sequence('fast-weighted-round-robin', [1, 1, 1], 6)).toBe('012012');
  });

  it('balance static-rr: the weighted map of lb_map.c', () => {
    expect(sequence('static-rr', [3, 1, 2], 12)).toBe('002012002012');
    expect(sequence('static-rr', [1, 1, 1], 6)).toBe('012012');
  });

  it('leastconn ties go to the server whose count changed longest ago', () => {
    const b = balancerFor({ name: 'least-connections', ties: 'haproxy' });
    const set = makeSet([1, 1, 1]);
    const rng = createStream(1, 'lb', 'test');
    const pick = () => {
      const i = b.pick(set, lbRequest(0), rng);
      set.open(i);
      b.onStart?.(i, 0);
      return i;
    };
    expect([pick(), pick()]).toEqual([0, 1]);
    set.close(0);
    b.onEnd?.(0, 1, 1, true);
    // 0 and 2 both hold nothing; 2 has not changed since the start, 0 just did
    expect(pick()).toBe(2);
  });
});

describe('roundrobin (fwrr): a server coming back up (fwrr_set_server_status_up)', () => {
  it('re-enters at curr_pos + (next_weight + curr_weight − curr_pos) / ew, not a fresh start', () => {
    const b = balancerFor('fast-weighted-round-robin');
    const set = new BackendSet(
      [0, 1].map((i) => ({ id: `app${i}`, weight: 1, backup: false, maxconn: 0 })),
    );
    set.refresh();
    const rng = createStream(1, 'lb', 'test');
    const picks = (n: number) => Array.from({ length: n }, () => b.pick(set, lbRequest(0), rng));
    expect(picks(3)).toEqual([0, 1, 0]);
    // a health verdict that changes nothing (the set's version moves) keeps the rotation
    set.refresh();
    expect(picks(1)).toEqual([1]);
    set.checkUp[1] = 0;
    set.refresh();
    expect(picks(3)).toEqual([0, 0, 0]);
    set.checkUp[1] = 1;
    set.refresh();
    // HAProxy (measured in the conformance case): app0 once more, then alternating; a rebuild
    // of the trees would start over with app0, app1 and shift the alternation by one.
    expect(picks(5)).toEqual([0, 1, 0, 1, 0]);
  });
});

describe('slowstart (HAProxy: weight × ⌊(16k + S)/S⌋/16 in the k-th second after coming up)', () => {
  it('ramp haproxy steps 1/16, 5/16, 9/16, 13/16 then full for slowstart 4s', async () => {
    const { rampFactor } = await import('../../../models/lb/health.ts');
    const s = { window: 4_000_000, minWeightPercent: 0.1, ramp: 'haproxy' as const };
    // recomputed once a second from coming up: k = whole seconds since then
    expect(
      [0, 999_999, 1_000_000, 2_000_000, 3_500_000, 4_000_000].map((e) => rampFactor(s, e)),
    ).toEqual([1 / 16, 1 / 16, 5 / 16, 9 / 16, 13 / 16, 1]);
    const lin = { ...s, ramp: 'linear' as const };
    expect(rampFactor(lin, 2_000_000)).toBe(0.5);
  });

  it('roundrobin follows a weight change of a server that stays up (fwrr_update_server_weight)', () => {
    const b = balancerFor('fast-weighted-round-robin');
    const set = new BackendSet(
      [0, 1].map((i) => ({ id: `app${i}`, weight: 1, backup: false, maxconn: 0 })),
    );
    set.refresh();
    const rng = createStream(1, 'lb', 'test');
    b.pick(set, lbRequest(0), rng);
    set.factor[1] = 5 / 16;
    set.refresh();
    const picks = Array.from({ length: 210 }, () => b.pick(set, lbRequest(0), rng));
    // effective weights 16 : 5 ⇒ 50 of 210 to app1 (±1 for where the rotation stood)
    expect(Math.abs(picks.filter((i) => i === 1).length - 50)).toBeLessThanOrEqual(1);
  });
});
