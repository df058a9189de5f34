import type { CacheKey } from '../cache/policy.ts';

/**
 * One request of a trace. Readers reuse one record object: copy what you keep before calling
 * next() again. `time` is in integer microseconds from the trace's first request after scaling.
 */
export interface TraceRecord {
  /** Request time, µs (non-decreasing after the reader's checks). */
  time: number;
  /** Object identity: a number when the trace gives a numeric id, else a string. */
  key: CacheKey;
  /** Object size in bytes (1 when the trace has no size). */
  size: number;
  /** HTTP method ('GET' when the trace has none). */
  method: string;
  /** Request path ('' when the trace has none; readers that only need keys may skip it). */
  path: string;
  /** Client or user identity ('' when the trace has none). */
  user: string;
}

/** A pull-based stream of requests: undefined at the end. Read lazily; memory stays flat. */
export interface TraceSource {
  /** The next request (the same object each time), or undefined when the trace is over. */
  next(): TraceRecord | undefined;
}

/**
 * Raw bytes pulled from a file or buffer: read() fills `into` from its start and returns the
 * number of bytes written, 0 at the end. The CLI supplies one over a file descriptor; tests one
 * over a Uint8Array. This is the only way a trace's bytes reach models/.
 */
export interface ByteSource {
  /** Name used in error messages (the file path). */
  readonly name: string;
  /** Fills `into` from index 0; returns bytes written (0 = end of input). */
  read(into: Uint8Array): number;
}

/**
 * Bad trace input: names the source, where (line or byte offset) and what was expected. The
 * CLI prints `message` and exits 2 before writing anything.
 */
export class TraceInputError extends Error {
  override readonly name = 'TraceInputError';
}

/** A fresh record with neutral fields. */
export function emptyRecord(): TraceRecord {
  return { time: 0, key: 0, size: 1, method: 'GET', path: '', user: '' };
}

/** A ByteSource over bytes in memory (tests, the playground, small traces). */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  let at = 0;
  return {
    name,
    read(into) {
      const n = Math.min(into.length, bytes.length - at);
      into.set(bytes.subarray(at, at + n), 0);
      at += n;
      return n;
    },
  };
}

/** UTF-8 bytes of a string (tests and in-memory traces). */
export { utf8Bytes } from '../core/utf8.ts';
