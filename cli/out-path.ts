import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function kindOf(path: string): 'dir' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/**
 * Why `dir` cannot be an output folder (it, or a folder above it, is an existing file), or
 * undefined when it exists as a folder or can be created. Checked before any work is done, so
 * a bad `--out` is a usage error (exit 2) with nothing written.
 */
export function outputDirError(dir: string): string | undefined {
  let path = resolve(dir);
  for (;;) {
    const kind = kindOf(path);
    if (kind === 'dir') return undefined;
    if (kind === 'file')
      return path === resolve(dir)
        ? 'exists and is a file, expected a folder'
        : `${path} is a file, so no folder can be made under it`;
    const up = dirname(path);
    if (up === path) return undefined;
    path = up;
  }
}

/** Why `file` cannot be written as an output file (it is a folder, or its folder cannot be). */
export function outputFileError(file: string): string | undefined {
  if (kindOf(file) === 'dir') return 'is a folder, expected a file name';
  return outputDirError(dirname(resolve(file)));
}

/** Throws `makeError(message)` for the first unusable output path among `dirs` and `files`. */
export function checkOutputs(
  dirs: Readonly<Record<string, string | undefined>>,
  files: Readonly<Record<string, string | undefined>>,
  makeError: (message: string) => Error,
): void {
  for (const [option, dir] of Object.entries(dirs)) {
    const problem = dir === undefined ? undefined : outputDirError(dir);
    if (problem !== undefined) throw makeError(`${option} ${dir}: ${problem}`);
  }
  for (const [option, file] of Object.entries(files)) {
    const problem = file === undefined ? undefined : outputFileError(file);
    if (problem !== undefined) throw makeError(`${option} ${file}: ${problem}`);
  }
}
