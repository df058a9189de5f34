import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LatencyHistogram } from '../engine/index.ts';
import type { CapacityResult } from '../experiments/capacity.ts';
import type { CellsRun } from '../experiments/replicate.ts';
import type { ExperimentReport } from '../experiments/summary.ts';
import { COMPONENT_KINDS } from '../models/registry.ts';
import type { Scenario } from '../models/scenario/format.ts';
import { stackGraph } from '../report/graph.ts';
import type { CdfByComponent, CompareReportInput, SweepReportInput } from '../report/types.ts';
import type { CommandIo, Options } from './commands/experiment-io.ts';
import { writeFilesAtomically } from './io.ts';
import { cdfOf, loadRuntime, scenarioInfo, writeReport } from './report-io.ts';

/** File a compare --out writes: the experiment report plus pooled CDFs per cell. */
export const COMPARE_FILE = 'compare.json';

interface Loaded {
  readonly scenario: Scenario;
  readonly raw: unknown;
}

/** Pooled latency CDF (seconds) per cell index and component, from the jobs' merged histograms. */
export function pooledCdfs(run: CellsRun): Record<string, CdfByComponent> {
  const out: Record<string, CdfByComponent> = {};
  for (const c of run.cells) {
    const merged: Record<string, LatencyHistogram> = {};
    for (const o of c.outputs) {
      for (const [id, json] of Object.entries(o.histograms)) {
        merged[id] ??= new LatencyHistogram();
        merged[id].merge(LatencyHistogram.fromJSON(json));
      }
    }
    out[String(c.cell.index)] = cdfOf(
      Object.fromEntries(Object.entries(merged).map(([id, h]) => [id, h.toJSON()])),
    );
  }
  return out;
}

/** The input of a comparison report. */
export function compareInput(
  loaded: Loaded,
  report: ExperimentReport,
  cdf: Record<string, CdfByComponent>,
  io: Pick<CommandIo, 'kinds'>,
): CompareReportInput {
  return {
    kind: 'compare',
    info: scenarioInfo(loaded.scenario, report.cells[0]?.replications ?? 0),
    report,
    cdf,
    graph: stackGraph(loaded.scenario, io.kinds ?? COMPONENT_KINDS),
  };
}

/** compare --out (compare.json, scenario.resolved.json) and --report/--plots. */
export async function writeCompareOutputs(
  o: Options,
  io: CommandIo,
  loaded: Loaded,
  report: ExperimentReport,
  run: CellsRun,
): Promise<void> {
  const out = o.values.get('out');
  const file = o.values.get('report');
  if (out === undefined && file === undefined) return;
  const cdf = pooledCdfs(run);
  if (out !== undefined) {
    writeFilesAtomically(resolve(io.cwd, out), [
      { name: 'scenario.resolved.json', content: `${JSON.stringify(loaded.raw, null, 2)}\n` },
      { name: COMPARE_FILE, content: `${JSON.stringify({ ...report, cdf })}\n` },
    ]);
  }
  if (file !== undefined) {
    const { buildReport } = await import('../report/page.ts');
    const plots = o.values.get('plots');
    await writeReport(
      buildReport(compareInput(loaded, report, cdf, io), loadRuntime()),
      resolve(io.cwd, file),
      plots === undefined ? undefined : resolve(io.cwd, plots),
    );
  }
}

/** The input of a sweep report. */
export function sweepInput(
  loaded: Loaded,
  parts: { readonly report?: ExperimentReport; readonly capacity?: CapacityResult },
  io: Pick<CommandIo, 'kinds'>,
): SweepReportInput {
  const s = loaded.scenario as Scenario & {
    sweep?: Record<string, unknown>;
    capacity?: { replications?: number };
  };
  return {
    kind: 'sweep',
    info: scenarioInfo(
      loaded.scenario,
      parts.report?.cells[0]?.replications ?? s.capacity?.replications ?? s.run.replications,
    ),
    parameters: Object.keys(s.sweep ?? {}),
    ...(parts.report === undefined ? {} : { report: parts.report }),
    ...(parts.capacity === undefined ? {} : { capacity: parts.capacity }),
    graph: stackGraph(loaded.scenario, io.kinds ?? COMPONENT_KINDS),
  };
}

/** sweep: scenario.resolved.json in the out folder, and --report/--plots. */
export async function writeSweepOutputs(
  o: Options,
  io: CommandIo,
  loaded: Loaded,
  out: string | undefined,
  parts: { readonly report?: ExperimentReport; readonly capacity?: CapacityResult },
): Promise<void> {
  if (out !== undefined)
    writeFileSync(join(out, 'scenario.resolved.json'), `${JSON.stringify(loaded.raw, null, 2)}\n`);
  const file = o.values.get('report');
  if (file === undefined) return;
  const { buildReport } = await import('../report/page.ts');
  const plots = o.values.get('plots');
  await writeReport(
    buildReport(sweepInput(loaded, parts, io), loadRuntime()),
    resolve(io.cwd, file),
    plots === undefined ? undefined : resolve(io.cwd, plots),
  );
}
