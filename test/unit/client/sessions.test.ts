import { describe, expect, test } from 'vitest';
import { runScenario } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';

/** 20 browsers logging in once, then browsing with their session cookie (60 s). */
function scenario(edit: (s: any) => void = () => {}) {
  const raw: any = {
    version: 1,
    name: 'sessions-client',
    seed: 3,
    run: { duration: '60s', warmup: '0s', window: '1s' },
    components: {
      users: {
        type: 'client.closed',
        target: 'app',
        users: 20,
        thinkTime: '1s',
        login: { route: '/login', cookie: 'sid' },
        mix: [
          { name: 'me', route: '/me', headers: { authorization: 'session' } },
          { name: 'home', weight: 0.2, route: '/' },
        ],
      },
      app: {
        type: 'app-server',
        workers: 8,
        sessions: { store: 'redis', cookie: { name: 'sid' } },
        middleware: [
          { auth: { kind: 'password', cost: '100ms', routes: ['POST /login'] } },
          { auth: { kind: 'session', routes: ['/me'] } },
        ],
        routes: [
          { method: 'POST', route: '/login', status: 200, session: 'login' },
          { method: 'GET', route: '/me', steps: [{ cpu: '1ms' }] },
          { method: 'GET', route: '/' },
        ],
      },
      redis: { type: 'kv-store' },
    },
    links: [],
  };
  edit(raw);
  const v = validateScenario(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return runScenario(v.scenario).components;
}

describe('clients keep a cookie jar and log in for cookie sessions', () => {
  test('each user logs in once, then every session request carries the cookie and passes', () => {
    const c = scenario();
    expect(c.users!.counters.logins).toBe(20);
    expect(c.users!.counters.relogins ?? 0).toBe(0);
    expect(c.users!.byStatus['401'] ?? 0).toBe(0);
    expect(c.app!.counters.sessionsIssued).toBe(20);
    expect(c.users!.byStatus['200']).toBeGreaterThan(20 * 50);
  });

  test('a session-store restart loses every session: each user logs in again once, paying the bcrypt again', () => {
    const c = scenario((s) => {
      s.timeline = [{ action: 'crash', at: '30s', target: 'redis', for: '100ms' }];
    });
    expect(c.users!.counters.logins).toBe(40);
    expect(c.users!.counters.relogins).toBe(20);
    expect(c.app!.counters.sessionsIssued).toBe(40);
  });

  test('without a login config the class is sent as before (no cookies, no logins)', () => {
    const c = scenario((s) => {
      delete s.components.users.login;
    });
    expect(c.users!.counters.logins ?? 0).toBe(0);
    // The server now wants the cookie: the requests that carry only the "session" label fail.
    expect(c.users!.byStatus['401']).toBeGreaterThan(0);
  });

  test('a Secure session cookie is not stored over plain HTTP: every request logs in and is refused', () => {
    const c = scenario((s) => {
      s.components.users.connection = { tls: 'none' };
      s.run.duration = '5s';
    });
    // Each /me request: login, the request without a cookie (401), login again, 401 again.
    const refused = c.users!.byStatus['401']!;
    expect(refused).toBeGreaterThan(20);
    expect(c.users!.counters.relogins).toBeGreaterThanOrEqual(refused);
    expect(c.app!.counters.sessionsIssued).toBeGreaterThanOrEqual(2 * refused);
  });
});

describe('hashing on the session id (NGINX hash $cookie_sid, HAProxy balance hdr(cookie))', () => {
  /** 40 users behind a hash balancer over 4 replicas with per-user in-process data. */
  function hashed(hashOn: 'session' | 'ip') {
    return scenario((s) => {
      s.components.users.target = 'lb';
      s.components.users.users = 40;
      s.components.users.mix = [s.components.users.mix[0]];
      s.components.lb = {
        type: 'load-balancer',
        backends: 'app',
        algorithm: { name: 'hash', on: hashOn },
      };
      s.components.app.replicas = 4;
      s.components.app.routes[1].steps = [
        { localCache: true, by: 'user', onMiss: [{ io: '5ms' }] },
      ];
      s.timeline = [{ action: 'crash', at: '30s', target: 'redis', for: '100ms' }];
    });
  }

  test('a new session (after the store lost them) moves users to other replicas; the client address does not', () => {
    const bySession = hashed('session');
    const byIp = hashed('ip');
    expect(bySession.users!.counters.relogins).toBe(40);
    expect(byIp.users!.counters.relogins).toBe(40);
    // Each user misses once per replica it lands on: once with ip hashing, about 1 + 3/4 by session.
    expect(byIp.app!.counters.localMisses).toBe(40);
    expect(bySession.app!.counters.localMisses).toBeGreaterThan(60);
  });
});
