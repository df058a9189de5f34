import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../unit/wiring/scenario-run.ts';

describe('scenarios/cache-layers.json (shortened to 20 s + 20 s warm-up)', () => {
  const out = runScenarioFile('cache-layers', (raw) => {
    raw.run.duration = '20s';
    raw.run.warmup = '20s';
  });
  const c = out.components;
  const count = (id: string, name: string) => c[id]!.counters[name] ?? 0;

  it('every layer has hits: browser, CDN edge, in-process, Redis', () => {
    expect(count('usersEu', 'hits')).toBeGreaterThan(0);
    expect(count('usersUs', 'hits')).toBeGreaterThan(0);
    expect(count('edge', 'hits')).toBeGreaterThan(0);
    expect(count('app', 'localHits')).toBeGreaterThan(0);
    expect(count('app', 'cacheHits')).toBeGreaterThan(0);
    expect(count('redis', 'hits')).toBeGreaterThan(0);
    for (const id of ['usersEu', 'usersUs'])
      expect(c[id]!.byStatus).toEqual({ '200': c[id]!.completions });
  });

  it('each layer removes load: cumulative hit ratio grows from browser to CDN to database', () => {
    const offered = count('usersEu', 'offered') + count('usersUs', 'offered');
    const browserHits = count('usersEu', 'hits') + count('usersUs', 'hits');
    const browser = browserHits / offered;
    const throughCdn = 1 - count('edge', 'upstream') / offered;
    const throughAll = 1 - c.db!.arrivals / offered;
    expect(browser).toBeGreaterThan(0.05);
    expect(browser).toBeLessThan(throughCdn);
    expect(throughCdn).toBeLessThan(throughAll);
    // The edges see what the browsers did not answer.
    expect(c.edge!.arrivals).toBeCloseTo(offered - browserHits, -2);
  });

  it('the latency breakdown shows the layers the request crossed', () => {
    const b = c.usersEu!.breakdown!;
    for (const phase of ['network', 'service', 'cache', 'database']) {
      expect(b[phase]?.mean ?? 0).toBeGreaterThan(0);
    }
    // Farther region, longer network time.
    expect(c.usersUs!.breakdown!.network!.mean).toBeGreaterThan(b.network!.mean);
  });

  it('every cache layer has its own hit ratio in the results', () => {
    const r = (id: string, name: string) => c[id]!.ratios[name];
    expect(r('app', 'localHitRatio')).toBeCloseTo(
      count('app', 'localHits') / (count('app', 'localHits') + count('app', 'localMisses')),
      12,
    );
    expect(r('app', 'cacheHitRatio')).toBeGreaterThan(0);
    expect(r('db', 'bufferHitRatio')).toBeGreaterThan(0.5);
    expect(r('db', 'bufferHitRatio')).toBeLessThanOrEqual(1);
  });
});
