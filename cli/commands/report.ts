import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LatencyHistogramJson } from '../../engine/index.ts';
import type { ReplicationResults } from '../../experiments/replications.ts';
import type { ExperimentReport } from '../../experiments/summary.ts';
import type { KeptTrace, TraceSpan } from '../../models/core/trace-collector.ts';
import { formatIssue } from '../../models/scenario/issues.ts';
import { loadScenarioText } from '../../models/scenario/load.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { checkOutputs } from '../out-path.ts';
import { COMPARE_FILE, compareInput, sweepInput } from '../report-experiments.ts';
import {
  HISTOGRAMS_FILE,
  loadRuntime,
  parseTimeseriesCsv,
  runReportInput,
  writeReport,
} from '../report-io.ts';

const OPTIONS = {
  out: { kind: 'string', short: 'o' },
  plots: { kind: 'string' },
} as const;

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

interface ChromeEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: string;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly args?: Record<string, unknown>;
}

/** Rebuilds kept requests from trace.json (Chrome trace events written by `run --trace-requests`). */
export function tracesFromChrome(trace: { traceEvents: readonly ChromeEvent[] }): KeptTrace[] {
  const rows = new Map<number, { head?: ChromeEvent; spans: TraceSpan[] }>();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || e.ts === undefined || e.dur === undefined) continue;
    const row = rows.get(e.tid) ?? { spans: [] };
    rows.set(e.tid, row);
    if (e.cat === 'request') row.head = e;
    else
      row.spans.push({
        component: String(e.args?.component ?? ''),
        phase: e.cat ?? 'span',
        start: e.ts,
        end: e.ts + e.dur,
      });
  }
  const out: KeptTrace[] = [];
  for (const { head, spans } of rows.values()) {
    if (head === undefined) continue;
    const a = head.args ?? {};
    const [method, ...route] = head.name.split(' ');
    out.push({
      id: Number(a.id),
      client: String(a.client),
      className: String(a.class),
      method: method ?? '',
      route: route.join(' '),
      status: Number(a.status),
      reason: String(a.reason),
      attempts: Number(a.attempts),
      start: head.ts!,
      end: head.ts! + head.dur!,
      spans,
      kept: a.kept === 'slowest' ? 'slowest' : 'sample',
    });
  }
  return out;
}

/** `stacksim report DIR [-o FILE] [--plots DIR]`: an HTML report from a saved --out folder. */
export async function reportCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.positionals.length !== 1) throw new UsageError('report needs exactly one RESULTS_DIR');
  const dir = resolve(parsed.positionals[0]!);
  const file = join(dir, 'scenario.resolved.json');
  if (!existsSync(file))
    throw new UsageError(
      `${dir} has no scenario.resolved.json (not an --out folder of run, compare or sweep)`,
    );
  const loaded = loadScenarioText(readFileSync(file, 'utf8'), { kinds: ctx.kinds });
  if (!loaded.ok) {
    for (const issue of loaded.issues) ctx.err(`${formatIssue(file, issue)}\n`);
    return EXIT.badInput;
  }
  const scenario = loaded.scenario;
  const at = (name: string) => join(dir, name);
  let input: Parameters<typeof import('../../report/page.ts').buildReport>[0];
  if (existsSync(at('results.json'))) {
    const results = readJson(at('results.json')) as ReplicationResults;
    const series = existsSync(at('timeseries.csv'))
      ? (parseTimeseriesCsv(readFileSync(at('timeseries.csv'), 'utf8'))[0] ?? [])
      : [];
    const histograms = existsSync(at(HISTOGRAMS_FILE))
      ? (readJson(at(HISTOGRAMS_FILE)) as Record<string, LatencyHistogramJson>)
      : {};
    const traces = existsSync(at('trace.json'))
      ? tracesFromChrome(readJson(at('trace.json')) as { traceEvents: ChromeEvent[] })
      : undefined;
    input = runReportInput(scenario, results, series, histograms, traces, ctx.kinds);
  } else if (existsSync(at(COMPARE_FILE))) {
    const { cdf, ...report } = readJson(at(COMPARE_FILE)) as ExperimentReport & {
      cdf: Parameters<typeof compareInput>[2];
    };
    input = compareInput({ scenario, raw: loaded.resolved }, report, cdf, ctx);
  } else if (existsSync(at('sweep.json')) || existsSync(at('capacity.json'))) {
    input = sweepInput(
      { scenario, raw: loaded.resolved },
      {
        ...(existsSync(at('sweep.json'))
          ? { report: readJson(at('sweep.json')) as ExperimentReport }
          : {}),
        ...(existsSync(at('capacity.json'))
          ? { capacity: readJson(at('capacity.json')) as never }
          : {}),
      },
      ctx,
    );
  } else {
    throw new UsageError(
      `${dir} has none of results.json, ${COMPARE_FILE}, sweep.json, capacity.json`,
    );
  }
  const out = parsed.values.get('out') ?? join(dir, 'report.html');
  checkOutputs(
    { '--plots': parsed.values.get('plots') },
    { '--out': out },
    (m) => new UsageError(m),
  );
  const { buildReport } = await import('../../report/page.ts');
  await writeReport(buildReport(input, loadRuntime()), out, parsed.values.get('plots'));
  ctx.out(`report → ${out}\n`);
  return EXIT.ok;
}
