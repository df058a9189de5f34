import { decodeUtf8, parseDecimal } from './lines.ts';
import { TraceInputError } from './record.ts';

/** Numeric keys up to 15 digits stay numbers (exact in a double); longer ids become strings. */
const MAX_NUMERIC_KEY_DIGITS = 15;

/** A key from buf[start, end): a number when it is all digits (≤ 15), else its text. */
export function keyOf(buf: Uint8Array, start: number, end: number): number | string {
  const n = end - start;
  if (n > 0 && n <= MAX_NUMERIC_KEY_DIGITS) {
    let v = 0;
    let i = start;
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === end && (n === 1 || buf[start] !== 48)) return v;
  }
  return decodeUtf8(buf, start, end);
}

/** Where a bad value sits, for messages: `file: line 12, column "size"`. */
export interface Place {
  readonly name: string;
  readonly line: number;
  readonly column: string;
}

/** Shows at most 40 characters of a bad value, quoted. */
export function shown(buf: Uint8Array, start: number, end: number): string {
  const text = decodeUtf8(buf, start, Math.min(end, start + 40));
  return JSON.stringify(end - start > 40 ? `${text}…` : text);
}

/** Parses a non-negative number or throws a TraceInputError naming the place. */
export function numberAt(buf: Uint8Array, start: number, end: number, at: Place): number {
  const v = parseDecimal(buf, start, end);
  if (Number.isNaN(v)) {
    throw new TraceInputError(
      `${at.name}: line ${at.line}, column "${at.column}": expected a non-negative number, got ${shown(buf, start, end)}`,
    );
  }
  return v;
}
