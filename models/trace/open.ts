import { z } from 'zod';
import { duration, durationOrZero } from '../core/units.ts';
import { CombinedLogReader } from './combined-log.ts';
import { CsvTraceReader } from './csv.ts';
import { OracleGeneralReader } from './oracle-general.ts';
import type { ByteSource, TraceRecord, TraceSource } from './record.ts';
import { KeySampler } from './sample.ts';

/** The trace formats stacksim reads. */
export const TRACE_FORMATS = ['csv', 'combined', 'oracle-general'] as const;
/** One of TRACE_FORMATS. */
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** A SHARDS sampling rate in (0, 1], optional (one definition for trace reading and replay). */
export function samplingRate() {
  const error = 'expected a sampling rate in (0, 1]';
  return z.number({ error }).gt(0, { error }).max(1, { error }).optional();
}

/** CSV header names of a trace's fields (each defaults to the field's own name). */
export const traceColumnsSchema = z.strictObject({
  time: z.string().min(1).optional().describe('header of the arrival-time column'),
  key: z.string().min(1).optional().describe('header of the object-key column (else the path)'),
  size: z.string().min(1).optional().describe('header of the object-size column, in bytes'),
  method: z.string().min(1).optional().describe('header of the HTTP method column'),
  path: z.string().min(1).optional().describe('header of the request-path column'),
  user: z.string().min(1).optional().describe('header of the user or client column'),
});

/** How to read a trace: format, CSV mapping, time scaling, window and sampling (no file). */
export const traceReadSchema = z.strictObject({
  format: z
    .enum(TRACE_FORMATS)
    .describe(
      'csv (with a header), combined (NGINX/Apache access log) or oracle-general (libCacheSim binary)',
    ),
  columns: traceColumnsSchema
    .optional()
    .describe(
      'csv: header column holding each field (default: the field name; key falls back to path)',
    ),
  timeUnit: z.enum(['s', 'ms', 'us']).default('s').describe('csv: unit of the time column'),
  delimiter: z.string().length(1).default(',').describe('csv: field separator'),
  speedup: z
    .number()
    .positive()
    .max(1e6)
    .default(1)
    .describe('replay this many times faster (2 = half the gaps)'),
  from: durationOrZero()
    .optional()
    .describe('skip requests before this offset from the first request'),
  to: duration().optional().describe('stop at this offset from the first request'),
  sample: samplingRate().describe(
    'SHARDS spatial sampling: keep keys whose hash falls below this rate',
  ),
  salt: z.number().int().min(0).max(0xffffffff).default(0).describe('hash salt of the sampling'),
});
/** A parsed trace-reading spec (times in µs). */
export type TraceRead = z.output<typeof traceReadSchema>;
/** What a caller may give (defaults filled by the schema). */
export type TraceReadInput = z.input<typeof traceReadSchema>;

/** The reader of one format over raw bytes, before scaling, window and sampling. */
export function formatReader(bytes: ByteSource, spec: TraceRead, text: boolean): TraceSource {
  switch (spec.format) {
    case 'csv':
      return new CsvTraceReader(bytes, {
        ...(spec.columns !== undefined ? { columns: spec.columns } : {}),
        timeUnit: spec.timeUnit,
        delimiter: spec.delimiter,
        text,
      });
    case 'combined':
      return new CombinedLogReader(bytes, text);
    case 'oracle-general':
      return new OracleGeneralReader(bytes);
  }
}

/**
 * Opens a trace as a pull source: times become integer µs from the first request, divided by
 * `speedup`; requests before `from` or at/after `to` are skipped (reading stops at `to`); with
 * `sample`, only keys in the hash sample pass. Reads lazily, one record at a time.
 */
export function openTrace(bytes: ByteSource, spec: TraceRead, text = false): TraceSource {
  const inner = formatReader(bytes, spec, text);
  const sampler =
    spec.sample !== undefined && spec.sample < 1
      ? new KeySampler(spec.sample, spec.salt)
      : undefined;
  const from = spec.from ?? 0;
  const to = spec.to ?? Number.POSITIVE_INFINITY;
  let first = Number.NaN;
  let done = false;
  return {
    next(): TraceRecord | undefined {
      if (done) return undefined;
      for (;;) {
        const r = inner.next();
        if (r === undefined) {
          done = true;
          return undefined;
        }
        if (Number.isNaN(first)) first = r.time;
        const offset = r.time - first;
        if (offset >= to) {
          done = true;
          return undefined;
        }
        if (offset < from) continue;
        if (sampler !== undefined && !sampler.keeps(r.key)) continue;
        r.time = Math.round((offset - from) / spec.speedup);
        return r;
      }
    },
  };
}

/** Parses a trace spec (throws on invalid input: for code and tests; scenarios go through zod). */
export function traceRead(input: TraceReadInput): TraceRead {
  return traceReadSchema.parse(input);
}
