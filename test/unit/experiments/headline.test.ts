import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultsJson } from '../../../cli/commands/run.ts';
import { headlineLines, summaryTable } from '../../../cli/summary.ts';
import { resolveHeadline, selectMetric, unitOf } from '../../../experiments/headline.ts';
import { runReplications } from '../../../experiments/replications.ts';
import type { RunResult } from '../../../models/scenario/build.ts';
import { loadScenarioText, validateScenario } from '../../../models/scenario/load.ts';
import { TEST_KINDS } from '../../helpers/test-kinds.ts';

const SCENARIOS = new URL('../../../scenarios/', import.meta.url);
const GOLDEN = new URL('../../golden/', import.meta.url);

/** A minimal replication result holding one component with the given fields. */
function run(component: Record<string, unknown>): RunResult {
  return {
    scenario: 's',
    seed: 1,
    duration: 10,
    warmup: 0,
    completed: true,
    stoppedBy: 'until',
    events: 1,
    fingerprint: '0',
    components: { c: component as never },
  };
}

describe('report.headline in the scenario format', () => {
  const base = {
    version: 1,
    name: 'h',
    run: { duration: '1s' },
    components: {
      users: { type: 'test-source', rate: '1/s', target: 'app' },
      app: { type: 'test-server', service: '1ms' },
    },
  };

  it('names a component of the scenario; an unknown one is an issue with its JSON pointer', () => {
    const bad = validateScenario(
      {
        ...base,
        report: { headline: [{ label: 'p99', component: 'nobody', metric: 'latency.p99' }] },
      },
      TEST_KINDS,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.pointer)).toContain('/report/headline/0/component');
    const unit = validateScenario(
      {
        ...base,
        report: {
          headline: [{ label: 'x', component: 'users', metric: 'latency.p99', unit: 'parsec' }],
        },
      },
      TEST_KINDS,
    );
    expect(unit.ok).toBe(false);
    const good = validateScenario(
      {
        ...base,
        report: { headline: [{ label: 'x', component: 'users', metric: 'latency.p99' }] },
      },
      TEST_KINDS,
    );
    expect(good.ok).toBe(true);
  });

  it('every bundled scenario names its headline figures, and each resolves in its golden run', () => {
    const names = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));
    expect(names.length).toBeGreaterThan(10);
    for (const f of names) {
      const loaded = loadScenarioText(readFileSync(new URL(f, SCENARIOS), 'utf8'));
      expect(loaded.ok, f).toBe(true);
      if (!loaded.ok) continue;
      const headline = loaded.scenario.report?.headline ?? [];
      expect(headline.length, f).toBeGreaterThan(0);
      const golden = JSON.parse(
        readFileSync(new URL(f.replace('.json', '.golden.json'), GOLDEN), 'utf8'),
      ) as { headline: string[] };
      expect(golden.headline, f).toHaveLength(headline.length);
    }
  });
});

describe('resolving headline figures', () => {
  it('means with an interval over replications, in the unit of the metric', () => {
    const runs = [0.1, 0.12, 0.11].map((p99) => run({ latency: { p99 } }));
    const h = resolveHeadline({ label: 'p99', component: 'c', metric: 'latency.p99' }, runs);
    expect(h.unit).toBe('s');
    expect(h.value).toBeCloseTo(0.11, 12);
    expect(h.lower!).toBeLessThan(0.11);
    expect(h.upper!).toBeGreaterThan(0.11);
    expect(h.text).toMatch(/^110 ms \(95% CI [\d.]+ ms to [\d.]+ ms, 3 runs\)$/);
  });

  it('a share in %, a factor with ×, a count grouped; status and counters read 0 when absent', () => {
    expect(unitOf('ratios.hitRatio')).toBe('%');
    expect(unitOf('ratios.amplification')).toBe('x');
    expect(unitOf('ratios.fetchesPerExpiry')).toBe('');
    const one = [run({ ratios: { amplification: 3.21 }, byStatus: {}, counters: {} })];
    expect(
      resolveHeadline({ label: 'a', component: 'c', metric: 'ratios.amplification' }, one).text,
    ).toBe('3.21×');
    expect(resolveHeadline({ label: 'a', component: 'c', metric: 'status.429' }, one).text).toBe(
      '0',
    );
    expect(selectMetric({ counters: { n: 12345 } }, 'counters.n')).toBe(12345);
    const big = [run({ counters: { n: 12345 } })];
    expect(resolveHeadline({ label: 'n', component: 'c', metric: 'counters.n' }, big).text).toBe(
      '12 345',
    );
  });

  it('a time to recover that never came reads "did not recover"', () => {
    const runs = [run({ recovery: [{ seconds: null, recovered: 0 }] })];
    const h = resolveHeadline({ label: 'r', component: 'c', metric: 'recovery.0.seconds' }, runs);
    expect(h.value).toBeNull();
    expect(h.text).toBe('did not recover');
  });

  it('steps read as a sequence, a per-client record as its range', () => {
    const steps = [
      run({
        extras: {
          a: {
            steps: [
              [0, 3],
              [100, 5],
              [140, 8],
            ],
          },
        },
      }),
    ];
    const s = resolveHeadline(
      { label: 'r', component: 'c', metric: 'extras.a.steps', unit: 'replicas' },
      steps,
    );
    expect(s.text).toBe('3 replicas → 5 replicas at 100 s → 8 replicas at 140 s');
    const per = [run({ extras: { sw: { 'u[0]': 60.2, 'u[1]': 120.5, 'u[2]': null } } })];
    const p = resolveHeadline({ label: 's', component: 'c', metric: 'extras.sw', unit: 's' }, per);
    expect(p.perMember).toEqual({ 'u[0]': 60.2, 'u[1]': 120.5, 'u[2]': null });
    expect(p.text).toBe('60.2 s to 121 s over 2 (mean 90.3 s); 1 never');
  });
});

describe('run prints the headline first', () => {
  it('before the table, label then value', () => {
    const r = validateScenario(
      {
        version: 1,
        name: 'h',
        run: { duration: '1s' },
        components: {
          c: { type: 'test-source', rate: '1/s', target: 'app' },
          app: { type: 'test-server', service: '1ms' },
        },
        report: {
          headline: [{ label: 'app throughput', component: 'app', metric: 'throughput' }],
        },
      },
      TEST_KINDS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const results = runReplications(r.scenario, { kinds: TEST_KINDS });
    expect(headlineLines(results)).toMatch(
      /^h: what it shows\n {2}app throughput: {2}[\d.]+\/s\n\n$/,
    );
    // --json and results.json carry them
    const json = JSON.parse(resultsJson(results, 0)) as {
      headline: { label: string; text: string }[];
    };
    expect(json.headline.map((x) => x.label)).toEqual(['app throughput']);
    expect(json.headline[0]!.text).toMatch(/\/s$/);
    const table = summaryTable(results);
    expect(table.startsWith(headlineLines(results))).toBe(true);
    expect(table.indexOf('app throughput')).toBeLessThan(table.indexOf('component'));
  });
});
