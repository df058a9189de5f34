import type { ActorRef, SimTime } from '../../engine/index.ts';

/** HTTP methods a workload may use. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Methods RFC 9110 calls idempotent; POST and PATCH are not. */
export const IDEMPOTENT_METHODS: ReadonlySet<Method> = new Set([
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
]);

/** Where a request's time went; each phase accumulates µs on the request. */
export const PHASES = [
  'dns',
  'connect',
  'tls',
  'preflight',
  'network',
  'queue',
  'service',
  'cache',
  'coalesced',
  'database',
  'backoff',
] as const;
/** One of PHASES. */
export type Phase = (typeof PHASES)[number];
/** Index of each phase in a request's `phases` vector. */
export const PHASE_INDEX: Readonly<Record<Phase, number>> = Object.fromEntries(
  PHASES.map((p, i) => [p, i]),
) as Record<Phase, number>;

/** A zeroed phase vector for a new request (a literal: far cheaper than a Float64Array). */
export function newPhases(): number[] {
  const v = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  if (v.length !== PHASES.length) throw new Error('newPhases() is out of date with PHASES');
  return v;
}

/** The request headers that change behaviour somewhere on the path. */
export interface RequestHeaders {
  /** Authorization kind carried by the request. */
  authorization?: 'none' | 'basic' | 'bearer' | 'session';
  /** Whether the credentials are valid (a login attempt with a wrong password is false). */
  credentialsValid?: boolean;
  /** Role the credentials grant (checked by an authorization step's `roles`). */
  role?: string;
  /** Session id from the Cookie header, for sticky sessions and session lookups. */
  session?: number;
  /** ETag the client holds (If-None-Match). */
  ifNoneMatch?: string;
  /** Origin header for cross-origin requests. */
  origin?: string;
  /** The Cookie header: name → value of the cookies the client's jar sent. */
  cookies?: Readonly<Record<string, string>>;
  /** Content-Type of the body (CORS: only three values keep a request simple). */
  contentType?: string;
  /** Names of other request headers set by the page (e.g. X-Requested-With). */
  extra?: readonly string[];
  /** Fetch credentials mode: cookies go cross-origin only with 'include'. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** A CORS preflight's Access-Control-Request-Method (present only on preflights). */
  requestMethod?: Method;
  /** A CORS preflight's Access-Control-Request-Headers (lower case). */
  requestHeaders?: readonly string[];
  /** If-Match: the ETag a write expects the resource to have (else 412). */
  ifMatch?: string;
  /** Idempotency-Key: the logical request's id, the same on every retry. */
  idempotencyKey?: number;
  /**
   * Not a header: the ETag of the copy the writer last read (ground truth for counting lost
   * updates); undefined for a blind write.
   */
  basedOn?: string;
}

/**
 * One logical request's record of which attempts applied a write (the simulator's ground
 * truth, shared by all attempts): a write by a second attempt is a duplicate.
 */
export interface WriteLedger {
  /** Attempt request ids that applied a write, first one first (at most max retries + 1). */
  readonly appliedBy: number[];
}

/** What a page request asks for (pagination as an API). */
export interface PageQuery {
  /** The walk this page belongs to (unique per simulation). */
  readonly walk: number;
  /** Page number in the walk, 0 for the first. */
  readonly page: number;
  readonly mode: 'offset' | 'cursor';
  readonly size: number;
  /** Offset mode: items to skip. */
  readonly offset: number;
  /** Cursor mode: the last item id of the previous page (0: start). */
  readonly cursor: number;
}

/** What a page response says: how many items, the next cursor, and whether the walk is over. */
export interface PageReply {
  readonly items: number;
  readonly next: number;
  readonly last: boolean;
  /** The item ids, newest first (tests and property checks read them). */
  readonly ids: readonly number[];
}

/** The Access-Control-* response headers of a CORS-aware server (Fetch Standard §3.2). */
export interface AccessControl {
  /** Access-Control-Allow-Origin: the origin, or '*'. */
  readonly allowOrigin: string;
  readonly allowCredentials?: boolean;
  /** Access-Control-Allow-Methods (preflights). */
  readonly allowMethods?: readonly string[];
  /** Access-Control-Allow-Headers, lower case (preflights). */
  readonly allowHeaders?: readonly string[];
  /** Access-Control-Max-Age in seconds (preflights). */
  readonly maxAge?: number;
}

/** One Set-Cookie header (RFC 6265 §4.1): a cookie and the attributes that scope it. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  /** Max-Age in seconds (0 or less deletes it); omitted: a session cookie. */
  readonly maxAge?: number;
  readonly domain?: string;
  readonly path?: string;
  readonly secure?: boolean;
  readonly httpOnly?: boolean;
  readonly sameSite?: 'Strict' | 'Lax' | 'None';
}

/** One timed step of a traced request, for timelines. */
export interface Span {
  readonly component: string;
  readonly phase: Phase;
  readonly start: SimTime;
  readonly end: SimTime;
}

/**
 * One attempt of a user request as it travels the stack. Created by a client; every hop may
 * add time to `phases` (and to `spans` when the request is traced). A retry is a new attempt
 * with the same `origin`.
 */
export interface HttpRequest {
  /** Unique per simulation. */
  readonly id: number;
  /** Id of the first attempt; equals `id` unless this is a retry. */
  readonly origin: number;
  /** Attempt number, 0 for the first. */
  readonly attempt: number;
  /** Client component id that issued it. */
  readonly client: string;
  /** Numeric client address (for IP hashing and per-IP limits). */
  readonly clientIp: number;
  readonly method: Method;
  /** Route template, e.g. '/product/{key}'; the router matches on it. */
  readonly route: string;
  /** The request class name from the workload mix. */
  readonly className: string;
  /** Object key for caches and hashing (e.g. product id). */
  readonly key: number;
  /** User id (0 for anonymous) and the API key / plan tier. */
  readonly user: number;
  readonly tier: string;
  readonly idempotent: boolean;
  readonly headers: RequestHeaders;
  /** Request body size in bytes. */
  readonly size: number;
  /** When the client intended to send the first attempt (latency is measured from here). */
  readonly intendedAt: SimTime;
  /**
   * When the caller gives up on this attempt (its timeout), if it has one: servers use it to
   * count work done after it (wasted work) and, when configured, to drop or cancel it.
   */
  readonly deadline?: SimTime;
  /** µs spent per phase, indexed by PHASE_INDEX. */
  readonly phases: number[];
  /** Spans, only for traced requests. */
  spans: Span[] | undefined;
  /** Which attempts applied a write (non-safe methods only). */
  readonly ledger?: WriteLedger | undefined;
  /** The page asked for, on a pagination walk. */
  readonly page?: PageQuery | undefined;
}

/** The response headers that matter to clients and caches. */
export interface ResponseHeaders {
  /** Retry-After in seconds. */
  retryAfter?: number;
  rateLimitLimit?: number;
  rateLimitRemaining?: number;
  /** Seconds until the limit window resets. */
  rateLimitReset?: number;
  /** Cache-Control max-age in seconds. */
  maxAge?: number;
  etag?: string;
  /** WWW-Authenticate challenge of a 401 (RFC 9110 §11.6.1), e.g. 'Basic realm="app"'. */
  wwwAuthenticate?: string;
  /** Set-Cookie headers (a login's session cookie, a balancer's server cookie). */
  setCookie?: readonly SetCookie[];
  /** CORS headers, from a server with a CORS policy when the Origin is allowed. */
  accessControl?: AccessControl;
}

/** A response: status, headers, size and which component produced it and why. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** Body size in bytes. */
  readonly size: number;
  /** Id of the component that produced the status. */
  readonly producedBy: string;
  /** Short machine-readable cause, e.g. 'ok', 'backlog-full', 'rate-limited', 'upstream-timeout'. */
  readonly reason: string;
  /** The page served, for a page request. */
  readonly page?: PageReply | undefined;
}

/**
 * Response reasons meaning the connection to a server failed or broke, rather than the
 * application answering (NGINX's `error` class): refused (down, backlog full), reset (crashed
 * mid-request), a worker killed by its timeout, or killed with it. Servers produce them; a
 * proxy turns them into 502 and a balancer retries another backend.
 */
export const CONNECTION_FAILURES = {
  refused: 'connect-refused',
  reset: 'reset',
  workerTimeout: 'worker-timeout',
  workerKilled: 'worker-killed',
} as const;

const CONNECTION_FAILURE_REASONS: ReadonlySet<string> = new Set(Object.values(CONNECTION_FAILURES));

/** Whether a response's reason says the connection failed (see CONNECTION_FAILURES). */
export function isConnectionFailure(reason: string): boolean {
  return CONNECTION_FAILURE_REASONS.has(reason);
}

/**
 * What a component in the middle answers its own caller when its upstream's connection failed:
 * a 502 of its own (NGINX `upstream-refused` / `upstream-reset`), never the upstream's
 * connection failure, which only the end that holds the connection may see. Other responses
 * pass unchanged.
 */
export function throughIntermediary(res: HttpResponse, componentId: string): HttpResponse {
  if (!CONNECTION_FAILURE_REASONS.has(res.reason)) return res;
  const refused = res.reason === CONNECTION_FAILURES.refused;
  return response(502, componentId, refused ? 'upstream-refused' : 'upstream-reset');
}

/** A request travelling one hop; the callee answers with HttpResponseMessage and the same tag. */
export interface HttpRequestMessage {
  readonly type: 'http.request';
  readonly req: HttpRequest;
  /** Who gets the response. */
  readonly replyTo: ActorRef;
  /** The caller's correlation number, echoed in the response. */
  readonly tag: number;
}

/** The answer to one hop. */
export interface HttpResponseMessage {
  readonly type: 'http.response';
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  readonly tag: number;
}

/** Builds the response message for a hop. */
export function reply(req: HttpRequest, tag: number, res: HttpResponse): HttpResponseMessage {
  return { type: 'http.response', req, res, tag };
}

/** Builds a response with no special headers. */
/** Response headers of a response that sets none (shared: headers are never changed in place). */
export const NO_HEADERS: ResponseHeaders = Object.freeze({});

export function response(
  status: number,
  producedBy: string,
  reason: string,
  size = 0,
  headers: ResponseHeaders = NO_HEADERS,
): HttpResponse {
  return { status, headers, size, producedBy, reason };
}

/** Adds `micros` to one phase of a request (and a span when the request is traced). */
export function addPhase(
  req: HttpRequest,
  phase: Phase,
  component: string,
  start: SimTime,
  end: SimTime,
): void {
  req.phases[PHASE_INDEX[phase]]! += end - start;
  if (req.spans !== undefined) req.spans.push({ component, phase, start, end });
}
