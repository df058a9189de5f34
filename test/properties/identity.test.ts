import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kvStoreKind } from '../../models/cache/kv-store.ts';
import { CookieJar, type CookieUrl } from '../../models/client/cookies.ts';
import type { RequestHeaders, SetCookie } from '../../models/http/messages.ts';
import { appServerKind } from '../../models/server/app-server.ts';
import { scripted, testStack } from '../helpers/poisson-source.ts';

const HOSTS = ['example.com', 'app.example.com', 'api.app.example.com', 'other.org', 'a.other.org'];
const PATHS = ['/', '/cart', '/cart/7', '/cartx', '/api/v1/items', '/api'];
const host = fc.constantFrom(...HOSTS);
const path = fc.constantFrom(...PATHS);
const url = fc.record({ host, path, secure: fc.boolean() });

const setCookie = fc.record(
  {
    name: fc.constantFrom('sid', 'SERVERID', 'pref'),
    maxAge: fc.integer({ min: -1, max: 100 }),
    domain: fc.constantFrom(...HOSTS, 'com', 'ple.com'),
    path: fc.constantFrom(...PATHS),
    secure: fc.boolean(),
    sameSite: fc.constantFrom('Strict', 'Lax', 'None') as fc.Arbitrary<'Strict' | 'Lax' | 'None'>,
  },
  { requiredKeys: ['name'] },
);

type Event =
  | { kind: 'set'; cookie: Omit<SetCookie, 'value'>; from: CookieUrl }
  | { kind: 'send'; to: CookieUrl; crossSite: boolean };

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), cookie: setCookie, from: url }),
  fc.record({ kind: fc.constant('send' as const), to: url, crossSite: fc.boolean() }),
);

/** Whether a Set-Cookie received from `from` at `setAt` may go with a request to `to` at `now`. */
function inScope(
  c: Omit<SetCookie, 'value'>,
  from: CookieUrl,
  setAt: number,
  to: CookieUrl,
  now: number,
  crossSite: boolean,
): boolean {
  const sameOrSub = (h: string, d: string) => h === d || h.endsWith(`.${d}`);
  if (c.domain === undefined ? to.host !== from.host : !sameOrSub(to.host, c.domain)) return false;
  const p = c.path ?? '/';
  const pathOk =
    to.path === p || (to.path.startsWith(p) && (p.endsWith('/') || to.path[p.length] === '/'));
  if (c.path !== undefined && !pathOk) return false;
  if (c.secure === true && !to.secure) return false;
  if (crossSite && c.sameSite !== 'None') return false;
  return c.maxAge === undefined || now < setAt + c.maxAge * 1_000_000;
}

describe('cookie jar', () => {
  it('never sends a cookie outside its domain, path, Secure, SameSite scope or lifetime', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 60 }), (events) => {
        const jar = new CookieJar();
        const sets = new Map<
          string,
          { c: Omit<SetCookie, 'value'>; from: CookieUrl; at: number }
        >();
        events.forEach((e, i) => {
          const now = i * 10_000_000; // 10 s apart
          if (e.kind === 'set') {
            const value = `v${i}`;
            jar.store({ ...e.cookie, value }, e.from, now);
            sets.set(value, { c: e.cookie, from: e.from, at: now });
            return;
          }
          const sent = jar.send(e.to, now, e.crossSite) ?? {};
          for (const value of Object.values(sent)) {
            const s = sets.get(value)!;
            expect(inScope(s.c, s.from, s.at, e.to, now, e.crossSite)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a host cannot set a cookie for another site, and an insecure origin cannot set a Secure one', () => {
    const jar = new CookieJar();
    const from = { host: 'app.example.com', path: '/', secure: false };
    expect(jar.store({ name: 'a', value: '1', domain: 'other.org' }, from, 0)).toBe(false);
    expect(jar.store({ name: 'a', value: '1', domain: 'com' }, from, 0)).toBe(false);
    expect(jar.store({ name: 'a', value: '1', secure: true }, from, 0)).toBe(false);
    expect(jar.store({ name: 'a', value: '1', sameSite: 'None' }, from, 0)).toBe(false);
    expect(jar.store({ name: 'a', value: '1', domain: 'example.com' }, from, 0)).toBe(true);
    expect(jar.send({ host: 'www.example.com', path: '/x', secure: false }, 1, false)).toEqual({
      a: '1',
    });
  });
});

const KINDS = ['basic', 'jwt', 'password', 'session'] as const;
const SCHEME = { basic: 'basic', jwt: 'bearer', password: 'basic', session: 'session' } as const;

const headers: fc.Arbitrary<RequestHeaders> = fc.record(
  {
    authorization: fc.constantFrom('none', 'basic', 'bearer', 'session') as fc.Arbitrary<
      RequestHeaders['authorization'] & string
    >,
    credentialsValid: fc.boolean(),
    role: fc.constantFrom('user', 'admin'),
    cookies: fc.record({ sid: fc.constantFrom('1', '42', 'x') }),
  },
  { requiredKeys: [] },
);

describe('auth middleware', () => {
  it('never authorises a request without valid credentials of its route’s kind (and an allowed role)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.option(fc.constantFrom(['admin'], ['user', 'admin']), { nil: undefined }),
        fc.array(headers, { minLength: 1, maxLength: 8 }),
        (kind, roles, reqs) => {
          const st = testStack(9);
          st.add(kvStoreKind, 'redis', {});
          st.add(appServerKind, 'app', {
            sessions: { store: 'redis' },
            middleware: [
              { auth: { kind, cost: '1ms' } },
              ...(roles === undefined ? [] : [{ authorization: { cost: '0ms', roles } }]),
            ],
            routes: [{ method: 'GET', route: '/r' }],
          });
          const c = scripted(
            st,
            'c',
            'app',
            reqs.map((h, i) => ({ at: i * 1000, req: { route: '/r', headers: h } })),
          );
          st.sim.run({ until: 10_000_000 });
          reqs.forEach((h, i) => {
            const got = c.got.get(i)!;
            if (got.status !== 200) return;
            // No session was ever issued, so no cookie can authenticate.
            expect(kind).not.toBe('session');
            expect(h.authorization).toBe(SCHEME[kind]);
            expect(h.credentialsValid).not.toBe(false); // the mix always says; omitted = valid
            if (roles !== undefined) expect(roles).toContain(h.role);
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});
