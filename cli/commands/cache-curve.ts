import { join } from 'node:path';
import { type CurvePoint, runCurve } from '../../models/cache/curve/run.ts';
import {
  type CurvePolicy,
  type CurveSize,
  parsePolicyList,
  parseSizeList,
} from '../../models/cache/curve/spec.ts';
import type { CacheKey } from '../../models/cache/policy.ts';
import { parseSize } from '../../models/core/units.ts';
import { fromZodIssues } from '../../models/scenario/zod-issues.ts';
import { openTrace, type TraceRead, traceReadSchema } from '../../models/trace/open.ts';
import { TraceInputError } from '../../models/trace/record.ts';
import { curveHtml, curveSvg } from '../../report/curve-svg.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { csvCell } from '../csv.ts';
import { EXIT } from '../exit-codes.ts';
import { writeFilesAtomically } from '../io.ts';
import { guessFormat, openTraceFile } from '../trace-file.ts';
import { TRACE_OPTION_SPEC, TRACE_OPTIONS, traceSpecFromArgs } from './trace-options.ts';

/** Help of `stacksim cache-curve`. */
export const CACHE_CURVE_USAGE = `Usage: stacksim cache-curve TRACE [options]

Runs cache policies directly over a trace (no stack) and writes miss-ratio curves as tidy
CSV (stdout, or DIR/curve.csv) plus an SVG chart (DIR/curve.svg) and a page with both
(DIR/curve.html). LRU's whole curve comes
from one pass by stack distance (Mattson), exactly equal to one LRU run per size.

Options:
  --policies LIST       policies, comma-separated, each with optional tuning in parentheses
                        (default lru,fifo,clock,sieve,arc,s3-fifo); e.g.
                        lru,s3-fifo(smallRatio=0.2;moveToMainThreshold=2),w-tinylfu(windowRatio=0.1),opt(bypass=false)
  --sizes LIST          cache sizes: shares of the working set (0.1%,1%,10%; the default),
                        counts (1000) or byte sizes (64MB); plain numbers are bytes unless --ignore-size
  --ignore-size         every object weighs 1: sizes are object counts
  --per-size-lru        simulate LRU once per size instead of by stack distance
  --sample RATE         SHARDS spatial sampling: keep keys hashing below RATE (0 < RATE <= 1);
                        cache sizes scale by RATE; run once per salt and report the spread
  --salts N             independent samples (hash salts) with --sample (default 3)
  --seed N              seed of randomised policies (default 1)
  -o, --out DIR         write DIR/curve.csv, curve.svg and curve.html instead of CSV on stdout
${TRACE_OPTIONS}
OPT (Belady) reads the trace's keys in a first pass: memory grows with the trace length.
Exit: 0 ok, 2 bad input or usage (file, line or byte offset and what was expected).

Examples:
  stacksim cache-curve examples/traces/small.csv --sizes 1%,5%,20% --ignore-size
  stacksim cache-curve trace.oracleGeneral.bin --policies lru,s3-fifo,opt --sizes 0.1%,1%,10% -o out/curve
`;

const HEADER =
  'policy,size,cache_size,unit,requests,misses,miss_ratio,byte_miss_ratio,sample_rate,salts,miss_ratio_stderr';

interface Footprint {
  objects: number;
  bytes: number;
  keys: CacheKey[] | undefined;
}

function footprint(
  bytesOf: () => TraceRead,
  path: string,
  ignoreSize: boolean,
  wantKeys: boolean,
): Footprint {
  const file = openTraceFile(path);
  try {
    const src = openTrace(file.bytes, bytesOf());
    const seen = new Set<CacheKey>();
    let bytes = 0;
    const keys: CacheKey[] | undefined = wantKeys ? [] : undefined;
    for (let r = src.next(); r !== undefined; r = src.next()) {
      keys?.push(r.key);
      if (!seen.has(r.key)) {
        seen.add(r.key);
        bytes += ignoreSize ? 1 : r.size;
      }
    }
    return { objects: seen.size, bytes, keys };
  } finally {
    file.close();
  }
}

function resolveSizes(
  sizes: readonly CurveSize[],
  fp: Footprint | undefined,
  rate: number,
  ignoreSize: boolean,
) {
  return sizes.map((s) => {
    if (s.kind === 'absolute') return { label: s.label, value: s.value };
    const total = ignoreSize ? fp!.objects : fp!.bytes;
    return { label: s.label, value: Math.max(1, Math.round((s.value * total) / rate)) };
  });
}

/** `stacksim cache-curve TRACE`: miss-ratio curves of cache policies over a trace. */
export function cacheCurveCommand(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, {
    ...TRACE_OPTION_SPEC,
    policies: { kind: 'string' },
    sizes: { kind: 'string' },
    'ignore-size': { kind: 'boolean' },
    'per-size-lru': { kind: 'boolean' },
    sample: { kind: 'string' },
    salts: { kind: 'string' },
    seed: { kind: 'string' },
    out: { kind: 'string', short: 'o' },
  });
  if (parsed.positionals.length !== 1)
    throw new UsageError('cache-curve needs exactly one TRACE file');
  const path = parsed.positionals[0]!;
  const ignoreSize = parsed.flags.has('ignore-size');
  const policies = parsePolicyList(
    parsed.values.get('policies') ?? 'lru,fifo,clock,sieve,arc,s3-fifo',
  );
  if (!policies.ok) throw new UsageError(`--policies: ${policies.message}`);
  const sizes = parseSizeList(parsed.values.get('sizes') ?? '0.1%,1%,10%', parseSize);
  if (!sizes.ok) throw new UsageError(`--sizes: ${sizes.message}`);
  if (ignoreSize && sizes.value.some((s) => s.kind === 'absolute' && !/^[0-9]+$/.test(s.label))) {
    throw new UsageError(
      '--sizes: with --ignore-size, sizes are object counts or percentages, not byte sizes',
    );
  }
  const sample = parsed.values.has('sample') ? Number(parsed.values.get('sample')) : undefined;
  if (sample !== undefined && !(sample > 0 && sample <= 1))
    throw new UsageError('--sample: expected a rate in (0, 1]');
  const salts = sample === undefined ? 1 : Number(parsed.values.get('salts') ?? '3');
  if (!Number.isInteger(salts) || salts < 1 || salts > 100)
    throw new UsageError('--salts: expected an integer from 1 to 100');
  const seed = Number(parsed.values.get('seed') ?? '1');
  if (!Number.isInteger(seed)) throw new UsageError('--seed: expected an integer');
  const format = parsed.values.get('format') ?? guessFormat(path);
  if (format === undefined)
    throw new UsageError(
      `cannot tell the format of ${path} from its name; give --format csv|combined|oracle-general`,
    );
  const base = traceSpecFromArgs(parsed, format);
  const input = { ...base, ...(sample !== undefined ? { sample } : {}) };
  const spec = traceReadSchema.safeParse(input);
  if (!spec.success) {
    const issues = fromZodIssues(spec.error.issues, input);
    throw new UsageError(
      issues.map((i) => `${i.pointer.slice(1) || 'trace'}: ${i.message}`).join('; '),
    );
  }
  const started = ctx.clock();
  const runs: CurvePoint[][] = [];
  let rate = 1;
  try {
    for (let salt = 0; salt < salts; salt++) {
      const read = () => ({ ...spec.data, salt });
      const wantOpt = policies.value.some((p) => p.name === 'opt');
      const needFp = wantOpt || sizes.value.some((s) => s.kind === 'share');
      const fp = needFp ? footprint(read, path, ignoreSize, wantOpt) : undefined;
      rate = sample ?? 1;
      const file = openTraceFile(path);
      try {
        runs.push(
          runCurve(openTrace(file.bytes, read()), {
            policies: policies.value,
            sizes: resolveSizes(sizes.value, fp, rate, ignoreSize),
            ignoreSize,
            sampleRate: rate,
            seed,
            ...(fp?.keys !== undefined ? { keys: fp.keys } : {}),
            onePassLru: !parsed.flags.has('per-size-lru'),
          }),
        );
      } finally {
        file.close();
      }
    }
  } catch (error) {
    if (error instanceof TraceInputError) {
      ctx.err(`stacksim cache-curve: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const rows = combine(runs, policies.value);
  const unit = ignoreSize ? 'objects' : 'bytes';
  const csv = [
    HEADER,
    ...rows.map((r) =>
      [
        csvCell(r.policy),
        csvCell(r.sizeLabel),
        r.cacheSize,
        unit,
        r.requests,
        r.misses,
        fmt(r.missRatio),
        fmt(r.byteMissRatio),
        rate,
        salts,
        r.stderr === undefined ? '' : fmt(r.stderr),
      ].join(','),
    ),
  ];
  const text = `${csv.join('\n')}\n`;
  const seconds = ctx.clock() - started;
  const requests = runs.reduce((a, run) => a + (run[0]?.requests ?? 0), 0);
  const out = parsed.values.get('out');
  if (out !== undefined) {
    const series = policies.value.map((p) => ({
      name: p.label,
      points: rows
        .filter((r) => r.policy === p.label)
        .map((r) => [r.cacheSize, r.missRatio] as const),
    }));
    const svg = curveSvg(series, `cache size (${unit})`, `Miss ratio: ${path}`);
    writeFilesAtomically(out, [
      { name: 'curve.svg', content: svg },
      { name: 'curve.html', content: curveHtml(`Miss-ratio curves: ${path}`, svg, text) },
      { name: 'curve.csv', content: text },
    ]);
    ctx.err(`wrote ${join(out, 'curve.csv')}, curve.svg and curve.html\n`);
  } else ctx.out(text);
  const worst = Math.max(0, ...rows.map((r) => r.stderr ?? 0));
  ctx.err(
    `cache-curve: ${requests} requests${salts > 1 ? ` over ${salts} samples` : ''}, ${policies.value.length} policies × ${sizes.value.length} sizes in ${seconds.toFixed(2)} s` +
      (sample !== undefined
        ? `; SHARDS rate ${rate}: largest standard error of a miss ratio ${fmt(worst)}`
        : '') +
      '\n',
  );
  return EXIT.ok;
}

interface Row extends CurvePoint {
  readonly stderr: number | undefined;
}

/** Means over the salted runs, with the standard error of the mean when there are several. */
function combine(runs: readonly CurvePoint[][], _policies: readonly CurvePolicy[]): Row[] {
  const first = runs[0] ?? [];
  return first.map((p, i) => {
    if (runs.length === 1) return { ...p, stderr: undefined };
    const all = runs.map((r) => r[i]!);
    const mean = (f: (q: CurvePoint) => number) => all.reduce((a, q) => a + f(q), 0) / all.length;
    const m = mean((q) => q.missRatio);
    const sd = Math.sqrt(all.reduce((a, q) => a + (q.missRatio - m) ** 2, 0) / (all.length - 1));
    return {
      ...p,
      requests: Math.round(mean((q) => q.requests)),
      misses: Math.round(mean((q) => q.misses)),
      missRatio: m,
      byteMissRatio: mean((q) => q.byteMissRatio),
      stderr: sd / Math.sqrt(all.length),
    };
  });
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}
