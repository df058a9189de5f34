import { keyOf, numberAt, shown } from './fields.ts';
import { decodeUtf8, LineScanner, parseDecimal } from './lines.ts';
import {
  type ByteSource,
  emptyRecord,
  TraceInputError,
  type TraceRecord,
  type TraceSource,
} from './record.ts';

/** Which header column holds each request field (defaults: the field's own name). */
export interface CsvColumns {
  readonly time?: string | undefined;
  readonly key?: string | undefined;
  readonly size?: string | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly user?: string | undefined;
}

/** Options of the CSV reader. */
export interface CsvOptions {
  readonly columns?: CsvColumns;
  /** Unit of the time column (default seconds). */
  readonly timeUnit?: 's' | 'ms' | 'us';
  /** Field separator (default ','). */
  readonly delimiter?: string;
  /** Decode method, path and user (a stack replay needs them; cache-curve does not). */
  readonly text?: boolean;
}

const FIELDS = ['time', 'key', 'size', 'method', 'path', 'user'] as const;
type Field = (typeof FIELDS)[number];
const QUOTE = 34;
const UNIT_US = { s: 1e6, ms: 1e3, us: 1 } as const;

/**
 * Streaming reader of a CSV trace with a header line. Columns are found by name (mapping in
 * options.columns); a trace needs a key or a path column (the key falls back to the path). Time
 * (µs, absolute in the trace's clock), size and the text fields are optional. Quoted fields with
 * "" escapes are accepted. Errors name the file, line and column.
 */
export class CsvTraceReader implements TraceSource {
  private readonly lines: LineScanner;
  private readonly record = emptyRecord();
  private readonly col: Record<Field, number> = {
    time: -1,
    key: -1,
    size: -1,
    method: -1,
    path: -1,
    user: -1,
  };
  private readonly names: Record<Field, string>;
  private readonly delim: number;
  private readonly unit: number;
  private readonly text: boolean;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private width = 0;
  private quoted = false;
  /** Highest column index a record needs. */
  private need = 0;

  private readonly source: ByteSource;

  constructor(source: ByteSource, options: CsvOptions = {}) {
    this.source = source;
    this.lines = new LineScanner(source);
    const d = options.delimiter ?? ',';
    if (d.length !== 1 || d.charCodeAt(0) > 127) {
      throw new TraceInputError(`${source.name}: the CSV delimiter must be one ASCII character`);
    }
    this.delim = d.charCodeAt(0);
    this.unit = UNIT_US[options.timeUnit ?? 's'];
    this.text = options.text ?? false;
    const c = options.columns ?? {};
    this.names = {
      time: c.time ?? 'time',
      key: c.key ?? 'key',
      size: c.size ?? 'size',
      method: c.method ?? 'method',
      path: c.path ?? 'path',
      user: c.user ?? 'user',
    };
    this.readHeader(c);
  }

  private readHeader(given: CsvColumns): void {
    if (!this.lines.next())
      throw new TraceInputError(`${this.source.name}: empty file, expected a CSV header line`);
    this.split();
    const header: string[] = [];
    for (let i = 0; i < this.width; i++) header.push(this.cell(i).trim());
    for (const f of FIELDS) {
      this.col[f] = header.indexOf(this.names[f]);
      if (this.col[f] < 0 && given[f] !== undefined) {
        throw new TraceInputError(
          `${this.source.name}: line 1: expected a column "${given[f]}" (${f}) in the header; columns are ${header.map((h) => JSON.stringify(h)).join(', ')}`,
        );
      }
    }
    const c2 = this.col;
    this.need = Math.max(c2.time, c2.key, c2.size, c2.method, c2.path, c2.user);
    if (this.col.key < 0 && this.col.path < 0) {
      throw new TraceInputError(
        `${this.source.name}: line 1: expected a "${this.names.key}" or "${this.names.path}" column in the header; columns are ${header.map((h) => JSON.stringify(h)).join(', ')}`,
      );
    }
  }

  /** Splits the current line into field ranges. */
  private split(): void {
    const { buf, start, end } = this.lines;
    let n = 0;
    let i = start;
    this.quoted = false;
    for (;;) {
      if (n === this.starts.length) this.grow();
      if (buf[i] === QUOTE && i < end) {
        this.quoted = true;
        let j = i + 1;
        for (;;) {
          while (j < end && buf[j] !== QUOTE) j++;
          if (j + 1 < end && buf[j + 1] === QUOTE) j += 2;
          else break;
        }
        this.starts[n] = i;
        this.ends[n] = Math.min(j + 1, end);
        n++;
        i = j + 1;
        while (i < end && buf[i] !== this.delim) i++;
      } else {
        let j = i;
        while (j < end && buf[j] !== this.delim) j++;
        this.starts[n] = i;
        this.ends[n] = j;
        n++;
        i = j;
      }
      if (i >= end) break;
      i++;
    }
    this.width = n;
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.ends = e;
  }

  /** The text of field i (unquoted). */
  private cell(i: number): string {
    const { buf } = this.lines;
    const s = this.starts[i]!;
    const e = this.ends[i]!;
    if (buf[s] === QUOTE && e - s >= 2 && buf[e - 1] === QUOTE) {
      return decodeUtf8(buf, s + 1, e - 1).replaceAll('""', '"');
    }
    return decodeUtf8(buf, s, e);
  }

  next(): TraceRecord | undefined {
    const lines = this.lines;
    for (;;) {
      // one pass finds the line's end and its unquoted fields; a quoted line is split again
      const n = lines.nextFields(this.delim, this.starts, this.ends);
      if (n === 0) return undefined;
      if (lines.end <= lines.start) continue;
      if (n < 0) this.split();
      else {
        this.width = n;
        this.quoted = false;
      }
      break;
    }
    const r = this.record;
    const c = this.col;
    const need = this.need;
    if (this.width <= need) {
      throw new TraceInputError(
        `${this.source.name}: line ${lines.line}: expected at least ${need + 1} fields, got ${this.width}`,
      );
    }
    const buf = lines.buf;
    if (c.time >= 0) {
      const v = parseDecimal(buf, this.starts[c.time]!, this.ends[c.time]!);
      r.time = (Number.isNaN(v) ? this.bad('time') : v) * this.unit;
    }
    if (c.size >= 0) {
      let v = parseDecimal(buf, this.starts[c.size]!, this.ends[c.size]!);
      if (Number.isNaN(v)) v = this.bad('size');
      if (!Number.isInteger(v)) {
        throw new TraceInputError(
          `${this.source.name}: line ${lines.line}, column "${this.names.size}": expected a whole number of bytes, got ${shown(buf, this.starts[c.size]!, this.ends[c.size]!)}`,
        );
      }
      r.size = v;
    }
    if (this.quoted) {
      r.key = c.key >= 0 ? this.keyFromText(this.cell(c.key)) : this.cell(c.path);
    } else {
      const k = c.key >= 0 ? c.key : c.path;
      r.key =
        c.key >= 0
          ? keyOf(buf, this.starts[k]!, this.ends[k]!)
          : decodeUtf8(buf, this.starts[k]!, this.ends[k]!);
    }
    if (this.text) {
      if (c.method >= 0) r.method = this.cell(c.method);
      if (c.path >= 0) r.path = this.cell(c.path);
      if (c.user >= 0) r.user = this.cell(c.user);
    }
    return r;
  }

  private keyFromText(text: string): number | string {
    return /^(0|[1-9][0-9]{0,14})$/.test(text) ? Number(text) : text;
  }

  /** Throws the error of a field that is not a number (numberAt's message). */
  private bad(field: Field): never {
    const i = this.col[field];
    numberAt(this.lines.buf, this.starts[i]!, this.ends[i]!, {
      name: this.source.name,
      line: this.lines.line,
      column: this.names[field],
    });
    throw new TraceInputError(`${this.source.name}: line ${this.lines.line}: bad ${field}`);
  }
}
