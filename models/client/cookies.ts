import type { SimTime } from '../../engine/index.ts';
import type { SetCookie } from '../http/messages.ts';

/** The part of a request URL cookies are matched against (RFC 6265 §5.4). */
export interface CookieUrl {
  /** Lower-case host name, e.g. 'app.example.com'. */
  readonly host: string;
  /** Request path, e.g. '/cart/7'. */
  readonly path: string;
  /** Whether the request goes over TLS (https). */
  readonly secure: boolean;
}

/** A stored cookie (RFC 6265 §5.3): the attributes that decide where it is sent. */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  /** Domain attribute (or the setting host when hostOnly). */
  readonly domain: string;
  /** No Domain attribute: sent to exactly the host that set it. */
  readonly hostOnly: boolean;
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: 'Strict' | 'Lax' | 'None';
  /** When it expires, µs (Infinity: a session cookie, kept while the browser runs). */
  readonly expires: SimTime;
}

/** Most cookies one jar keeps (browsers: about 50–180 per domain); the oldest go first. */
export const JAR_CAPACITY = 50;

/** RFC 6265 §5.1.3: `host` equals `domain` or is a subdomain of it. */
export function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`);
}

/** RFC 6265 §5.1.4: the request path is the cookie path or below it. */
export function pathMatch(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

/** RFC 6265 §5.1.4 default-path: the request path up to its last '/', or '/'. */
export function defaultPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The "site" of a host: its last two labels (a stand-in for the registrable domain). */
export function siteOf(host: string): string {
  const labels = host.split('.');
  return labels.slice(-2).join('.');
}

/** The host of an origin such as 'https://shop.example.com:8443'. */
export function originHost(origin: string): string {
  const rest = origin.includes('://') ? origin.slice(origin.indexOf('://') + 3) : origin;
  const end = rest.search(/[:/]/);
  return (end < 0 ? rest : rest.slice(0, end)).toLowerCase();
}

/**
 * One browser's cookies for any number of hosts (a jar per user). store() applies the
 * storage rules and send() the retrieval rules of RFC 6265 with SameSite (RFC 6265bis):
 * a cookie never leaves its domain, path, Secure or SameSite scope, nor outlives its expiry.
 */
export class CookieJar {
  private readonly cookies: StoredCookie[] = [];

  /** How many cookies are stored (expired ones included until touched). */
  get size(): number {
    return this.cookies.length;
  }

  /** Applies a Set-Cookie received from `url` at `now`; returns whether it was stored. */
  store(set: SetCookie, url: CookieUrl, now: SimTime): boolean {
    let domain = url.host;
    let hostOnly = true;
    if (set.domain !== undefined) {
      const d = set.domain.replace(/^\./, '').toLowerCase();
      // A host may set a cookie for itself or a parent domain, never for another site.
      if (!domainMatch(url.host, d) || !d.includes('.')) return false;
      domain = d;
      hostOnly = false;
    }
    const secure = set.secure === true;
    // RFC 6265bis: an insecure origin cannot set a Secure cookie; SameSite=None needs Secure.
    if (secure && !url.secure) return false;
    const sameSite = set.sameSite ?? 'Lax';
    if (sameSite === 'None' && !secure) return false;
    const path = set.path?.startsWith('/') === true ? set.path : defaultPath(url.path);
    const i = this.cookies.findIndex(
      (c) => c.name === set.name && c.domain === domain && c.path === path,
    );
    if (i >= 0) this.cookies.splice(i, 1);
    if (set.maxAge !== undefined && set.maxAge <= 0) return false; // a deletion
    const expires = set.maxAge === undefined ? Infinity : now + set.maxAge * 1_000_000;
    this.cookies.push({
      name: set.name,
      value: set.value,
      domain,
      hostOnly,
      path,
      secure,
      httpOnly: set.httpOnly === true,
      sameSite,
      expires,
    });
    if (this.cookies.length > JAR_CAPACITY) this.cookies.shift();
    return true;
  }

  /** Whether `cookie` may go with a request to `url` at `now` (`crossSite`: a cross-site fetch). */
  static applies(cookie: StoredCookie, url: CookieUrl, now: SimTime, crossSite: boolean): boolean {
    if (cookie.expires <= now) return false;
    const hostOk = cookie.hostOnly
      ? url.host === cookie.domain
      : domainMatch(url.host, cookie.domain);
    if (!hostOk || !pathMatch(url.path, cookie.path)) return false;
    if (cookie.secure && !url.secure) return false;
    // A cross-site subresource request (fetch/XHR, not a top-level navigation) carries only
    // SameSite=None cookies: Strict never, Lax only on top-level GET navigations.
    return !crossSite || cookie.sameSite === 'None';
  }

  /** The cookies sent with a request to `url` (name → value; longer paths first, RFC 6265 §5.4). */
  send(url: CookieUrl, now: SimTime, crossSite: boolean): Record<string, string> | undefined {
    let out: Record<string, string> | undefined;
    let kept = 0;
    const chosen: StoredCookie[] = [];
    for (const c of this.cookies) {
      if (c.expires <= now) continue;
      this.cookies[kept++] = c;
      if (CookieJar.applies(c, url, now, crossSite)) chosen.push(c);
    }
    this.cookies.length = kept;
    chosen.sort((a, b) => b.path.length - a.path.length);
    for (const c of chosen) {
      if (out === undefined) out = {};
      if (!(c.name in out)) out[c.name] = c.value;
    }
    return out;
  }

  /** Forgets the cookie `name` for `host` (the app dropped a session the server refused). */
  forget(name: string, host: string): void {
    for (let i = this.cookies.length - 1; i >= 0; i--) {
      const c = this.cookies[i]!;
      if (c.name === name && domainMatch(host, c.domain)) this.cookies.splice(i, 1);
    }
  }
}
