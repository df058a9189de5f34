import { describe, expect, test } from 'vitest';
import type { RequestHeaders } from '../../../models/http/messages.ts';
import { appServerKind } from '../../../models/server/app-server.ts';
import { scripted, testStack } from '../../helpers/poisson-source.ts';

const ms = (n: number) => n * 1000;

function run(config: unknown, heads: readonly RequestHeaders[], route = '/r') {
  const st = testStack(11);
  st.add(appServerKind, 'app', config);
  const c = scripted(
    st,
    'c',
    'app',
    heads.map((headers, i) => ({ at: ms(1000 * i), req: { route, headers } })),
  );
  st.sim.run({ until: ms(100_000) });
  return heads.map((_h, i) => c.got.get(i)!);
}

const routes = [{ method: 'GET', route: '/r' }];

describe('auth middleware checks the credentials a request carries', () => {
  test('jwt: no token ⇒ 401 with a Bearer challenge and no verify CPU; wrong scheme ⇒ 401; bad token ⇒ 401 after the verify', () => {
    const [none, basic, bad, good] = run(
      { middleware: [{ auth: { kind: 'jwt', cost: '2ms', realm: 'shop' } }], routes },
      [
        {},
        { authorization: 'basic', credentialsValid: true },
        { authorization: 'bearer', credentialsValid: false },
        { authorization: 'bearer', credentialsValid: true },
      ],
    );
    expect(none).toMatchObject({ status: 401, at: 0, reason: 'auth-jwt-missing' });
    expect(none!.headers.wwwAuthenticate).toBe('Bearer realm="shop"');
    expect(basic).toMatchObject({ status: 401, at: ms(1000) });
    expect(bad).toMatchObject({ status: 401, at: ms(2000 + 2), reason: 'auth-jwt' });
    expect(bad!.headers.wwwAuthenticate).toBe('Bearer realm="shop", error="invalid_token"');
    expect(good).toMatchObject({ status: 200, at: ms(3000 + 2) });
  });

  test('basic pays the bcrypt cost on every request, valid or not; its challenge is Basic', () => {
    const [none, bad, good, again] = run({ middleware: [{ auth: { kind: 'basic' } }], routes }, [
      {},
      { authorization: 'basic', credentialsValid: false },
      { authorization: 'basic', credentialsValid: true },
      { authorization: 'basic', credentialsValid: true },
    ]);
    expect(none).toMatchObject({ status: 401, at: 0 });
    expect(none!.headers.wwwAuthenticate).toBe('Basic realm="app"');
    expect(bad).toMatchObject({ status: 401, at: ms(1000 + 250) });
    expect(good).toMatchObject({ status: 200, at: ms(2000 + 250) });
    expect(again).toMatchObject({ status: 200, at: ms(3000 + 250) });
  });

  test('authorization roles: valid credentials without an allowed role ⇒ 403; with one ⇒ 200', () => {
    const [noRole, user, admin, anon] = run(
      {
        middleware: [
          { auth: { kind: 'jwt', cost: '1ms' } },
          { authorization: { cost: '0ms', roles: ['admin'] } },
        ],
        routes,
      },
      [
        { authorization: 'bearer', credentialsValid: true },
        { authorization: 'bearer', credentialsValid: true, role: 'user' },
        { authorization: 'bearer', credentialsValid: true, role: 'admin' },
        {},
      ],
    );
    expect(noRole!.status).toBe(403);
    expect(user).toMatchObject({ status: 403, reason: 'forbidden-role' });
    expect(admin!.status).toBe(200);
    expect(anon!.status).toBe(401);
  });

  test('session auth without a session cookie ⇒ 401 before the lookup', () => {
    const [none, carried] = run({ middleware: [{ auth: { kind: 'session' } }], routes }, [
      {},
      { authorization: 'session', credentialsValid: true },
    ]);
    expect(none).toMatchObject({ status: 401, reason: 'auth-session-missing' });
    expect(carried!.status).toBe(200);
  });
});
