import { keyOf, shown } from './fields.ts';
import { decodeUtf8, LineScanner } from './lines.ts';
import {
  type ByteSource,
  emptyRecord,
  TraceInputError,
  type TraceRecord,
  type TraceSource,
} from './record.ts';

const SP = 32;
const QUOTE = 34;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** Days from 1970-01-01 to a civil date (proleptic Gregorian; Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function digits(buf: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** `10/Oct/2000:13:55:36 -0700` at buf[at..] → Unix seconds, or NaN. */
export function parseClfTime(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 26) return Number.NaN;
  const day = digits(buf, at, 2);
  const mon = MONTHS.indexOf(String.fromCharCode(buf[at + 3]!, buf[at + 4]!, buf[at + 5]!));
  const year = digits(buf, at + 7, 4);
  const h = digits(buf, at + 12, 2);
  const min = digits(buf, at + 15, 2);
  const sec = digits(buf, at + 18, 2);
  const sign = buf[at + 21] === 45 ? -1 : buf[at + 21] === 43 ? 1 : Number.NaN;
  const oh = digits(buf, at + 22, 2);
  const om = digits(buf, at + 24, 2);
  if (mon < 0 || mon % 3 !== 0 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) {
    return Number.NaN;
  }
  const local = daysFromCivil(year, mon / 3 + 1, day) * 86_400 + h * 3600 + min * 60 + sec;
  return local - sign * (oh * 3600 + om * 60);
}

/**
 * Streaming reader of NGINX/Apache access logs in the combined (or common) format:
 * `host ident user [time] "METHOD target PROTO" status bytes …`. The key is the request
 * target, the size the bytes sent ("-" ⇒ 0), the user the client host. Log lines are written
 * when a request ends, so a time earlier than the previous line's is raised to it (logs have
 * one-second resolution anyway). Errors name the file, line and what was expected.
 */
export class CombinedLogReader implements TraceSource {
  private readonly lines: LineScanner;
  private readonly record = emptyRecord();
  private last = Number.NEGATIVE_INFINITY;
  private readonly source: ByteSource;
  private readonly text: boolean;

  constructor(source: ByteSource, text = false) {
    this.source = source;
    this.text = text;
    this.lines = new LineScanner(source);
  }

  private fail(what: string): never {
    const { buf, start, end } = this.lines;
    throw new TraceInputError(
      `${this.source.name}: line ${this.lines.line}: expected ${what} (combined log format: host ident user [time] "request" status bytes), got ${shown(buf, start, end)}`,
    );
  }

  next(): TraceRecord | undefined {
    const l = this.lines;
    do {
      if (!l.next()) return undefined;
    } while (l.end === l.start);
    const { buf, start, end } = l;
    const hostEnd = buf.indexOf(SP, start);
    if (hostEnd < 0 || hostEnd >= end) this.fail('a client host then a space');
    const open = buf.indexOf(91, hostEnd);
    if (open < 0 || open >= end) this.fail('a [time] field');
    const close = buf.indexOf(93, open);
    if (close < 0 || close >= end) this.fail('a closing ] after the time');
    const t = parseClfTime(buf, open + 1, close);
    if (Number.isNaN(t)) this.fail('a time like [10/Oct/2000:13:55:36 -0700]');
    const q1 = buf.indexOf(QUOTE, close);
    if (q1 < 0 || q1 >= end) this.fail('a quoted request line after the time');
    let q2 = q1 + 1;
    while (q2 < end && buf[q2] !== QUOTE) q2 += buf[q2] === 92 ? 2 : 1;
    if (q2 >= end) this.fail('a closing quote after the request line');
    const m = buf.indexOf(SP, q1 + 1);
    if (m < 0 || m >= q2) this.fail('a request line "METHOD target PROTOCOL"');
    let targetEnd = buf.indexOf(SP, m + 1);
    if (targetEnd < 0 || targetEnd > q2) targetEnd = q2;
    let i = q2 + 2;
    const statusEnd = buf.indexOf(SP, i);
    if (statusEnd < 0 || statusEnd >= end || statusEnd - i !== 3)
      this.fail('a three-digit status after the request');
    i = statusEnd + 1;
    let j = i;
    while (j < end && buf[j] !== SP) j++;
    let size = 0;
    if (!(j === i + 1 && buf[i] === 45)) {
      size = digits(buf, i, j - i);
      if (j === i || Number.isNaN(size)) this.fail('a byte count (or "-") after the status');
    }
    const r = this.record;
    const us = t * 1e6;
    r.time = Math.max(us, this.last);
    this.last = r.time;
    r.size = size;
    r.key = keyOf(buf, m + 1, targetEnd);
    if (this.text) {
      r.method = decodeUtf8(buf, q1 + 1, m);
      r.path = decodeUtf8(buf, m + 1, targetEnd);
      r.user = decodeUtf8(buf, start, hostEnd);
    }
    return r;
  }
}
