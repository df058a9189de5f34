import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScenarioRun } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';
import type { ComponentResult } from '../../../models/scenario/results.ts';

/** A scenario run's results and per-window series (metric name → values per window). */
export interface ScenarioOutcome {
  readonly components: Readonly<Record<string, ComponentResult>>;
  series(component: string, metric: string): number[];
}

/** Loads scenarios/NAME.json, lets `edit` shorten it (like --set), validates and runs it. */
export function runScenarioFile(
  name: string,
  edit: (raw: Record<string, any>) => void = () => {},
): ScenarioOutcome {
  const raw = JSON.parse(readFileSync(resolve('scenarios', `${name}.json`), 'utf8')) as Record<
    string,
    any
  >;
  edit(raw);
  const checked = validateScenario(raw);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const run = new ScenarioRun(checked.scenario);
  const result = run.finish();
  const series = run.series();
  return {
    components: result.components,
    series(component, metric) {
      const s = series.find((x) => x.component === component);
      return [...(s?.metrics[metric] ?? [])];
    },
  };
}

/** Sum of values[from, to). */
export function sumRange(values: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i] ?? 0;
  return total;
}
