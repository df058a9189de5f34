// npm test on a clone with nothing beside it: the reference cases live in the repository and
// no test or script reaches for a folder outside it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadReference, REPO_ROOT, referencePath } from '../helpers/reference.ts';

/** Source files under `dir` (relative to the repository), recursively. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(path));
    else if (/\.(ts|mjs)$/.test(e.name)) out.push(path);
  }
  return out;
}

describe('self-contained tests', () => {
  test('reference.json is read from inside the repository, all 108 cases', () => {
    expect(relative(REPO_ROOT, referencePath())).toBe(join('test', 'validation', 'reference.json'));
    expect(loadReference().size).toBe(108);
  });

  test('no test, script or product code names a shared folder beside the repository', () => {
    const outside = /\.\.\/shared|'\.\.', '(\.\.', ')?shared'/;
    const offenders = ['test', 'scripts', 'cli', 'bench', 'testing']
      .flatMap(sources)
      .filter((f) => f !== join('test', 'validation', 'self-contained.test.ts'))
      .filter((f) => outside.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
