import { z } from 'zod';
import type { Context } from '../../engine/index.ts';
import { probability } from '../core/units.ts';
import type { HttpRequest, RequestHeaders, ResponseHeaders } from '../http/messages.ts';
import { CookieJar, type CookieUrl, originHost, siteOf } from './cookies.ts';
import type { ClientState, Job } from './job.ts';

/** How a browser logs in for cookie sessions (an app's login form). */
export const loginSchema = z.strictObject({
  method: z.enum(['POST', 'GET', 'PUT']).default('POST').describe('method of the login request'),
  route: z.string().min(1).default('/login').describe('path of the login route'),
  cookie: z.string().min(1).default('sid').describe("name of the server's session cookie"),
  credentialsValid: probability()
    .default(1)
    .describe('share of login attempts with the right password'),
});
/** Parsed login config. */
export type LoginConfig = z.output<typeof loginSchema>;

/** The jar of the job's browser: one per user (per client address for anonymous requests). */
export function jarOf(state: ClientState, job: Job): CookieJar {
  const key = job.spec.user > 0 ? job.spec.user : -1 - job.clientIp;
  let jar = state.jars.get(key);
  if (jar === undefined) {
    jar = new CookieJar();
    state.jars.set(key, jar);
  }
  return jar;
}

/** The URL of a request to `route` as cookies see it: the target's host, TLS or not. */
export function cookieUrl(state: ClientState, route: string): CookieUrl {
  const c = state.config;
  const host = (c.dns?.name ?? c.target).toLowerCase();
  return { host, path: route, secure: c.connection.tls !== 'none' };
}

/** Whether the job's request is a cross-site fetch (its Origin is another site than the target). */
function crossSite(state: ClientState, job: Job): boolean {
  const origin = job.spec.headers.origin;
  if (origin === undefined) return false;
  return siteOf(originHost(origin)) !== siteOf(cookieUrl(state, job.spec.route).host);
}

/** Whether the job must log in first: it carries a session, and its jar holds no live one. */
export function needsLogin(state: ClientState, job: Job, now: number): boolean {
  const login = state.config.login;
  if (login === undefined || job.spec.headers.authorization !== 'session') return false;
  const sent = jarOf(state, job).send(cookieUrl(state, job.spec.route), now, crossSite(state, job));
  return sent?.[login.cookie] === undefined;
}

/**
 * The headers a request carries: the class's, plus the Cookie header from the jar. With a
 * login config, `authorization: session` means "the session cookie", present or not.
 */
export function withCookies(
  state: ClientState,
  job: Job,
  route: string,
  base: RequestHeaders,
  now: number,
): RequestHeaders {
  // A cross-origin fetch sends cookies only in credentials mode 'include' (Fetch Standard).
  const omit = base.origin !== undefined && base.credentials !== 'include';
  const jar = state.jars.size === 0 || omit ? undefined : jarOf(state, job);
  const cookies = jar?.send(cookieUrl(state, route), now, crossSite(state, job));
  const login = state.config.login;
  if (cookies === undefined && (login === undefined || base.authorization !== 'session')) {
    return base;
  }
  const out: RequestHeaders = { ...base };
  if (cookies !== undefined) out.cookies = cookies;
  if (login !== undefined && base.authorization === 'session') {
    const sid = cookies?.[login.cookie];
    if (sid === undefined) delete out.authorization;
    else out.session = Number(sid);
  }
  return out;
}

/** The login request of a job (a form post with the user's password). */
export function loginRequest(state: ClientState, job: Job, id: number, ctx: Context): HttpRequest {
  const login = state.config.login!;
  const valid = login.credentialsValid >= 1 || ctx.rng('login').next() < login.credentialsValid;
  const base: RequestHeaders = { authorization: 'basic', credentialsValid: valid };
  if (job.spec.headers.origin !== undefined) base.origin = job.spec.headers.origin;
  return {
    id,
    origin: id,
    attempt: 0,
    client: state.componentId,
    clientIp: job.clientIp,
    method: login.method,
    route: login.route,
    className: 'login',
    key: 0,
    user: job.spec.user,
    tier: job.spec.tier,
    idempotent: false,
    headers: withCookies(state, job, login.route, base, ctx.now),
    size: 0,
    intendedAt: job.intendedAt,
    phases: job.phases.map(() => 0),
    spans: job.spans === undefined ? undefined : [],
  };
}

/** Stores the cookies a response set in the job's jar. */
export function keepCookies(
  state: ClientState,
  job: Job,
  route: string,
  headers: ResponseHeaders,
  now: number,
): void {
  const set = headers.setCookie;
  if (set === undefined) return;
  const jar = jarOf(state, job);
  const url = cookieUrl(state, route);
  for (const c of set) jar.store(c, url, now);
}

/** Forgets the job's session cookie (the server refused it): the next request logs in again. */
export function dropSession(state: ClientState, job: Job): void {
  const login = state.config.login;
  if (login !== undefined) jarOf(state, job).forget(login.cookie, cookieUrl(state, '/').host);
}
