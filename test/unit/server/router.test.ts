import { describe, expect, test } from 'vitest';
import type { HttpRequest } from '../../../models/http/messages.ts';
import { appServerSchema } from '../../../models/server/app-schema.ts';
import {
  compileRoutes,
  filterMatches,
  matchRoute,
  type RouteInfo,
  RouteMemo,
  routeInfo,
} from '../../../models/server/router.ts';

const req = (method: string, route: string) => ({ method, route }) as unknown as HttpRequest;

describe('router memos', () => {
  const routes = compileRoutes(
    appServerSchema.parse({
      routes: [
        { method: 'GET', route: '/item/{key}', etag: 'v1' },
        { method: 'POST', route: '/item' },
      ],
    }).routes,
  );

  test('memoised decisions equal fresh ones, past the memo cap too', () => {
    const memo = new RouteMemo<RouteInfo>();
    for (let i = 0; i < 6000; i++) {
      for (const r of [req('GET', `/item/${i}`), req('POST', '/item'), req('PUT', `/other/${i}`)]) {
        const info = routeInfo(routes, r, memo);
        expect(info.match).toEqual(matchRoute(routes, r));
        const covered = r.method === 'GET' && r.route.startsWith('/item/');
        expect(filterMatches(info, 0, ['GET /item/{key}'], r)).toBe(covered);
        expect(filterMatches(info, 1, ['/other/{id}'], r)).toBe(r.route.startsWith('/other/'));
        // A second request with the same method and route reuses the verdicts.
        expect(filterMatches(routeInfo(routes, r, memo), 0, ['GET /item/{key}'], r)).toBe(covered);
      }
    }
  });

  test('a memo keeps at most 4096 routes per method, however many distinct paths arrive', () => {
    const memo = new RouteMemo<number>();
    for (let i = 0; i < 10_000; i++) memo.set('GET', `/item/${i}`, i);
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (memo.get('GET', `/item/${i}`) !== undefined) kept++;
    expect(kept).toBe(4096);
    expect(memo.get('GET', '/item/0')).toBe(0);
  });

  test('routes with an ETag or max-age share one frozen header object', () => {
    expect(routes[0]!.cacheHeaders).toEqual({ etag: 'v1' });
    expect(Object.isFrozen(routes[0]!.cacheHeaders)).toBe(true);
    expect(routes[1]!.cacheHeaders).toBeUndefined();
  });
});
