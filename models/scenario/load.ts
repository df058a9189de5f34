import type { ComponentKind } from '../core/component.ts';
import { COMPONENT_KINDS } from '../registry.ts';
import { crossCheck } from './cross-check.ts';
import { type Scenario, scenarioSchema } from './format.ts';
import { type ScenarioIssue, sortIssues, toPointer } from './issues.ts';
import { parseJsonText } from './json-text.ts';
import { applyOverrides, type Override } from './overrides.ts';
import { fromZodIssues, scenarioErrorMap } from './zod-issues.ts';

/** Largest scenario file accepted, in bytes (the CLI checks the size before reading). */
export const MAX_SCENARIO_BYTES = 10 * 1024 * 1024;

/** A validated scenario, or every problem found (sorted by pointer). */
export type LoadResult =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      /** The input after overrides, in the file's own units (what scenario.resolved.json holds). */
      readonly resolved: unknown;
    }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** What to validate against and what to change first. */
export interface LoadOptions {
  /** Component kinds the format knows (default: the registry). */
  readonly kinds?: readonly ComponentKind[];
  /** `--set` overrides applied before validation. */
  readonly overrides?: readonly Override[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function unknownTypes(
  raw: Record<string, unknown>,
  kinds: readonly ComponentKind[],
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const components = raw.components;
  if (!isObject(components)) return issues;
  const known = kinds.map((k) => k.type);
  const listed = known.length === 0 ? '(none registered)' : known.join(', ');
  for (const [id, c] of Object.entries(components)) {
    if (!isObject(c)) continue;
    if (!Object.hasOwn(c, 'type')) {
      issues.push({
        pointer: toPointer(['components', id]),
        message: `missing "type"; known types: ${listed}`,
      });
    } else if (typeof c.type !== 'string' || !known.includes(c.type)) {
      issues.push({
        pointer: toPointer(['components', id, 'type']),
        message: `unknown component type ${JSON.stringify(c.type)}; known types: ${listed}`,
      });
    }
  }
  return issues;
}

/**
 * Validates a raw scenario object (already parsed from JSON): the zod schema assembled from
 * the component kinds, then cross-reference checks. Never throws for bad input.
 */
export function validateScenario(
  raw: unknown,
  kinds: readonly ComponentKind[] = COMPONENT_KINDS,
): { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] } {
  if (!isObject(raw)) {
    return {
      ok: false,
      issues: [{ pointer: '', message: 'expected a JSON object at the top level' }],
    };
  }
  const typeIssues = unknownTypes(raw, kinds);
  const badIds = new Set(typeIssues.map((i) => i.pointer.split('/')[2]));
  const parsed = scenarioSchema(kinds).safeParse(raw, { error: scenarioErrorMap });
  if (!parsed.success) {
    const issues = parsed.error.issues.filter(
      (i) => !(i.path[0] === 'components' && i.path.length >= 2 && badIds.has(String(i.path[1]))),
    );
    return { ok: false, issues: sortIssues([...typeIssues, ...fromZodIssues(issues, raw)]) };
  }
  if (typeIssues.length > 0) return { ok: false, issues: sortIssues(typeIssues) };
  const cross = crossCheck(parsed.data, kinds);
  if (cross.length > 0) return { ok: false, issues: sortIssues(cross) };
  return { ok: true, scenario: parsed.data };
}

/**
 * Loads a scenario from JSON text: strict parse (line/column, duplicate and forbidden keys,
 * nesting), overrides, schema and cross-reference checks. Never throws for bad input.
 */
export function loadScenarioText(text: string, options: LoadOptions = {}): LoadResult {
  if (text.length > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      issues: [{ pointer: '', message: `file is larger than ${MAX_SCENARIO_BYTES} bytes` }],
    };
  }
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, issues: sortIssues(json.issues) };
  let raw = json.value;
  if (options.overrides !== undefined && options.overrides.length > 0) {
    const applied = applyOverrides(raw, options.overrides);
    if (!applied.ok) return { ok: false, issues: sortIssues(applied.issues) };
    raw = applied.value;
  }
  const checked = validateScenario(raw, options.kinds ?? COMPONENT_KINDS);
  if (!checked.ok) return checked;
  return { ok: true, scenario: checked.scenario, resolved: raw };
}
