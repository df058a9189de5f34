import { planCells } from '../../experiments/plan.ts';
import type { ComponentKind } from '../../models/core/component.ts';
import type { Scenario } from '../../models/scenario/format.ts';
import { formatIssue } from '../../models/scenario/issues.ts';
import { type LoadResult, loadScenarioText } from '../../models/scenario/load.ts';
import type { Override } from '../../models/scenario/overrides.ts';
import { readScenarioFile } from '../io.ts';

/** A scenario file that loaded and validated. */
export type LoadedFile = Extract<LoadResult, { ok: true }>;

/**
 * Reads and validates one scenario file, variants and sweep points included (each is built and
 * validated as `compare` and `sweep` will, so `validate`, `run`, `compare` and `sweep` accept
 * and reject the same files); on failure returns the lines to print.
 */
export function loadScenarioFile(
  file: string,
  kinds: readonly ComponentKind[],
  overrides: readonly Override[] = [],
): { ok: true; result: LoadedFile } | { ok: false; lines: string[] } {
  const read = readScenarioFile(file);
  if (!read.ok) return { ok: false, lines: [`${file}: ${read.message}`] };
  const result = loadScenarioText(read.text, { kinds, overrides });
  if (!result.ok) return { ok: false, lines: result.issues.map((i) => formatIssue(file, i)) };
  const s = result.scenario;
  if (s.variants !== undefined || s.sweep !== undefined) {
    const planned = planCells(result.resolved, s, { kinds, sweep: true });
    if (!planned.ok) return { ok: false, lines: planned.issues.map((i) => formatIssue(file, i)) };
  }
  return { ok: true, result };
}

/**
 * The scenario `run` executes: the base, or with `variant` the base with that variant's
 * overrides (validated as compare does), or why not (an unknown or needless name).
 */
export function pickVariant(
  loaded: LoadedFile,
  variant: string | undefined,
  kinds: readonly ComponentKind[],
): { scenario: Scenario; resolved: unknown } | { error: string } {
  const names = Object.keys(loaded.scenario.variants ?? {});
  if (variant === undefined) return { scenario: loaded.scenario, resolved: loaded.resolved };
  if (names.length === 0) return { error: `--variant ${variant}: the file has no variants` };
  if (!names.includes(variant))
    return { error: `--variant: no variant "${variant}" (variants: ${names.join(', ')})` };
  const planned = planCells(loaded.resolved, loaded.scenario, { kinds });
  const cell = planned.ok ? planned.cells.find((c) => c.variant === variant) : undefined;
  if (cell === undefined) return { error: `--variant ${variant}: the variant does not validate` };
  return { scenario: cell.scenario, resolved: cell.raw };
}
