import { describe, expect, test } from 'vitest';
import { appServerKind } from '../../../models/server/app-server.ts';
import { proxyKind } from '../../../models/server/proxy.ts';
import { scripted, testStack } from '../../helpers/poisson-source.ts';

const ms = (n: number) => n * 1000;
const app = {
  routes: [
    { method: 'GET', route: '/', steps: [{ cpu: '10ms' }] },
    { method: 'GET', route: '/slow', steps: [{ cpu: '5s' }] },
  ],
};

describe('proxy', () => {
  test('502 when the upstream refuses or resets, 504 when it is too slow, static served directly', () => {
    const st = testStack(1);
    st.add(appServerKind, 'app', app, 2);
    st.add(proxyKind, 'web', {
      upstream: 'app',
      readTimeout: '1s',
      overhead: '0ms',
      static: [{ prefix: '/static/', service: '2ms' }],
    });
    st.sim.schedule(st.sim.find('app[1]')!, { type: 'fault.crash' }, 0);
    const c = scripted(st, 'c', 'web', [
      { at: 10 },
      { at: 20 },
      { at: 30, req: { route: '/slow' } },
      { at: 40, req: { route: '/static/app.js' } },
    ]);
    st.sim.run({ until: ms(10_000) });
    expect([0, 1, 2, 3].map((i) => c.got.get(i)?.status)).toEqual([200, 502, 504, 200]);
    expect(c.got.get(2)?.at).toBe(ms(1000) + 30);
    expect(st.probes.get('web')!.counters.get('static')).toBe(1);
  });

  test('TLS handshake only on new connections; keep-alive reuses', () => {
    const st = testStack(2);
    st.add(appServerKind, 'app', app);
    st.add(proxyKind, 'web', { upstream: 'app', tls: {}, keepaliveTimeout: '1s' });
    scripted(st, 'c', 'web', [
      { at: 0, req: { clientIp: 1 } },
      { at: ms(100), req: { clientIp: 1 } },
      { at: ms(3000), req: { clientIp: 1 } },
      { at: ms(3000), req: { clientIp: 2 } },
    ]);
    st.sim.run({ until: ms(10_000) });
    expect(st.probes.get('web')!.counters.get('tlsHandshakes')).toBe(3);
  });

  test('max connections answers 503', () => {
    const st = testStack(3);
    st.add(appServerKind, 'app', app);
    st.add(proxyKind, 'web', { upstream: 'app', maxConnections: 1 });
    const c = scripted(st, 'c', 'web', [{ at: 0 }, { at: 1 }]);
    st.sim.run({ until: ms(1000) });
    expect([c.got.get(0)?.status, c.got.get(1)?.status]).toEqual([200, 503]);
  });

  // The proxy's CPU is a fixed delay without `cores`, processor sharing with them: both paths.
  const cpuStack = (seed: number, cores: number | undefined, proxy: Record<string, unknown>) => {
    const st = testStack(seed);
    st.add(appServerKind, 'app', app);
    st.add(proxyKind, 'web', {
      upstream: 'app',
      ...proxy,
      ...(cores === undefined ? {} : { cores }),
    });
    return st;
  };

  test('the read timeout counts from the moment the request leaves, after the proxy CPU', () => {
    for (const cores of [undefined, 2]) {
      const st = cpuStack(4, cores, { readTimeout: '1s', overhead: '3ms' });
      const c = scripted(st, 'c', 'web', [{ at: 30, req: { route: '/slow' } }]);
      st.sim.run({ until: ms(10_000) });
      expect(c.got.get(0)?.status).toBe(504);
      expect(c.got.get(0)?.at).toBe(30 + ms(3) + ms(1000));
    }
  });

  test('a crash while a request is still in the proxy CPU: 502, and the upstream never sees it', () => {
    for (const cores of [undefined, 2]) {
      const st = cpuStack(5, cores, { overhead: '5ms' });
      st.sim.schedule(st.sim.find('web')!, { type: 'fault.crash' }, ms(2));
      const c = scripted(st, 'c', 'web', [{ at: 0 }]);
      st.sim.run({ until: ms(1000) });
      expect(c.got.get(0)?.status).toBe(502);
      expect(st.probes.get('app')!.arrivals).toBe(0);
    }
  });
});
