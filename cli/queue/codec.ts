// Lossless, canonical text for what crosses Redis: scenario bodies and job outputs.
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

// JSON loses NaN, ±Infinity and -0; they travel as tagged strings (a NUL cannot start real text).
const TAG = '\u0000';

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return `${TAG}NaN`;
    if (value === Number.POSITIVE_INFINITY) return `${TAG}+Inf`;
    if (value === Number.NEGATIVE_INFINITY) return `${TAG}-Inf`;
    if (Object.is(value, -0)) return `${TAG}-0`;
  }
  return value;
}

const SPECIAL: Readonly<Record<string, number>> = {
  [`${TAG}NaN`]: Number.NaN,
  [`${TAG}+Inf`]: Number.POSITIVE_INFINITY,
  [`${TAG}-Inf`]: Number.NEGATIVE_INFINITY,
  [`${TAG}-0`]: -0,
};

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(TAG) && Object.hasOwn(SPECIAL, value))
    return SPECIAL[value];
  return value;
}

/** JSON text that decodes back to the same numbers (NaN, ±Infinity and -0 included). */
export function encode(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/** The inverse of {@link encode}. */
export function decode<T>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/** Hex SHA-256 of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Compressed bytes of an encoded text (results are stored this way: ~4× smaller). */
export function pack(text: string): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'));
}

/** The text of {@link pack}ed bytes. */
export function unpack(bytes: Buffer): string {
  return inflateRawSync(bytes).toString('utf8');
}
