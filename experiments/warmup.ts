import type { Scenario } from '../models/scenario/format.ts';
import type { Experiment, Job } from './job.ts';
import { replicationSeed } from './replications.ts';
import { mser5, type SeriesMetric, windowValues } from './steady-state.ts';

/** The warm-up MSER-5 chose on a pilot run, reported with the results. */
export interface WarmupChoice {
  readonly method: 'mser-5';
  readonly component: string;
  readonly metric: SeriesMetric;
  /** The pilot ran warmup + duration from an empty system with replication 0's seed. */
  readonly pilotSeconds: number;
  readonly windows: number;
  readonly windowSeconds: number;
  /** Windows dropped and the resulting warm-up in seconds (truncationWindows × window). */
  readonly truncationWindows: number;
  readonly warmup: number;
}

function referencedIds(value: unknown, ids: ReadonlySet<string>, into: Set<string>): void {
  if (typeof value === 'string') {
    const base = value.replace(/\[\d+\]$/, '');
    if (ids.has(base)) into.add(base);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, ids, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'type') referencedIds(v, ids, into);
  }
}

/**
 * The entry component: the first id (code-unit order) that no other component's config names,
 * i.e. where requests enter the stack (a client). Undefined when every component is named.
 */
export function entryComponent(scenario: Scenario): string | undefined {
  const ids = Object.keys(scenario.components).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const all = new Set(ids);
  const named = new Set<string>();
  for (const id of ids) {
    const seen = new Set<string>();
    referencedIds(scenario.components[id], all, seen);
    seen.delete(id);
    for (const s of seen) named.add(s);
  }
  return ids.find((id) => !named.has(id));
}

/** Latency windows without completions take the previous window's value (the first: the next one's). */
function fillGaps(values: number[], weights: readonly number[]): number[] {
  const firstFull = weights.findIndex((w) => w > 0);
  if (firstFull < 0) return values;
  let last = values[firstFull]!;
  return values.map((v, i) => {
    if (weights[i]! > 0) last = v;
    return weights[i]! > 0 ? v : last;
  });
}

/**
 * For each scenario with run.autoWarmup, runs one pilot (no warm-up, horizon warmup + duration,
 * replication 0's seed) and applies MSER-5 to the entry component's per-window latency or
 * throughput. Returns the scenario with run.warmup replaced by the chosen truncation point.
 */
export function* chooseWarmup(
  scenarios: readonly Scenario[],
): Experiment<({ scenario: Scenario; choice: WarmupChoice } | undefined)[]> {
  const jobs: Job[] = [];
  const asked: { k: number; component: string; metric: SeriesMetric }[] = [];
  scenarios.forEach((s, k) => {
    const auto = s.run.autoWarmup;
    if (auto === undefined) return;
    const component = (auto === true ? undefined : auto.component) ?? entryComponent(s);
    if (component === undefined)
      throw new RangeError('autoWarmup: no entry component found; name one');
    const metric = auto === true ? 'latency' : auto.metric;
    const pilot = { ...s, run: { ...s.run, warmup: 0, duration: s.run.warmup + s.run.duration } };
    jobs.push({
      index: jobs.length,
      scenario: pilot,
      seed: replicationSeed(s.seed, 0),
      series: true,
    });
    asked.push({ k, component, metric });
  });
  const out: ({ scenario: Scenario; choice: WarmupChoice } | undefined)[] = scenarios.map(
    () => undefined,
  );
  if (jobs.length === 0) return out;
  const pilots = yield jobs;
  pilots.forEach((p, i) => {
    const { k, component, metric } = asked[i]!;
    const s = scenarios[k]!;
    const total = s.run.warmup + s.run.duration;
    const windows = Math.floor(total / s.run.window);
    const w = windowValues(p.series ?? [], component, metric, 0, windows);
    const series = metric === 'latency' ? fillGaps(w.values, w.weights) : w.values;
    const m = mser5(series);
    const warmup = m.truncation * s.run.window;
    out[k] = {
      scenario: { ...s, run: { ...s.run, warmup } },
      choice: {
        method: 'mser-5',
        component,
        metric,
        pilotSeconds: total / 1e6,
        windows,
        windowSeconds: s.run.window / 1e6,
        truncationWindows: m.truncation,
        warmup: warmup / 1e6,
      },
    };
  });
  return out;
}
