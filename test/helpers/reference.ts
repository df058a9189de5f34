import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One case of test/validation/reference.json (provenance in test/validation/REFERENCE.md). */
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

/** The in-repository copy of the reference cases (nothing outside the clone is read). */
export function referencePath(): string {
  return join(REPO_ROOT, 'test', 'validation', 'reference.json');
}

/** Every reference case, by id. */
export function loadReference(): ReadonlyMap<string, ReferenceCase> {
  const cases = JSON.parse(readFileSync(referencePath(), 'utf8')) as ReferenceCase[];
  return new Map(cases.map((c) => [c.id, c]));
}
