import { describe, expect, test } from 'vitest';
import { kvStoreKind } from '../../../models/cache/kv-store.ts';
import type { HttpRequest } from '../../../models/http/messages.ts';
import { appServerKind } from '../../../models/server/app-server.ts';
import {
  type Scripted,
  type ScriptState,
  scripted,
  testStack,
} from '../../helpers/poisson-source.ts';

const ms = (n: number) => n * 1000;
const s = (n: number) => n * 1_000_000;

const login = { method: 'POST', route: '/login' } as const;
const creds = { authorization: 'basic', credentialsValid: true } as const;

/** A request that returns the session cookie response `i` set. */
function withCookieOf(i: number, extra: Partial<HttpRequest> = {}) {
  return (got: ScriptState['got']): Partial<HttpRequest> => {
    const c = got.get(i)?.headers.setCookie?.[0];
    return {
      route: '/me',
      ...extra,
      headers: c === undefined ? {} : { cookies: { sid: c.value } },
    };
  };
}

function stack(
  sessions: Record<string, unknown>,
  script: Scripted[],
  faults: [string, number][] = [],
) {
  const st = testStack(21);
  st.add(kvStoreKind, 'redis', { latency: '1ms' });
  st.add(appServerKind, 'app', {
    workers: 8,
    sessions: { store: 'redis', ...sessions },
    middleware: [
      { auth: { kind: 'password', cost: '100ms', routes: ['POST /login'] } },
      { auth: { kind: 'session', cost: '0ms', routes: ['/me', '/logout'] } },
    ],
    routes: [
      { method: 'POST', route: '/login', status: 200, session: 'login' },
      { method: 'POST', route: '/logout', status: 200, session: 'logout' },
      { method: 'GET', route: '/me', steps: [{ cpu: '1ms' }] },
    ],
  });
  const c = scripted(st, 'c', 'app', script);
  const redis = st.sim.find('redis')!;
  for (const [type, at] of faults) st.sim.schedule(redis, { type }, at);
  st.sim.run({ until: s(100_000) });
  return { c, probe: st.probes.get('app')! };
}

describe('server-side sessions', () => {
  test('a login sets the session cookie; the cookie authenticates; logout ends the session', () => {
    const { c } = stack({ cookie: { name: 'sid', sameSite: 'Strict' } }, [
      { at: 0, req: { ...login, headers: creds } },
      { at: s(1), build: withCookieOf(0) },
      { at: s(2), req: { route: '/me' } },
      { at: s(3), build: withCookieOf(0, { method: 'POST', route: '/logout' }) },
      { at: s(4), build: withCookieOf(0) },
      { at: s(5), req: { route: '/me', headers: { cookies: { sid: '12345' } } } },
    ]);
    const set = c.got.get(0)!.headers.setCookie![0]!;
    expect(c.got.get(0)!.status).toBe(200);
    expect(set).toMatchObject({
      name: 'sid',
      maxAge: 8 * 3600,
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
    });
    expect(c.got.get(1)!.status).toBe(200);
    expect(c.got.get(2)).toMatchObject({ status: 401, reason: 'auth-session-missing' });
    expect(c.got.get(3)!.headers.setCookie![0]).toMatchObject({ name: 'sid', maxAge: 0 });
    expect(c.got.get(4)).toMatchObject({ status: 401, reason: 'session-missing' });
    expect(c.got.get(5)).toMatchObject({ status: 401, reason: 'session-missing' });
  });

  test('a failed login issues no session', () => {
    const { c } = stack({}, [
      { at: 0, req: { ...login, headers: { authorization: 'basic', credentialsValid: false } } },
    ]);
    expect(c.got.get(0)!.status).toBe(401);
    expect(c.got.get(0)!.headers.setCookie).toBeUndefined();
  });

  test('idle timeout: use keeps the session alive; a long pause ends it; absolute timeout ends it anyway', () => {
    const { c } = stack({ idleTimeout: '10s', absoluteTimeout: '25s' }, [
      { at: 0, req: { ...login, headers: creds } },
      { at: s(8), build: withCookieOf(0) }, // idle 8 s < 10 s
      { at: s(16), build: withCookieOf(0) }, // 8 s since last use: alive because use refreshed it
      { at: s(24), build: withCookieOf(0) }, // alive, 24 s < 25 s absolute
      { at: s(30), build: withCookieOf(0) }, // past the absolute timeout
      { at: s(31), req: { ...login, headers: creds } },
      { at: s(45), build: withCookieOf(5) }, // 14 s idle > 10 s
    ]);
    expect([1, 2, 3, 4, 6].map((i) => c.got.get(i)!.status)).toEqual([200, 200, 200, 401, 401]);
  });

  test('store outage: fail-closed answers failStatus, fail-open lets the request through; a restart loses every session', () => {
    const script: Scripted[] = [
      { at: 0, req: { ...login, headers: creds } },
      { at: s(2), build: withCookieOf(0) }, // store down
      { at: s(4), build: withCookieOf(0) }, // store back, empty
    ];
    const faults: [string, number][] = [
      ['fault.crash', s(1)],
      ['fault.restart', s(3)],
    ];
    const closed = stack({}, script, faults).c;
    expect([1, 2].map((i) => closed.got.get(i)!.status)).toEqual([503, 401]);
    expect(closed.got.get(1)!.reason).toBe('session-store-error');
    const open = stack({ onStoreFailure: 'fail-open' }, script, faults).c;
    expect([1, 2].map((i) => open.got.get(i)!.status)).toEqual([200, 401]);
  });

  test('a login route without the app sessions config is a validation issue', () => {
    const r = appServerKind.schema.safeParse({
      routes: [{ method: 'POST', route: '/login', session: 'login' }],
    });
    expect(r.success).toBe(false);
  });
});

// Keeps the timing claim honest: the login pays its bcrypt cost and the store call.
test('a login takes the password hash plus one store write', () => {
  const { c } = stack({}, [{ at: 0, req: { ...login, headers: creds } }]);
  expect(c.got.get(0)!.at).toBeGreaterThanOrEqual(ms(101));
});
