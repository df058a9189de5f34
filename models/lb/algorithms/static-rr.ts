import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';

/** Config of HAProxy `balance static-rr`: a weighted map walked in order. */
export const staticRrSchema = z.strictObject({ name: z.literal('static-rr') });

/**
 * HAProxy's static-rr (lb_map.c): a map of Σweight slots filled by recalc_server_map (each slot
 * goes to the first server whose (wscore + weight + tot) / tot is largest, which then pays
 * tot), walked one slot per request. Weights 3:1:2 give a a c a b c. The map is rebuilt over
 * the eligible backends when eligibility changes; the walk position carries on. O(1) per pick.
 */
export function staticRr(): Balancer {
  let map: number[] = [];
  let builtFor = Number.NaN;
  let idx = 0;
  const rebuild = (view: BackendView) => {
    const e = view.eligible;
    const w = e.map((i) => Math.max(1, Math.round(view.baseWeight(i))));
    const tot = w.reduce((a, b) => a + b, 0);
    const score = e.map(() => 0);
    map = [];
    for (let o = 0; o < tot; o++) {
      let best = -1;
      let max = 0;
      for (let k = 0; k < e.length; k++) {
        if (tot === 1) {
          best = k;
          break;
        }
        score[k]! += w[k]!;
        const v = Math.trunc((score[k]! + tot) / tot);
        if (best < 0 || v > max) {
          max = v;
          best = k;
        }
      }
      map.push(e[best]!);
      score[best]! -= tot;
    }
    builtFor = view.version;
  };
  return {
    name: 'static-rr',
    cost: 'O(1)',
    pick(view: BackendView): number {
      if (view.eligible.length === 0) return -1;
      if (builtFor !== view.version) rebuild(view);
      if (idx >= map.length) idx = 0;
      return map[idx++]!;
    },
  };
}
