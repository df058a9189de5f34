import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import { duration, durationOrZero } from '../core/units.ts';
import type { Method } from '../http/messages.ts';
import { samplingRate, TRACE_FORMATS, type TraceRead, traceColumnsSchema } from './open.ts';
import type { TraceSource } from './record.ts';

/** Fields of a replay arrival that read requests from a trace file (no defaults: optional). */
export const replayFileFields = {
  file: z
    .string()
    .min(1)
    .optional()
    .describe('trace file to replay, relative to the scenario file; read as a stream'),
  format: z.enum(TRACE_FORMATS).optional().describe('csv, combined (access log) or oracle-general'),
  columns: traceColumnsSchema
    .optional()
    .describe('csv: header column of each field (default: the field name)'),
  timeUnit: z
    .enum(['s', 'ms', 'us'])
    .optional()
    .describe('csv: unit of the time column (default s)'),
  delimiter: z.string().length(1).optional().describe('csv: field separator (default ,)'),
  speedup: z.number().positive().max(1e6).optional().describe('replay this many times faster'),
  from: durationOrZero().optional().describe('skip requests before this offset from the first'),
  to: duration().optional().describe('stop at this offset from the first request'),
  sample: samplingRate().describe(
    'SHARDS spatial sampling rate by key hash (scale cache sizes by it)',
  ),
  salt: z.number().int().min(0).max(0xffffffff).optional().describe('hash salt of the sampling'),
  route: z
    .string()
    .min(1)
    .optional()
    .describe('route of requests whose trace has no path (oracle-general; default "/")'),
};

/** The trace-file part of a parsed replay arrival. */
export interface ReplayFileConfig {
  readonly file?: string | undefined;
  readonly format?: TraceRead['format'] | undefined;
  readonly columns?: TraceRead['columns'];
  readonly timeUnit?: TraceRead['timeUnit'] | undefined;
  readonly delimiter?: string | undefined;
  readonly speedup?: number | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly sample?: number | undefined;
  readonly salt?: number | undefined;
  readonly route?: string | undefined;
}

/** The trace-read spec of a replay arrival, defaults filled. */
export function replayRead(c: ReplayFileConfig): TraceRead {
  return {
    format: c.format ?? 'csv',
    ...(c.columns !== undefined ? { columns: c.columns } : {}),
    timeUnit: c.timeUnit ?? 's',
    delimiter: c.delimiter ?? ',',
    speedup: c.speedup ?? 1,
    ...(c.from !== undefined ? { from: c.from } : {}),
    ...(c.to !== undefined ? { to: c.to } : {}),
    ...(c.sample !== undefined ? { sample: c.sample } : {}),
    salt: c.salt ?? 0,
  };
}

/** Opens a trace file as a pull source (supplied by the CLI: models/ do no I/O). */
export type TraceOpener = (file: string, read: TraceRead) => TraceSource;

const METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);
/** Interned string keys start here, above any numeric id a trace gives (< 2^52 kept exact). */
const STRING_KEY_BASE = 2 ** 52;

/** One replayed request, copied out of the reader's reused record. */
export interface ReplayRequest {
  time: SimTime;
  method: Method;
  route: string;
  key: number;
  user: number;
}

/**
 * Pulls requests from a trace source for one open-loop client: string keys and users become
 * stable numbers (interned in order of first appearance; memory grows with distinct keys, not
 * with the trace), the route is the path without its query (or `route`), methods outside
 * GET…OPTIONS replay as GET.
 */
export class ReplayCursor {
  private readonly source: TraceSource;
  private readonly route: string;
  private readonly keys = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private readonly out: ReplayRequest = { time: 0, method: 'GET', route: '/', key: 0, user: 0 };

  constructor(source: TraceSource, route = '/') {
    this.source = source;
    this.route = route;
  }

  /** The next request (same object each time), or undefined at the end of the trace. */
  next(): ReplayRequest | undefined {
    const r = this.source.next();
    if (r === undefined) return undefined;
    const o = this.out;
    o.time = r.time;
    o.method = METHODS.has(r.method) ? (r.method as Method) : 'GET';
    const q = r.path.indexOf('?');
    o.route = r.path === '' ? this.route : q < 0 ? r.path : r.path.slice(0, q);
    o.key = typeof r.key === 'number' ? r.key : intern(this.keys, r.key, STRING_KEY_BASE);
    o.user =
      r.user === ''
        ? 0
        : /^[0-9]{1,15}$/.test(r.user)
          ? Number(r.user)
          : intern(this.users, r.user, 2 ** 32);
    return o;
  }
}

function intern(map: Map<string, number>, text: string, base: number): number {
  let id = map.get(text);
  if (id === undefined) {
    id = base + map.size;
    map.set(text, id);
  }
  return id;
}
