import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SCENARIO_BYTES } from '../models/scenario/load.ts';

/** The text of a scenario file, or why it cannot be read (a one-line message). */
export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

/** Reads a scenario file: must exist, be a regular file, at most 10 MB, and UTF-8 text. */
export function readScenarioFile(path: string): ReadResult {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { ok: false, message: 'is a directory, expected a scenario file' };
    if (!st.isFile()) return { ok: false, message: 'is not a regular file' };
    size = st.size;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return { ok: false, message: 'file not found' };
    if (code === 'EACCES') return { ok: false, message: 'permission denied' };
    return { ok: false, message: `cannot read the file (${code ?? 'unknown error'})` };
  }
  if (size > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      message: `file is ${size} bytes; scenario files are limited to ${MAX_SCENARIO_BYTES} bytes (10 MiB)`,
    };
  }
  try {
    const bytes = readFileSync(path);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text };
  } catch (error) {
    if (error instanceof TypeError)
      return { ok: false, message: 'not UTF-8 text (is this a scenario file?)' };
    const code = (error as { code?: string }).code;
    return { ok: false, message: `cannot read the file (${code ?? 'unknown error'})` };
  }
}

/** One output file: its name inside the output directory and its content. */
export interface OutputFile {
  readonly name: string;
  readonly content: string;
}

/**
 * Writes files into `dir` atomically: each goes to a temporary file in the same directory and
 * is renamed into place only once all were written, in the given order (put results.json last).
 */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[]): void {
  mkdirSync(dir, { recursive: true });
  const temps: [string, string][] = [];
  try {
    for (const f of files) {
      const tmp = join(dir, `.${f.name}.${process.pid}.tmp`);
      temps.push([tmp, join(dir, f.name)]);
      writeFileSync(tmp, f.content);
    }
    for (const [tmp, final] of temps) renameSync(tmp, final);
  } catch (error) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    throw error;
  }
}

/** Writes one file atomically (temporary file in the same directory, then rename). */
export function writeFileAtomically(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
