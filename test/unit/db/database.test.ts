import { describe, expect, test } from 'vitest';
import { databaseKind } from '../../../models/db/database.ts';
import { appServerKind } from '../../../models/server/app-server.ts';
import { scripted, testStack } from '../../helpers/poisson-source.ts';

const ms = (n: number) => n * 1000;

describe('database', () => {
  test('max_connections refuses (no queue) and the app maps the refusal to 500', () => {
    const st = testStack(1);
    st.add(databaseKind, 'db', {
      maxConnections: 1,
      queryClasses: { q: { cpu: '10ms', pages: 0 } },
    });
    st.add(appServerKind, 'app', {
      workers: 2,
      routes: [{ method: 'GET', route: '/', steps: [{ call: 'db', queryClass: 'q' }] }],
    });
    const c = scripted(st, 'c', 'app', [{ at: 0 }, { at: 1 }]);
    st.sim.run({ until: ms(100) });
    expect([c.got.get(0)?.status, c.got.get(1)?.reason]).toEqual([200, 'store-refused']);
    expect(st.probes.get('db')!.counters.get('tooManyConnections')).toBe(1);
  });

  test('offset pagination cost grows with the offset; cursor pagination does not', () => {
    const st = testStack(2);
    st.add(databaseKind, 'db', { bufferHitRatio: 1 });
    st.add(appServerKind, 'app', {
      workers: 8,
      routes: [
        { method: 'GET', route: '/off', steps: [{ call: 'db', queryClass: 'page-offset' }] },
        { method: 'GET', route: '/cur', steps: [{ call: 'db', queryClass: 'page-cursor' }] },
      ],
    });
    const c = scripted(st, 'c', 'app', [
      { at: 0, req: { route: '/off', key: 0 } },
      { at: 0, req: { route: '/off', key: 1_000_000 } },
      { at: 0, req: { route: '/cur', key: 0 } },
      { at: 0, req: { route: '/cur', key: 1_000_000 } },
    ]);
    st.sim.run({ until: ms(5000) });
    const t = (i: number) => c.got.get(i)!.at;
    expect(t(1) - t(0)).toBeGreaterThan(ms(250));
    expect(Math.abs(t(3) - t(2))).toBeLessThan(ms(1));
  });

  test('replica: a read by the writer within the lag is a read-your-writes violation; writes are refused', () => {
    const st = testStack(3);
    st.add(databaseKind, 'primary', {});
    st.add(databaseKind, 'replica', { primary: 'primary', lag: '50ms' });
    st.add(appServerKind, 'app', {
      workers: 4,
      routes: [
        { method: 'POST', route: '/w', steps: [{ call: 'primary', queryClass: 'write' }] },
        { method: 'GET', route: '/r', steps: [{ call: 'replica', queryClass: 'point' }] },
        { method: 'PUT', route: '/w', steps: [{ call: 'replica', queryClass: 'write' }] },
      ],
    });
    const c = scripted(st, 'c', 'app', [
      { at: 0, req: { method: 'POST', route: '/w', user: 42 } },
      { at: ms(10), req: { route: '/r', user: 42 } },
      { at: ms(10), req: { route: '/r', user: 7 } },
      { at: ms(200), req: { route: '/r', user: 42 } },
      { at: ms(200), req: { method: 'PUT', route: '/w', user: 42 } },
    ]);
    st.sim.run({ until: ms(1000) });
    const replica = st.probes.get('replica')!;
    expect(replica.counters.get('rywViolations')).toBe(1);
    expect(replica.counters.get('readOnlyReplica')).toBe(1);
    expect(c.got.get(4)?.status).toBe(500);
  });

  test('buffer misses add page reads: hit ratio 0 is slower than 1', () => {
    const times = [0, 1].map((ratio) => {
      const st = testStack(4);
      st.add(databaseKind, 'db', {
        bufferHitRatio: ratio,
        pageRead: '1ms',
        queryClasses: { q: { cpu: '1ms', pages: 4 } },
      });
      st.add(appServerKind, 'app', {
        routes: [{ method: 'GET', route: '/', steps: [{ call: 'db', queryClass: 'q' }] }],
      });
      const c = scripted(st, 'c', 'app', [{ at: 0 }]);
      st.sim.run({ until: ms(100) });
      return c.got.get(0)!.at;
    });
    expect(times).toEqual([ms(5), ms(1)]);
  });
});
