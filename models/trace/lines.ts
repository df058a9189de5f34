import { type ByteSource, TraceInputError } from './record.ts';

const NL = 10;
const CR = 13;
const QUOTE = 34;

/**
 * Splits a ByteSource into lines without copying them: after next() returns true, the line is
 * buf[start, end) (CR and LF stripped), `line` is its 1-based number and `offset` the byte
 * offset of its first byte. Holds one buffer (1 MiB, grown only for a longer line), so memory
 * is flat in the trace's length.
 */
export class LineScanner {
  buf: Uint8Array;
  start = 0;
  end = 0;
  line = 0;
  offset = 0;
  private pos = 0;
  private filled = 0;
  private consumed = 0;
  private eof = false;
  private readonly maxLine: number;
  private readonly source: ByteSource;

  constructor(source: ByteSource, bufferBytes = 1 << 20, maxLineBytes = 1 << 24) {
    this.source = source;
    this.buf = new Uint8Array(bufferBytes);
    this.maxLine = maxLineBytes;
  }

  /** Advances to the next line; false at the end of input. */
  next(): boolean {
    for (;;) {
      // a plain loop bounded by the filled part: lines are short, so a builtin call per line
      // (indexOf) costs more than the scan, and stale bytes past `filled` are never searched
      const buf = this.buf;
      const filled = this.filled;
      let nl = this.pos;
      while (nl < filled && buf[nl] !== NL) nl++;
      if (nl < filled) return this.take(nl, nl + 1);
      if (this.eof) {
        if (this.pos < this.filled) return this.take(this.filled, this.filled);
        return false;
      }
      this.refill();
    }
  }

  /**
   * next() that also splits the line at byte `delim` in the same pass (the CSV reader's hot
   * path): field i is buf[starts[i], ends[i]). Returns the field count, 0 at the end of input,
   * or -1 when the line holds a '"' or more fields than `starts` has room for (the line is still
   * taken: the caller splits it itself).
   */
  nextFields(delim: number, starts: Int32Array, ends: Int32Array): number {
    const cap = starts.length;
    for (;;) {
      const buf = this.buf;
      const filled = this.filled;
      let i = this.pos;
      let from = i;
      let n = 0;
      let plain = true;
      for (; i < filled; i++) {
        const b = buf[i];
        if (b === NL) break;
        if (b === delim) {
          if (n < cap) {
            starts[n] = from;
            ends[n] = i;
          }
          n++;
          from = i + 1;
        } else if (b === QUOTE) plain = false;
      }
      if (i < filled) this.take(i, i + 1);
      else if (this.eof) {
        if (this.pos >= filled) return 0;
        this.take(filled, filled);
      } else {
        this.refill();
        continue;
      }
      if (!plain || n >= cap) return -1;
      starts[n] = from;
      ends[n] = Math.max(from, this.end);
      return n + 1;
    }
  }

  private take(lineEnd: number, after: number): boolean {
    this.start = this.pos;
    this.end = lineEnd > this.pos && this.buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    this.offset = this.consumed + this.pos;
    this.line++;
    this.pos = after;
    return true;
  }

  private refill(): void {
    const rest = this.filled - this.pos;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.filled);
      this.consumed += this.pos;
    } else if (rest === this.buf.length) {
      if (this.buf.length >= this.maxLine) {
        throw new TraceInputError(
          `${this.source.name}: line ${this.line + 1} is longer than ${this.maxLine} bytes (expected one request per line)`,
        );
      }
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.pos = 0;
    this.filled = rest;
    const n = this.source.read(this.buf.subarray(this.filled));
    if (n === 0) this.eof = true;
    this.filled += n;
  }
}

/** Decodes buf[start, end) as UTF-8 (ASCII fast path); invalid sequences become U+FFFD. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    if (end - start <= 64) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
      return s;
    }
    return String.fromCharCode(...buf.subarray(start, end));
  }
  let s = '';
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    let cp = 0xfffd;
    let n = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0 && i + 1 < end) {
      cp = ((b & 31) << 6) | (buf[i + 1]! & 63);
      n = 2;
    } else if (b >= 0xe0 && b < 0xf0 && i + 2 < end) {
      cp = ((b & 15) << 12) | ((buf[i + 1]! & 63) << 6) | (buf[i + 2]! & 63);
      n = 3;
    } else if (b >= 0xf0 && b < 0xf5 && i + 3 < end) {
      cp =
        ((b & 7) << 18) |
        ((buf[i + 1]! & 63) << 12) |
        ((buf[i + 2]! & 63) << 6) |
        (buf[i + 3]! & 63);
      n = 4;
    }
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}

/**
 * Parses buf[start, end) as a non-negative decimal (digits, optional fraction); NaN when it is
 * not one. No allocation: the trace readers' hot path.
 */
export function parseDecimal(buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return Number.NaN;
  let v = 0;
  let i = start;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === end) return i - start > 15 ? Number(decodeUtf8(buf, start, end)) : v;
  if (buf[i] !== 46 || i === start) return Number.NaN;
  let frac = 0;
  let scale = 1;
  for (i++; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    frac = frac * 10 + d;
    scale *= 10;
  }
  return v + frac / scale;
}
