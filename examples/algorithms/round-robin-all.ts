// A deliberately BROKEN balancer: round robin over every backend, ignoring health and
// eligibility. check-algorithm fails it with a counterexample (a backend that is down):
//   stacksim check-algorithm examples/algorithms/round-robin-all.ts --family balancer
import type { BackendView, Balancer } from '../../models/lb/algorithm.ts';

/** Makes the broken balancer. */
export function create(): Balancer {
  let next = 0;
  return {
    name: 'round-robin-all',
    cost: 'O(1)',
    pick(view: BackendView): number {
      const i = next % view.n; // BUG: should skip backends that are not eligible
      next++;
      return i;
    },
  };
}
