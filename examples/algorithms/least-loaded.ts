// A user balancer: the eligible backend with the fewest requests in flight per unit of weight;
// ties go to a random one of the tied backends (so equal backends share the load).
//   stacksim check-algorithm examples/algorithms/least-loaded.ts --family balancer
// Scenario: "algorithm": { "module": "./algorithms/least-loaded.ts", "options": {} }
import type { Rng } from '../../engine/index.ts';
import type { BackendView, Balancer } from '../../models/lb/algorithm.ts';

/** Makes the balancer (options: none). */
export function create(): Balancer {
  return {
    name: 'least-loaded',
    cost: 'O(n)',
    pick(view: BackendView, _req: unknown, rng: Rng): number {
      let best = -1;
      let bestLoad = Number.POSITIVE_INFINITY;
      let ties = 0;
      for (const i of view.eligible) {
        const load = view.inflight(i) / view.weight(i);
        if (load < bestLoad) {
          best = i;
          bestLoad = load;
          ties = 1;
        } else if (load === bestLoad) {
          ties++;
          if (rng.next() * ties < 1) best = i; // reservoir sampling: uniform among ties
        }
      }
      return best;
    },
  };
}
