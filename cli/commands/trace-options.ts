import type { OptionSpec, ParsedArgs } from '../args.ts';
import { UsageError } from '../args.ts';

/** Command-line options that describe how to read a trace (shared by trace commands). */
export const TRACE_OPTION_SPEC: Readonly<Record<string, OptionSpec>> = {
  format: { kind: 'string' },
  columns: { kind: 'string' },
  'time-unit': { kind: 'string' },
  delimiter: { kind: 'string' },
  from: { kind: 'string' },
  to: { kind: 'string' },
  speedup: { kind: 'string' },
};

/** Help lines of TRACE_OPTION_SPEC. */
export const TRACE_OPTIONS = `  --format F            csv | combined | oracle-general (default: from the file name:
                        .csv → csv, .log → combined, .bin / *oracleGeneral* → oracle-general)
  --columns MAP         csv: field=column pairs, e.g. key=obj_id,size=bytes,time=ts
                        (fields time, key, size, method, path, user; default: same names)
  --time-unit U         csv: s | ms | us (default s)
  --delimiter C         csv: field separator (default ,)
  --from D, --to D      a time window from the first request, like 10m and 1h
  --speedup X           replay X times faster (divides the gaps)
`;

/** The trace-read fields given on the command line (checked later by traceReadSchema). */
export function traceSpecFromArgs(parsed: ParsedArgs, format: string): Record<string, unknown> {
  const out: Record<string, unknown> = { format };
  const columns = parsed.values.get('columns');
  if (columns !== undefined) {
    const map: Record<string, string> = {};
    for (const pair of columns.split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--columns: expected field=column pairs, got "${pair}"`);
      map[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    out.columns = map;
  }
  const unit = parsed.values.get('time-unit');
  if (unit !== undefined) out.timeUnit = unit;
  const delimiter = parsed.values.get('delimiter');
  if (delimiter !== undefined) out.delimiter = delimiter === '\\t' ? '\t' : delimiter;
  for (const key of ['from', 'to'] as const) {
    const v = parsed.values.get(key);
    if (v !== undefined) out[key] = v;
  }
  const speedup = parsed.values.get('speedup');
  if (speedup !== undefined) out.speedup = Number(speedup);
  return out;
}
