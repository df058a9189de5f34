import type { Rng, SimTime } from '../../engine/index.ts';
import type { HttpRequest, SetCookie } from '../http/messages.ts';

/**
 * What a balancer can see about its backends: only its own bookkeeping (requests it has in
 * flight to each backend, configured and slow-start weights, health verdicts, latencies it
 * observed). Indices 0..n-1 are stable for the life of the balancer.
 */
export interface BackendView {
  /** Number of backends (eligible or not). */
  readonly n: number;
  /** Bumped whenever eligibility or an effective weight changes; algorithms key caches on it. */
  readonly version: number;
  /** The simulated clock (µs). */
  readonly now: SimTime;
  /** Indices the balancer may pick right now, ascending. Empty when none is eligible. */
  readonly eligible: readonly number[];
  /** Whether backend i may be picked right now. */
  isEligible(i: number): boolean;
  /** Effective weight of backend i (configured weight, scaled during slow start); > 0. */
  weight(i: number): number;
  /** Configured weight of backend i (no slow-start scaling); hashing rings are built from it. */
  baseWeight(i: number): number;
  /** Sum of inflight(i) over all backends. */
  readonly totalInflight: number;
  /** Requests (L7) or connections (L4) this balancer has open to backend i. */
  inflight(i: number): number;
  /** A stable name of backend i (its actor id), for hashing. */
  name(i: number): string;
  /** The address of backend i as the product's config writes it ("host:port"), if given. */
  address?(i: number): string | undefined;
  /**
   * ORACLE capability: the backend's true queue length, which no real balancer can read.
   * Present only when the scenario allows oracle algorithms (join-shortest-queue).
   */
  readonly peekQueue?: (i: number) => number;
}

/**
 * A load-balancing algorithm. pick() returns an eligible index, or -1 exactly when no backend
 * is eligible. Given the same view, request and random stream it returns the same answer.
 */
export interface Balancer {
  /** The algorithm's name as written in scenarios, e.g. 'round-robin'. */
  readonly name: string;
  /** Cost class of one pick, for docs and benchmarks: 'O(1)', 'O(log n)' or 'O(n)'. */
  readonly cost: 'O(1)' | 'O(log n)' | 'O(n)';
  /** Chooses a backend for `req`. */
  pick(view: BackendView, req: HttpRequest, rng: Rng): number;
  /** A request (or connection) was sent to backend i. */
  onStart?(i: number, now: SimTime): void;
  /** A request to backend i ended after `latencyUs` µs; ok is false for errors and timeouts. */
  onEnd?(i: number, now: SimTime, latencyUs: number, ok: boolean): void;
  /**
   * The cookie the balancer adds to backend i's answer to `req` (cookie stickiness: HAProxy
   * `cookie … insert`, NGINX `sticky cookie`), or undefined when the client already holds it.
   */
  cookieFor?(i: number, req: HttpRequest, view: BackendView): SetCookie | undefined;
}

/** Uniform integer in [0, n) from a random stream. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** Picks an eligible index uniformly at random, or -1 when none is eligible. */
export function randomEligible(view: BackendView, rng: Rng): number {
  const e = view.eligible;
  if (e.length === 0) return -1;
  return e[randomIndex(rng, e.length)]!;
}
