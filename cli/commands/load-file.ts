import type { ComponentKind } from '../../models/core/component.ts';
import { formatIssue } from '../../models/scenario/issues.ts';
import { type LoadResult, loadScenarioText } from '../../models/scenario/load.ts';
import type { Override } from '../../models/scenario/overrides.ts';
import { readScenarioFile } from '../io.ts';

/** Reads and validates one scenario file; on failure returns the lines to print. */
export function loadScenarioFile(
  file: string,
  kinds: readonly ComponentKind[],
  overrides: readonly Override[] = [],
): { ok: true; result: Extract<LoadResult, { ok: true }> } | { ok: false; lines: string[] } {
  const read = readScenarioFile(file);
  if (!read.ok) return { ok: false, lines: [`${file}: ${read.message}`] };
  const result = loadScenarioText(read.text, { kinds, overrides });
  if (!result.ok) return { ok: false, lines: result.issues.map((i) => formatIssue(file, i)) };
  return { ok: true, result };
}
