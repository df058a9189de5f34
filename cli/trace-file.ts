import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { TraceFormat } from '../models/trace/open.ts';
import { type ByteSource, TraceInputError } from '../models/trace/record.ts';

/** A trace file opened for streaming: its byte source and a close(). */
export interface OpenTraceFile {
  readonly bytes: ByteSource;
  close(): void;
}

/**
 * Opens a trace file for reading in chunks (the only I/O of a trace replay): models/ pull its
 * bytes through the ByteSource, so memory stays flat in the trace's length. Throws a
 * TraceInputError naming the file when it cannot be opened.
 */
export function openTraceFile(path: string): OpenTraceFile {
  let fd: number;
  try {
    if (statSync(path).isDirectory())
      throw new TraceInputError(`${path}: is a directory, expected a trace file`);
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof TraceInputError) throw error;
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot open (${code ?? 'unknown error'})`;
    throw new TraceInputError(`${path}: ${why}`);
  }
  let open = true;
  return {
    bytes: {
      name: path,
      read(into) {
        if (!open) return 0;
        return readSync(fd, into, 0, into.length, null);
      },
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The format a trace file's name suggests: .csv → csv, .log → combined, else oracle-general. */
export function guessFormat(path: string): TraceFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.log' || path.endsWith('access.log') || /access[._-]log/.test(path))
    return 'combined';
  if (ext === '.bin' || ext === '.oraclegeneral' || /oracleGeneral/i.test(path))
    return 'oracle-general';
  return undefined;
}
