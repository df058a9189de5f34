// Balancer behaviours the conformance harness found to differ from NGINX (docs/conformance.md).
import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import type { BackendView } from '../../../models/lb/algorithm.ts';
import { balancerFor } from '../../../models/lb/algorithms/index.ts';
import { BackendSet } from '../../../models/lb/backend-set.ts';
import { SecondsPassive } from '../../../models/lb/passive-seconds.ts';
import { withoutTried } from '../../../models/lb/tried-view.ts';
import { lbRequest } from '../../helpers/lb-request.ts';

function makeSet(weights: readonly number[]): BackendSet {
  const set = new BackendSet(
    weights.map((w, i) => ({ id: `app[${i}]`, weight: w, backup: false, maxconn: 0 })),
  );
  set.refresh();
  return set;
}

/** Picks `n` times without any request ending (each pick opens one request). */
function picksHeld(spec: unknown, weights: readonly number[], n: number): number[] {
  const b = balancerFor(spec);
  const set = makeSet(weights);
  const rng = createStream(1, 'lb', 'test');
  return Array.from({ length: n }, (_, k) => {
    const i = b.pick(set, lbRequest(k), rng);
    set.open(i);
    return i;
  });
}

describe('least_conn ties (NGINX: smooth weighted round robin over the tied)', () => {
  it('four requests held on three backends: the fourth goes to app[2], not app[0]', () => {
    // NGINX: all tied at 0 → WRR picks 0 (cw -2,1,1); 1 and 2 tied → 1 (cw -2,0,2); 2 alone;
    // all tied at 1 → cw -1,1,3 → 2.
    const nginx = { name: 'least-connections', ties: 'nginx' };
    expect(picksHeld(nginx, [1, 1, 1], 4)).toEqual([0, 1, 2, 2]);
    expect(picksHeld('least-connections', [1, 1, 1], 4)).toEqual([0, 1, 2, 0]);
  });

  it('weights count as in NGINX: conns × weight(best) < conns(best) × weight', () => {
    const nginx = { name: 'least-connections', ties: 'nginx' };
    // weight 2 takes two requests for every one the others take
    const picks = picksHeld(nginx, [2, 1, 1], 8);
    expect(picks.filter((i) => i === 0).length).toBe(4);
  });
});

describe('passive health in whole seconds (NGINX max_fails / fail_timeout)', () => {
  const S = 1_000_000;
  it('two failures in second 1 with fail_timeout=2s disable the peer until second 4', () => {
    const p = new SecondsPassive(1, 2, 2 * S);
    expect(p.onEnd(0, 1.05 * S, true)).toBeUndefined();
    expect(p.onEnd(0, 1.2 * S, true)).toBe(4 * S);
  });

  it('a success between failures does not reset the count until the peer is re-checked', () => {
    const p = new SecondsPassive(1, 2, 2 * S);
    p.onEnd(0, 0.5 * S, true);
    p.onEnd(0, 0.6 * S, false);
    expect(p.onEnd(0, 0.7 * S, true)).toBe(3 * S);
    const q = new SecondsPassive(1, 2, 2 * S);
    q.onEnd(0, 1 * S, true);
    q.onEnd(0, 4.5 * S, false); // picked after fail_timeout: re-checked, the success resets
    expect(q.onEnd(0, 4.6 * S, true)).toBeUndefined();
  });
});

/** NGINX's ngx_http_upstream_get_peer: smooth weighted round robin skipping tried peers. */
function nginxRoundRobin(weights: readonly number[]) {
  const cw = weights.map(() => 0);
  return (tried: readonly number[]) => {
    let best = -1;
    let total = 0;
    weights.forEach((w, i) => {
      if (tried.includes(i)) return;
      cw[i]! += w;
      total += w;
      if (best < 0 || cw[i]! > cw[best]!) best = i;
    });
    cw[best]! -= total;
    return best;
  };
}

describe('a retry chooses among the backends not tried yet', () => {
  it('smooth weighted round robin with every request failing once on its first pick', () => {
    const weights = [1, 1, 1];
    const set = makeSet(weights);
    const b = balancerFor('smooth-weighted-round-robin');
    const rng = createStream(1, 'lb', 'test');
    const ref = nginxRoundRobin(weights);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let k = 0; k < 12; k++) {
      const first = b.pick(set, lbRequest(k), rng);
      const view: BackendView = withoutTried(set, [first]);
      ours.push(first, b.pick(view, lbRequest(k), rng));
      const f = ref([]);
      theirs.push(f, ref([f]));
    }
    expect(ours).toEqual(theirs);
    expect(withoutTried(set, [0, 1, 2]).eligible).toEqual([]);
    // The former retry (re-pick on the full set while the pick was tried) drifts from NGINX.
    const old = balancerFor('smooth-weighted-round-robin');
    const before: number[] = [];
    for (let k = 0; k < 12; k++) {
      const first = old.pick(set, lbRequest(k), rng);
      let again = old.pick(set, lbRequest(k), rng);
      while (again === first) again = old.pick(set, lbRequest(k), rng);
      before.push(first, again);
    }
    expect(before).not.toEqual(theirs);
  });
});
