import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import { duration } from '../core/units.ts';
import type { HttpResponse, Method, RequestHeaders } from '../http/messages.ts';

/**
 * The browser's CORS enforcement. The policy itself comes from the target's Access-Control-*
 * headers (app-server `cors`); `origins` is the older client-side stand-in, used only when the
 * target sends no such headers.
 */
export const corsSchema = z.strictObject({
  origins: z
    .array(z.string().min(1))
    .optional()
    .describe('origins the target allows, when it sends no Access-Control-* headers (legacy)'),
  maxAge: duration()
    .default(5_000_000)
    .describe('preflight cache time when the target sends no Access-Control-Max-Age (5s)'),
});
/** A parsed CORS config. */
export type CorsConfig = z.output<typeof corsSchema>;

const SIMPLE_METHODS: ReadonlySet<Method> = new Set(['GET', 'HEAD', 'POST']);
/** Content-Type values that keep a request simple (Fetch: CORS-safelisted request-header). */
const SIMPLE_TYPES: ReadonlySet<string> = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
/** Header names a page may set without a preflight (besides a simple Content-Type). */
const SAFELISTED: ReadonlySet<string> = new Set(['accept', 'accept-language', 'content-language']);
/** Chromium caps Access-Control-Max-Age at 2 hours. */
const MAX_AGE_CAP = 7_200;

/** The non-safelisted header names a request carries (lower case), for Access-Control-Request-Headers. */
export function unsafeHeaders(headers: RequestHeaders): string[] {
  const out: string[] = [];
  if (headers.authorization !== undefined && headers.authorization !== 'none') {
    if (headers.authorization !== 'session') out.push('authorization');
  }
  const type = headers.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && !SIMPLE_TYPES.has(type)) out.push('content-type');
  for (const h of headers.extra ?? []) {
    const n = h.toLowerCase();
    if (!SAFELISTED.has(n) && !out.includes(n)) out.push(n);
  }
  return out.sort();
}

/**
 * Whether a request needs an OPTIONS preflight (Fetch Standard): it is cross-origin (has an
 * Origin) and not simple: a method other than GET/HEAD/POST, an Authorization header, a
 * Content-Type other than form/multipart/text-plain (application/json is not simple), or
 * another header outside the safelist. Cookies do not count (the browser adds them).
 */
export function needsPreflight(method: Method, headers: RequestHeaders): boolean {
  if (headers.origin === undefined) return false;
  return !SIMPLE_METHODS.has(method) || unsafeHeaders(headers).length > 0;
}

/** The preflight's own headers: Origin and Access-Control-Request-Method/-Headers, no credentials. */
export function preflightHeaders(method: Method, headers: RequestHeaders): RequestHeaders {
  const requestHeaders = unsafeHeaders(headers);
  return {
    origin: headers.origin!,
    requestMethod: method,
    ...(requestHeaders.length === 0 ? {} : { requestHeaders }),
  };
}

/** Whether the answer's Access-Control-Allow-Origin/-Credentials let the page read it. */
function originAllowed(res: HttpResponse, headers: RequestHeaders, cfg: CorsConfig): boolean {
  const ac = res.headers.accessControl;
  const origin = headers.origin!;
  if (ac === undefined) return cfg.origins?.includes(origin) === true;
  const credentialed = headers.credentials === 'include';
  // Browsers refuse '*' on a credentialed request, and need Allow-Credentials: true.
  if (ac.allowOrigin === '*') return !credentialed;
  if (ac.allowOrigin !== origin) return false;
  return !credentialed || ac.allowCredentials === true;
}

/**
 * Whether a preflight's answer allows the request, and for how long it may be cached (µs);
 * undefined when it does not allow it.
 */
export function preflightVerdict(
  res: HttpResponse,
  method: Method,
  headers: RequestHeaders,
  cfg: CorsConfig,
): number | undefined {
  if (!originAllowed(res, headers, cfg)) return undefined;
  const ac = res.headers.accessControl;
  if (ac === undefined) return cfg.maxAge;
  const wildcard = headers.credentials !== 'include';
  const methods = ac.allowMethods ?? [];
  if (!SIMPLE_METHODS.has(method) && !methods.includes(method)) {
    if (!(wildcard && methods.includes('*'))) return undefined;
  }
  const allowed = ac.allowHeaders ?? [];
  for (const h of unsafeHeaders(headers)) {
    if (!allowed.includes(h) && !(wildcard && allowed.includes('*') && h !== 'authorization'))
      return undefined;
  }
  return ac.maxAge === undefined ? cfg.maxAge : Math.min(ac.maxAge, MAX_AGE_CAP) * 1_000_000;
}

/** Whether the page may read a cross-origin answer (the request was sent; the browser hides it otherwise). */
export function responseAllowed(
  res: HttpResponse,
  headers: RequestHeaders,
  cfg: CorsConfig,
): boolean {
  return originAllowed(res, headers, cfg);
}

/** The browser's preflight cache: one entry per (origin, route) until its max-age runs out. */
export class PreflightCache {
  private readonly entries = new Map<string, SimTime>();

  /** Whether a fresh preflight result is cached. */
  has(origin: string, route: string, now: SimTime): boolean {
    const k = `${origin}\u0000${route}`;
    const expires = this.entries.get(k);
    if (expires === undefined) return false;
    if (now < expires) return true;
    this.entries.delete(k);
    return false;
  }

  /** Stores a successful preflight for `maxAge` µs. */
  store(origin: string, route: string, now: SimTime, maxAge: SimTime): void {
    const k = `${origin}\u0000${route}`;
    this.entries.delete(k);
    if (maxAge > 0) this.entries.set(k, now + maxAge);
  }
}
