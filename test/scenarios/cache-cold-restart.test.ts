import { describe, expect, it } from 'vitest';
import { runScenarioFile, sumRange } from '../unit/wiring/scenario-run.ts';

describe('scenarios/cache-cold-restart.json (shortened: 30 s warm-up, crash 30 s in, 60 s run)', () => {
  const out = runScenarioFile('cache-cold-restart', (raw) => {
    raw.run.warmup = '30s';
    raw.run.duration = '60s';
    raw.timeline[0].at = '30s';
  });
  // Windows are 1 s from the start of the run (warm-up included): the crash is at window 60.
  const db = out.series('db', 'completions');
  const hits = out.series('app', 'counter.cacheHits');
  const misses = out.series('app', 'counter.cacheMisses');
  const latency = out.series('users', 'latencyMean');
  const ratio = (a: number, b: number) => {
    const h = sumRange(hits, a, b);
    return h / (h + sumRange(misses, a, b));
  };

  it('database load in the 30 s after the restart exceeds the 30 s before', () => {
    expect(sumRange(db, 60, 90)).toBeGreaterThan(1.2 * sumRange(db, 30, 60));
  });

  it('the hit ratio drops to ~0 and climbs back; latency rises while the database is saturated', () => {
    expect(ratio(30, 60)).toBeGreaterThan(0.3);
    expect(ratio(60, 62)).toBeLessThan(0.1);
    expect(ratio(80, 90)).toBeGreaterThan(ratio(62, 66));
    expect(Math.max(...latency.slice(60, 90))).toBeGreaterThan(
      5 * Math.max(...latency.slice(30, 60)),
    );
    expect(out.components.redis!.counters.crashes).toBe(1);
  });

  it('reports the users’ time to recover from the restart, within the run and after the crash', () => {
    const rec = out.components.users!.recovery!;
    expect(rec).toHaveLength(1);
    expect(rec[0]!.fault).toBe('crash redis at 30s for 2s');
    expect(rec[0]!.faultEnd).toBe(62);
    expect(rec[0]!.seconds).not.toBeNull();
    expect(rec[0]!.seconds!).toBeGreaterThan(2);
    expect(rec[0]!.seconds!).toBeLessThan(28);
    // the recovered window is within the band: p99 ≤ 1.25 × the pre-fault median p99
    const p99 = out.series('users', 'latencyP99');
    const w = 62 + rec[0]!.seconds! - 1;
    const errors = out.series('users', 'errors5xx');
    const done = out.series('users', 'completions');
    const inBand = (i: number) =>
      done[i]! > 0 && p99[i]! <= rec[0]!.bandP99 && errors[i]! / done[i]! <= rec[0]!.bandErrorRatio;
    expect(inBand(w)).toBe(true);
    for (let i = 62; i < w; i++) expect(inBand(i)).toBe(false);
  });
});
