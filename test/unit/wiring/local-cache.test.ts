import { describe, expect, it } from 'vitest';
import { databaseKind } from '../../../models/db/database.ts';
import { appServerKind } from '../../../models/server/app-server.ts';
import { type Scripted, scripted, testStack } from '../../helpers/poisson-source.ts';

const ms = (n: number) => n * 1000;
const get = (at: number, key: number): Scripted => ({
  at: ms(at),
  req: { route: '/item/{key}', key },
});

function run(script: Scripted[], crashAt?: number, restartAt?: number, replicas = 1) {
  const st = testStack(2);
  st.add(
    appServerKind,
    'app',
    {
      workers: 4,
      localCache: { capacity: 2, policy: 'lru', ttl: '1s' },
      routes: [
        {
          method: 'GET',
          route: '/item/{key}',
          steps: [{ localCache: true, onMiss: [{ call: 'db', op: 'query', queryClass: 'point' }] }],
        },
      ],
    },
    replicas,
  );
  st.add(databaseKind, 'db', {});
  const c = scripted(st, 'c', replicas === 1 ? 'app' : 'app[0]', script);
  if (crashAt !== undefined)
    st.sim.schedule(st.sim.find('app')!, { type: 'fault.crash' }, ms(crashAt));
  if (restartAt !== undefined) {
    st.sim.schedule(st.sim.find('app')!, { type: 'fault.restart' }, ms(restartAt));
  }
  st.sim.run({ until: ms(10_000) });
  const app = st.probes.get(replicas === 1 ? 'app' : 'app[0]')!;
  const n = (name: string) => app.counters.get(name) ?? 0;
  return { c, n, db: st.probes.get('db')! };
}

describe('in-process cache step in the app server', () => {
  it('hits skip onMiss; misses run it and store; TTL and capacity bound the entries', () => {
    const r = run([
      get(0, 1), // miss
      get(10, 1), // hit
      get(20, 2), // miss
      get(30, 3), // miss, evicts key 1 (capacity 2, LRU)
      get(40, 1), // miss again
      get(50, 3), // hit
      get(1200, 3), // expired (ttl 1 s from t=30 ms) → miss
    ]);
    expect(r.n('localHits')).toBe(2);
    expect(r.n('localMisses')).toBe(5);
    expect(r.db.arrivals).toBe(5);
    expect([...r.c.got.values()].every((g) => g.status === 200)).toBe(true);
  });

  it('a crash drops the cache: the restarted replica starts cold', () => {
    const r = run([get(0, 1), get(10, 1), get(300, 1), get(310, 1)], 100, 200);
    expect(r.n('localHits')).toBe(2); // t=10 and t=310
    expect(r.n('localMisses')).toBe(2); // t=0 and t=300 (cold after the restart)
    expect(r.n('localCacheLost')).toBe(1);
    expect(r.db.arrivals).toBe(2);
  });

  it('without a crash the same script hits after the first miss', () => {
    const r = run([get(0, 1), get(10, 1), get(300, 1), get(310, 1)]);
    expect(r.n('localHits')).toBe(3);
    expect(r.db.arrivals).toBe(1);
  });
});
