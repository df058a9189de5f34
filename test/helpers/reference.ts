import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One case of ../shared/validation/reference.json. */
export interface ReferenceCase {
  readonly id: string;
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  readonly metric: string;
  readonly expected: number;
  readonly tolerance_hint: { readonly rel: number; readonly abs: number };
  readonly source: string;
}

/** The repository root (this file is test/helpers/reference.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Finds shared/validation/reference.json: beside the repository (CI, the main checkout) or one
 * level further up (a git worktree under a sibling folder).
 */
export function referencePath(): string {
  const candidates = [
    join(REPO_ROOT, '..', 'shared', 'validation', 'reference.json'),
    join(REPO_ROOT, '..', '..', 'shared', 'validation', 'reference.json'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined)
    throw new Error(`reference.json not found; looked at ${candidates.join(', ')}`);
  return found;
}

/** Every reference case, by id. */
export function loadReference(): ReadonlyMap<string, ReferenceCase> {
  const cases = JSON.parse(readFileSync(referencePath(), 'utf8')) as ReferenceCase[];
  return new Map(cases.map((c) => [c.id, c]));
}
