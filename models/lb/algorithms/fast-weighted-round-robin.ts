import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';

/** Config of HAProxy's `balance roundrobin` (fast weighted round robin, lb_fwrr.c). */
export const fastWeightedRoundRobinSchema = z.strictObject({
  name: z.literal('fast-weighted-round-robin'),
});

const SCALE = 16; // BE_WEIGHT_SCALE: effective weight = user weight × 16
const UWGHT_RANGE = 256;
const EWGHT_MAX = 256 * SCALE;

interface Srv {
  readonly i: number;
  /** Effective weight: user weight × 16, scaled by slow start. */
  ew: number;
  npos: number;
  /** Position it was last served at (fwrr's lpos). */
  lpos: number;
  /** Taken out (down): in no tree. */
  out: boolean;
  rweight: number;
  key: number;
  seq: number;
  tree: Srv[] | undefined;
}

/**
 * HAProxy's roundrobin (lb_fwrr.c): each server has a next position npos = pos + Σew / ew
 * (remainders carried in rweight); the "current" tree serves the lowest position (ties in
 * insertion order); servers past the window wait in "next", which becomes "init" when the
 * window is used up. Weights 3:1:2 give a c a b a c (NGINX's smooth weighted round robin gives
 * a c a b c a). When eligibility changes, servers leave and re-enter the trees as in HAProxy.
 * O(n) per pick over the small sorted arrays standing for HAProxy's trees.
 */
export function fastWeightedRoundRobin(): Balancer {
  let builtFor = Number.NaN;
  let seq = 0;
  let currPos = 0;
  let currWeight = 0;
  let nextWeight = 0;
  let curr: Srv[] = [];
  let init: Srv[] = [];
  let next: Srv[] = [];
  const insert = (tree: Srv[], s: Srv) => {
    s.seq = seq++;
    let k = tree.length;
    while (k > 0 && tree[k - 1]!.key > s.key) k--;
    tree.splice(k, 0, s);
    s.tree = tree;
  };
  const remove = (s: Srv) => {
    if (s.tree !== undefined) s.tree.splice(s.tree.indexOf(s), 1);
    s.tree = undefined;
  };
  const byWeight = (tree: Srv[], s: Srv) => {
    s.key = EWGHT_MAX - s.ew;
    insert(tree, s);
  };
  /** Every server the trees know (eligible or taken out), by backend index. */
  let known = new Map<number, Srv>();
  const ewOf = (view: BackendView, i: number) => Math.max(1, Math.round(view.weight(i) * SCALE));
  const newSrv = (view: BackendView, i: number): Srv => ({
    i,
    ew: ewOf(view, i),
    npos: 0,
    lpos: 0,
    out: false,
    rweight: 0,
    key: 0,
    seq: 0,
    tree: undefined,
  });
  const rebuild = (view: BackendView) => {
    const list = view.eligible.map((i) => newSrv(view, i));
    const tot = list.reduce((a, s) => a + s.ew, 0);
    currPos = currWeight = nextWeight = tot;
    curr = [];
    init = [];
    next = [];
    known = new Map(list.map((s) => [s.i, s]));
    for (const s of list) byWeight(init, s);
    builtFor = view.version;
  };
  /**
   * Eligibility changed (a health check, passive marking): as fwrr_set_server_status_down
   * and _up. A server leaving gives back its weight and leaves its tree; one coming back
   * enters at npos = curr_pos + (next_weight + curr_weight − curr_pos) / ew, so it does not
   * jump ahead of the servers that kept serving. The trees are otherwise kept.
   */
  const update = (view: BackendView) => {
    const up = new Set(view.eligible);
    for (const s of known.values()) {
      if (s.out || up.has(s.i)) continue;
      nextWeight -= s.ew;
      remove(s);
      s.out = true;
    }
    for (const i of view.eligible) {
      let s = known.get(i);
      if (s !== undefined && !s.out) {
        const ew = ewOf(view, i);
        if (ew !== s.ew) reweigh(s, ew);
        continue;
      }
      if (s === undefined) {
        s = newSrv(view, i);
        known.set(i, s);
      }
      s.out = false;
      s.ew = ewOf(view, i);
      nextWeight += s.ew;
      s.npos = currPos + Math.trunc((nextWeight + currWeight - currPos) / s.ew);
      queue(s);
    }
    builtFor = view.version;
  };
  /** A server still up changed its weight (slow start): as fwrr_update_server_weight. */
  const reweigh = (s: Srv, ew: number) => {
    nextWeight = nextWeight - s.ew + ew;
    s.ew = ew;
    if (s.tree === init) {
      remove(s);
      byWeight(init, s);
      return;
    }
    if (s.tree === next) s.npos += currWeight;
    const prev = s.npos;
    const step = Math.trunc(nextWeight / ew);
    s.npos = Math.min(prev, s.lpos + step);
    s.rweight = 0;
    if (s.npos < currPos + 2) s.npos = currPos + step;
    remove(s);
    queue(s);
  };
  const queue = (s: Srv) => {
    if (s.npos >= 2 * currWeight || s.npos >= currWeight + nextWeight) {
      s.npos -= currWeight;
      byWeight(next, s);
    } else {
      s.key = UWGHT_RANGE * s.npos + Math.trunc((EWGHT_MAX + s.rweight - s.ew) / SCALE);
      insert(curr, s);
    }
  };
  const fromGroup = (): Srv | undefined => {
    let s = curr[0];
    if (s === undefined || s.npos > currPos) {
      const s2 = init[0];
      if (s2 !== undefined) {
        s = s2;
        s.npos = 0;
        s.rweight = 0;
      }
    }
    return s;
  };
  return {
    name: 'fast-weighted-round-robin',
    cost: 'O(n)',
    pick(view: BackendView): number {
      if (view.eligible.length === 0) return -1;
      if (builtFor !== view.version) {
        // A retry's view (negative version, tried servers left out) or the first pick:
        // rebuilt; a change of eligibility later on: HAProxy's up/down transitions.
        if (view.version < 0 || known.size === 0 || builtFor < 0) rebuild(view);
        else update(view);
      }
      if (currWeight === 0) currPos = currWeight = nextWeight;
      let s = fromGroup();
      if (s === undefined) {
        [init, next] = [next, init];
        currWeight = nextWeight;
        currPos = currWeight;
        s = fromGroup();
        if (s === undefined) return -1;
      }
      if (s.npos === 0) s.npos = currPos;
      s.lpos = s.npos;
      s.npos += Math.trunc(nextWeight / s.ew);
      s.rweight += nextWeight % s.ew;
      if (s.rweight >= s.ew) {
        s.rweight -= s.ew;
        s.npos++;
      }
      remove(s);
      currPos++;
      queue(s);
      return s.i;
    },
  };
}
