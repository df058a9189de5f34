import {
  firstDivergence,
  SimulationError,
  type TraceRecord,
  TraceRecorder,
  toSeconds,
} from '../../engine/index.ts';
import { runScenario } from '../../models/scenario/build.ts';
import { type Override, parseOverride } from '../../models/scenario/overrides.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { loadScenarioFile } from './load-file.ts';

/** Help text of `stacksim diff-trace`. */
export const DIFF_TRACE_USAGE = `Usage: stacksim diff-trace A [B] [options]

Runs two scenarios (files A and B, or A twice with different options) with tracing and prints
the first delivered event where they differ: its index, simulated time, component and message
type on each side, with the events just before it. Use it to find where a change of seed,
parameter or engine option first alters a run.

Options:
  --seed N / --seed-b N       seed of run A / run B (B defaults to A's)
  --set path=value            change a field of both runs (repeatable)
  --set-b path=value          change a field of run B only (repeatable)
  --queue-b heap-js           run B on the other event-queue implementation
  --max-records N             events recorded per run (default 1000000)
  --exit-code                 exit 1 when the runs diverge (like git diff)

Exit: 0 (identical, or diverged without --exit-code), 1 diverged with --exit-code, 2 bad input.

Examples:
  stacksim diff-trace scenarios/quickstart.json --seed 1 --seed-b 2
  stacksim diff-trace scenarios/quickstart.json --set-b components.app.workers=5
  stacksim diff-trace a.json b.json
`;

const OPTIONS = {
  seed: { kind: 'string' },
  'seed-b': { kind: 'string' },
  set: { kind: 'list' },
  'set-b': { kind: 'list' },
  'queue-b': { kind: 'string' },
  'max-records': { kind: 'string' },
  'exit-code': { kind: 'boolean' },
} as const;

function overrides(texts: readonly string[], seed: string | undefined): Override[] {
  const out = texts.map((t) => {
    const o = parseOverride(t);
    if (o === undefined) throw new UsageError(`--set expects path=value, got "${t}"`);
    return o;
  });
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed)) throw new UsageError(`--seed expects a whole number, got "${seed}"`);
    out.push({ path: 'seed', value: seed });
  }
  return out;
}

const show = (r: TraceRecord | undefined) =>
  r === undefined
    ? '(run ended)'
    : `t=${toSeconds(r.time)}s ${JSON.stringify(r.actorId)} ${JSON.stringify(r.type)}`;

/** `stacksim diff-trace A [B]`: the first event where two traced runs differ. */
export function diffTraceCommand(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, OPTIONS);
  const files = parsed.positionals;
  if (files.length < 1 || files.length > 2) throw new UsageError('diff-trace needs A or A B');
  const queue = parsed.values.get('queue-b');
  if (queue !== undefined && queue !== 'heap-js' && queue !== 'typed-heap')
    throw new UsageError(`--queue-b expects heap-js or typed-heap, got "${queue}"`);
  const cap = Number(parsed.values.get('max-records') ?? 1_000_000);
  if (!Number.isInteger(cap) || cap < 1) throw new UsageError('--max-records expects N ≥ 1');
  const sets = parsed.lists.get('set') ?? [];
  const seedA = parsed.values.get('seed');
  const seedB = parsed.values.get('seed-b') ?? seedA;
  const a = loadScenarioFile(files[0]!, ctx.kinds, overrides(sets, seedA));
  const fileB = files[1] ?? files[0]!;
  const setsB = [...sets, ...(parsed.lists.get('set-b') ?? [])];
  const b = loadScenarioFile(fileB, ctx.kinds, overrides(setsB, seedB));
  if (!a.ok || !b.ok) {
    for (const line of [...(a.ok ? [] : a.lines), ...(b.ok ? [] : b.lines)]) ctx.err(`${line}\n`);
    return EXIT.badInput;
  }
  const recA = new TraceRecorder(cap);
  const recB = new TraceRecorder(cap);
  try {
    runScenario(a.result.scenario, { kinds: ctx.kinds, trace: recA.hook });
    runScenario(b.result.scenario, {
      kinds: ctx.kinds,
      trace: recB.hook,
      ...(queue === 'heap-js' ? { queue: 'heap-js' as const } : {}),
    });
  } catch (error) {
    if (error instanceof SimulationError || error instanceof RangeError) {
      ctx.err(`diff-trace: run failed: ${error.message}\n`);
      return EXIT.runFailure;
    }
    throw error;
  }
  const d = firstDivergence(recA.records, recB.records);
  const counts = `A ${recA.records.length + recA.dropped} events, B ${recB.records.length + recB.dropped} events`;
  if (d === undefined) {
    const note = recA.dropped + recB.dropped > 0 ? ` (compared the first ${cap})` : '';
    ctx.out(`identical: ${counts}${note}\n`);
    return EXIT.ok;
  }
  const lines = [`diverged at event #${d.index} (${counts})`];
  for (let i = Math.max(0, d.index - 3); i < d.index; i++)
    lines.push(`  same  #${i}: ${show(recA.records[i])}`);
  lines.push(`  A     #${d.index}: ${show(d.a)}`, `  B     #${d.index}: ${show(d.b)}`);
  ctx.out(`${lines.join('\n')}\n`);
  return parsed.flags.has('exit-code') ? EXIT.runFailure : EXIT.ok;
}
