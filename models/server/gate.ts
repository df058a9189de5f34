import type { SimTime } from '../../engine/index.ts';
import type { HttpRequest, ResponseHeaders } from '../http/messages.ts';

/** A gate's verdict on one request: admit (possibly after a delay) or reject with a status. */
export interface GateVerdict {
  readonly allowed: boolean;
  /** Status for a rejection (default 429). */
  readonly status?: number;
  /** Headers to put on the response (Retry-After, X-RateLimit-*), on rejection or success. */
  readonly headers?: ResponseHeaders;
  /** µs to hold an admitted request before it continues (NGINX limit_req delaying). */
  readonly delay?: SimTime;
}

/**
 * An admission decision inside a server's middleware chain (a rate limiter, a quota). The
 * app server calls admit() synchronously at the rateLimit step; the gate keeps its own state
 * and must be deterministic (time only from `now`).
 */
export interface RequestGate {
  admit(req: HttpRequest, now: SimTime): GateVerdict;
  /**
   * Called once when a request this gate admitted has finished, with its final status and time
   * spent in the server (login lockout counts 401s; adaptive limits learn from latency).
   */
  complete?(req: HttpRequest, now: SimTime, status: number, latency: SimTime): void;
}

/** Builds a gate from a rateLimit step's config (`algorithm` names the kind). */
export interface GateKind {
  /** The `algorithm` value this kind implements, e.g. 'token-bucket'. */
  readonly algorithm: string;
  /** Builds one gate instance (per app-server actor) from the step's config. */
  build(config: Readonly<Record<string, unknown>>): RequestGate;
  /** Problems with a step's config (path inside the step, message); checked at validation. */
  check?(config: Readonly<Record<string, unknown>>): { path: PropertyKey[]; message: string }[];
}

/**
 * Finds a gate kind by algorithm name in `kinds` (the registry passes the rate-limiting
 * family's RATE_LIMIT_GATE_KINDS to makeAppServerKind; an unknown name is a configuration error).
 */
export function findGateKind(algorithm: string, kinds: readonly GateKind[]): GateKind | undefined {
  return kinds.find((k) => k.algorithm === algorithm);
}
