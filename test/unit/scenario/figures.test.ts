import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../../cli/summary.ts';
import { combineRuns } from '../../../experiments/replications.ts';
import type { RunResult } from '../../../models/scenario/build.ts';
import { addDerivedFigures } from '../../../models/scenario/figures.ts';
import type { Scenario } from '../../../models/scenario/format.ts';
import { recoveries } from '../../../models/scenario/recovery.ts';
import { type ComponentResult, layerHitRatios } from '../../../models/scenario/results.ts';

function component(type: string, extra: Partial<ComponentResult> = {}): ComponentResult {
  return {
    type,
    replicas: 1,
    arrivals: 10,
    completions: 10,
    byStatus: { '200': 10 },
    latency: { count: 10, mean: 0.01, p50: 0.01, p90: 0.01, p99: 0.01, p999: 0.01, max: 0.01 },
    throughput: 1,
    utilisation: 0,
    queue: { mean: 0, max: 0 },
    inSystem: { mean: 0, max: 0, atLeast: [] },
    counters: {},
    ratios: {},
    ...extra,
  };
}

const scenario = {
  name: 'auto',
  seed: 1,
  run: { duration: 10_000_000, warmup: 0, replications: 1, window: 1_000_000 },
  components: {
    lb: { type: 'load-balancer', backends: 'app' },
    app: { type: 'app-server', replicas: 12 },
  },
  timeline: [],
} as unknown as Scenario;

describe('utilisation of an autoscaled group', () => {
  it('divides by the active replicas (time-averaged), not by every pre-built one', () => {
    const components: Record<string, ComponentResult> = {
      lb: component('load-balancer', {
        extras: { autoscale: { activeMean: 6, activeMin: 3, activeMax: 8, steps: [[0, 3]] } },
      }),
      app: component('app-server', { replicas: 12, utilisation: 0.308 }),
    };
    addDerivedFigures(scenario, components, new Map());
    expect(components.app!.ratios.activeUtilisation).toBeCloseTo(0.616, 12);
    const run: RunResult = {
      scenario: 'auto',
      seed: 1,
      duration: 10,
      warmup: 0,
      completed: true,
      stoppedBy: 'until',
      events: 1,
      fingerprint: '0',
      components,
    };
    const text = summaryTable(combineRuns(scenario, [run]));
    expect(text).toMatch(/\napp +app-server .* 61\.6%\*/);
    expect(text).toContain('* app: utilisation over its active replicas (30.8% over all 12 built)');
  });
});

describe('per-layer hit ratios', () => {
  it('one ratio per <layer>Hits / <layer>Misses pair', () => {
    const ratios: Record<string, number> = {};
    layerHitRatios(
      { localHits: 3, localMisses: 1, bufferHits: 99, bufferMisses: 1, cacheHits: 0, hits: 5 },
      ratios,
    );
    expect(ratios).toEqual({ localHitRatio: 0.75, bufferHitRatio: 0.99 });
  });
});

describe('time to recover', () => {
  const w = (xs: number[]) => xs;
  // 10 windows of 1 s, warm-up 2 s, fault at 2 s after warm-up (t = 4 s) for 2 s (ends at 6 s)
  const series = (p99: number[], errors: number[]) => ({
    component: 'users',
    start: 0,
    window: 1,
    metrics: { latencyP99: w(p99), completions: w(p99.map(() => 100)), errors5xx: w(errors) },
  });
  const crash = [{ action: 'crash' as const, at: 2_000_000, target: 'db', for: 2_000_000 }];

  it('is the end of the first window back within the band after the fault ends', () => {
    const r = recoveries(
      series([9, 9, 0.1, 0.1, 5, 5, 0.3, 0.2, 0.12, 0.1], [0, 0, 0, 0, 50, 50, 0, 0, 0, 0]),
      crash,
      2_000_000,
    );
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({
      fault: 'crash db at 2s for 2s',
      faultEnd: 6,
      baselineP99: 0.1,
      baselineErrorRatio: 0,
      seconds: 3, // window [8, 9): p99 0.12 ≤ 1.25 × 0.1
      recovered: 1,
      resolution: 1,
    });
  });

  it('"did not recover" (null) when no window comes back; skipped while the fault is still on', () => {
    const stuck = series([0.1, 0.1, 0.1, 0.1, 5, 5, 5, 5, 5, 5], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(recoveries(stuck, crash, 2_000_000)[0]).toMatchObject({ seconds: null, recovered: 0 });
    const forever = [{ action: 'crash' as const, at: 2_000_000, target: 'db', for: 60_000_000 }];
    expect(recoveries(stuck, forever, 2_000_000)).toEqual([]);
  });
});
