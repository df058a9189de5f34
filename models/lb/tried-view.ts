import type { BackendView } from './algorithm.ts';

let nextVersion = -1;

/**
 * `set` without the backends a request already tried, for its retry: like NGINX's get_peer,
 * which skips tried peers (their round-robin weight does not grow and they cannot win). A
 * negative version of its own makes algorithms that cache on the version rebuild.
 */
export function withoutTried(set: BackendView, tried: readonly number[]): BackendView {
  const eligible = set.eligible.filter((i) => !tried.includes(i));
  const version = nextVersion--;
  const view: BackendView = {
    n: set.n,
    version,
    now: set.now,
    eligible,
    isEligible: (i) => set.isEligible(i) && !tried.includes(i),
    weight: (i) => set.weight(i),
    baseWeight: (i) => set.baseWeight(i),
    totalInflight: set.totalInflight,
    inflight: (i) => set.inflight(i),
    name: (i) => set.name(i),
    address: (i) => set.address?.(i),
  };
  const peek = set.peekQueue;
  return peek === undefined ? view : { ...view, peekQueue: peek };
}
