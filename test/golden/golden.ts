// Golden runs: every scenario in scenarios/ run once (replication 0, shortened where needed)
// through the real loader and runner, summarised small enough to read in a diff.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveHeadlines } from '../../experiments/headline.ts';
import { runScenario } from '../../models/scenario/build.ts';
import { loadScenarioText } from '../../models/scenario/load.ts';
import type { Override } from '../../models/scenario/overrides.ts';
import type { ComponentResult } from '../../models/scenario/results.ts';

/** Where the scenarios and the golden files live (relative to the repository root). */
export const SCENARIO_DIR = 'scenarios';
/** Directory of the `<name>.golden.json` files. */
export const GOLDEN_DIR = join('test', 'golden');

/** Measured time used when a scenario's own duration is longer (keeps the golden test fast). */
const DEFAULT_DURATION = '5s';
/** µs of DEFAULT_DURATION, to decide whether the override is needed. */
const DEFAULT_DURATION_US = 5_000_000;

/** Warm-up used when a scenario's own warm-up is longer. */
const DEFAULT_WARMUP = '2s';
/** µs of DEFAULT_WARMUP. */
const DEFAULT_WARMUP_US = 2_000_000;

/**
 * Scenarios with their own settings: a longer run where the timeline needs it (crash, load
 * step, scale-up), a shorter one where many events per simulated second make 5 s slow.
 */
const SPECIAL: Readonly<Record<string, readonly Override[]>> = {
  'lb-failover': [{ path: 'run.duration', value: '65s' }],
  autoscale: [{ path: 'run.duration', value: '120s' }],
  'cache-policies': [
    { path: 'run.duration', value: '3s' },
    { path: 'run.warmup', value: '1s' },
  ],
  overload: [
    { path: 'run.duration', value: '3s' },
    { path: 'run.warmup', value: '1s' },
  ],
  'retry-collapse': [{ path: 'run.duration', value: '80s' }],
  'circuit-breaker': [{ path: 'run.duration', value: '40s' }],
  'metastable-throttle': [{ path: 'run.duration', value: '110s' }],
  'adaptive-concurrency': [{ path: 'run.duration', value: '30s' }],
};

/** One component in a golden file. */
export interface GoldenComponent {
  readonly arrivals: number;
  readonly completions: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly p50: number;
  readonly p99: number;
  readonly counters: Readonly<Record<string, number>>;
}

/** The content of `test/golden/<name>.golden.json`. */
export interface Golden {
  readonly scenario: string;
  /** The `--set` overrides applied before the run (explicit, so the run can be repeated). */
  readonly overrides: readonly Override[];
  readonly seed: number;
  readonly events: number;
  readonly stoppedBy: string;
  readonly fingerprint: string;
  /** The scenario's headline figures as `run` prints them (label: value). */
  readonly headline: readonly string[];
  readonly components: Readonly<Record<string, GoldenComponent>>;
}

/** The scenario names (file names without .json), sorted by code unit. */
export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Path of a scenario's golden file. */
export const goldenPath = (name: string): string => join(GOLDEN_DIR, `${name}.golden.json`);

const sig6 = (x: number): number => Number(x.toPrecision(6));

function summarise(c: ComponentResult): GoldenComponent {
  return {
    arrivals: c.arrivals,
    completions: c.completions,
    byStatus: c.byStatus,
    p50: sig6(c.latency.p50),
    p99: sig6(c.latency.p99),
    counters: c.counters,
  };
}

/** The overrides the update script chooses: SPECIAL, else cap duration (5 s) and warm-up (2 s). */
export function defaultOverrides(name: string): Override[] {
  const special = SPECIAL[name];
  if (special !== undefined) return [...special];
  const loaded = loadScenarioText(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));
  const out: Override[] = [];
  if (!loaded.ok) return out;
  if (loaded.scenario.run.duration > DEFAULT_DURATION_US) {
    out.push({ path: 'run.duration', value: DEFAULT_DURATION });
  }
  if (loaded.scenario.run.warmup > DEFAULT_WARMUP_US) {
    out.push({ path: 'run.warmup', value: DEFAULT_WARMUP });
  }
  return out;
}

/** Runs one scenario with the given overrides; throws with the issues if it does not validate. */
export function goldenRun(name: string, overrides: readonly Override[]): Golden {
  const text = readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8');
  const loaded = loadScenarioText(text, { overrides });
  if (!loaded.ok) {
    const issues = loaded.issues.map((i) => `  ${i.pointer}: ${i.message}`).join('\n');
    throw new Error(`scenarios/${name}.json does not validate:\n${issues}`);
  }
  const r = runScenario(loaded.scenario);
  const components: Record<string, GoldenComponent> = {};
  for (const [id, c] of Object.entries(r.components)) components[id] = summarise(c);
  return {
    scenario: name,
    overrides: [...overrides],
    seed: r.seed,
    events: r.events,
    stoppedBy: r.stoppedBy,
    fingerprint: r.fingerprint,
    headline: resolveHeadlines(loaded.scenario.report?.headline, [r]).map(
      (h) => `${h.label}: ${h.text}`,
    ),
    components,
  };
}

/** The golden file's text: stable 2-space JSON with a final newline. */
export const goldenText = (g: Golden): string => `${JSON.stringify(g, null, 2)}\n`;
