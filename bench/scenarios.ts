import { readFileSync } from 'node:fs';
import { combineRuns, startReplication } from '../experiments/replications.ts';
import { COMPONENT_KINDS } from '../models/registry.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import type { Override } from '../models/scenario/overrides.ts';
import {
  type BenchGroup,
  type Check,
  collectGarbage,
  type Figure,
  figure,
  ratios,
} from './measure.ts';
import { engineMm1 } from './mm1.ts';
import { startupChild, startupFigures } from './startup.ts';

// The shared workloads (bench/workloads/, copied from the project's shared bench workloads) run through the code
// path of `stacksim run`: read the file, validate, build, run, assemble the results. Each is
// timed in CPU seconds (process.cpuUsage: user + system of this process, so the other
// engineers' load on the machine costs less than it would in wall time) and reported as
// requests per CPU second and as a ratio to the engine-level M/M/1 of bench/mm1.ts measured
// in the same round. Ratios are per round, then summarised.
const WORKLOADS = ['mm1', 'mm8', 'webstack'] as const;
type Workload = (typeof WORKLOADS)[number];
const ENGINE_CUSTOMERS = 1_000_000;
const RUNS = 3;
const QUICK_RUNS = 3;
/** --quick runs a tenth of each workload's simulated time. */
const QUICK_SCALE = 0.1;

/** Where a workload file is: bench/workloads/NAME.json (one level up from dist/ or bench/). */
export function workloadUrl(name: string): URL {
  return new URL(`../bench/workloads/${name}.json`, import.meta.url);
}

interface WorkloadRun {
  readonly requests: number;
  readonly events: number;
  readonly cpuSeconds: number;
  readonly fingerprint: string;
  readonly meanLatency: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The simulated time of a scenario file, scaled (1 = as in the file). */
function durationOverride(file: URL, scale: number): Override[] {
  if (scale === 1) return [];
  const text = JSON.parse(readFileSync(file, 'utf8')).run.duration as string;
  const seconds = Number(text.replace(/s$/, ''));
  return [{ path: 'run.duration', value: JSON.stringify(`${Math.round(seconds * scale)}s`) }];
}

/** One run of a workload as `stacksim run` does it (load, validate, build, run, results). */
export function runWorkload(name: Workload, scale = 1): WorkloadRun {
  return runScenarioFile(workloadUrl(name), scale);
}

/** One run of a scenario file as `stacksim run` does it; requests are the first client's. */
export function runScenarioFile(file: URL, scale = 1): WorkloadRun {
  const name = file.pathname;
  const overrides = durationOverride(file, scale);
  collectGarbage();
  const start = cpuSeconds();
  const loaded = loadScenarioText(readFileSync(file, 'utf8'), {
    kinds: COMPONENT_KINDS,
    overrides,
  });
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded.issues)}`);
  const { scenario } = loaded;
  const run = startReplication(scenario, 0, { kinds: COMPONENT_KINDS });
  const result = run.finish();
  run.series();
  const results = combineRuns(scenario, [result]);
  const cpu = cpuSeconds() - start;
  const client = Object.values(results.runs[0]!.components).find((c) =>
    c.type.startsWith('client.'),
  );
  return {
    requests: client?.arrivals ?? 0,
    events: result.events,
    cpuSeconds: cpu,
    fingerprint: result.fingerprint,
    meanLatency: client?.latency.mean ?? Number.NaN,
  };
}

function engineRate(): number {
  collectGarbage();
  const start = cpuSeconds();
  engineMm1(ENGINE_CUSTOMERS);
  return ENGINE_CUSTOMERS / (cpuSeconds() - start);
}

async function runGroup(options: { quick: boolean }) {
  const scale = options.quick ? QUICK_SCALE : 1;
  const runs = options.quick ? QUICK_RUNS : RUNS;
  engineMm1(100_000); // warm-up: JIT
  for (const w of WORKLOADS) runWorkload(w, 0.01);
  const engine: number[] = [];
  const per: Record<Workload, WorkloadRun[]> = { mm1: [], mm8: [], webstack: [] };
  for (let r = 0; r < runs; r++) {
    engine.push(engineRate());
    for (const w of WORKLOADS) per[w].push(runWorkload(w, scale));
  }
  const figures: Record<string, Figure> = {
    'scenarios.engine-mm1': figure(engine, 'customers/CPU s'),
  };
  const checks: Check[] = [];
  for (const w of WORKLOADS) {
    const list = per[w];
    const rates = list.map((x) => x.requests / x.cpuSeconds);
    figures[`scenarios.${w}`] = figure(rates, 'requests/CPU s');
    figures[`scenarios.${w}/engine-mm1`] = figure(ratios(rates, engine), 'ratio');
    figures[`scenarios.${w}.events per request`] = figure(
      list.map((x) => x.events / x.requests),
      'events',
    );
    figures[`scenarios.${w}.mean latency`] = figure(
      list.map((x) => x.meanLatency),
      's (simulated)',
    );
    const prints = new Set(list.map((x) => x.fingerprint));
    checks.push({
      name: `${w}.json runs are deterministic (distinct fingerprints)`,
      target: '1',
      value: prints.size,
      met: prints.size === 1,
    });
  }
  const mm1Ratio = figures['scenarios.mm1/engine-mm1']!;
  const web = figures['scenarios.webstack']!;
  checks.push(
    {
      name: 'mm1.json (stacksim run path) / engine-level M/M/1, per CPU second',
      target: '>= 0.3',
      value: mm1Ratio.median,
      met: mm1Ratio.median >= 0.3,
    },
    {
      name: 'webstack.json requests per CPU second',
      target: '>= 400 000',
      value: web.median,
      met: web.median >= 400_000,
    },
  );
  const startup = await startupFigures(options);
  Object.assign(figures, startup.figures);
  checks.push(...startup.checks);
  return { figures, checks };
}

/** The scenario-path group: the shared workloads as users run them, start-up and memory. */
export const scenariosGroup: BenchGroup = {
  name: 'scenarios',
  summary: `bench/workloads ${WORKLOADS.join(', ')} through the stacksim run path, per CPU second, vs engine M/M/1; start-up; memory per in-flight request`,
  run: runGroup,
  children: startupChild,
};
