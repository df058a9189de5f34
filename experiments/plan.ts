import type { ComponentKind } from '../models/core/component.ts';
import type { Scenario } from '../models/scenario/format.ts';
import { type ScenarioIssue, toPointer } from '../models/scenario/issues.ts';
import { validateScenario } from '../models/scenario/load.ts';
import { applyOverrides, cloneJson } from '../models/scenario/overrides.ts';
import { parseQuantity } from './quantity.ts';

/** One cell of an experiment: a sweep point (maybe none) × a variant (maybe none), validated. */
export interface Cell {
  readonly index: number;
  /** Stable text naming the cell, e.g. 'components.app.replicas=4 | variant=p2c'. */
  readonly key: string;
  /** Swept parameter → value at this point, in file units (empty without a sweep). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly variant?: string;
  readonly scenario: Scenario;
  /** The cell's raw scenario (file units) with the experiment fields removed. */
  readonly raw: unknown;
}

/** A validated cell, or the problems found, with pointers into the original file. */
export type CellsResult = { ok: true; cells: Cell[] } | { ok: false; issues: ScenarioIssue[] };

/** The values of one sweep entry: the list as given, or a linear/log range in the `from` unit. */
export function sweepValues(spec: unknown): unknown[] {
  if (Array.isArray(spec)) return spec;
  const r = spec as { from: unknown; to: unknown; steps: number; scale?: 'linear' | 'log' };
  const from = parseQuantity(r.from);
  const to = parseQuantity(r.to);
  if (from === undefined || to === undefined || from.unit !== to.unit) {
    throw new RangeError('from and to must be quantities of the same unit');
  }
  const log = r.scale === 'log';
  if (log && !(from.value > 0 && to.value > 0))
    throw new RangeError('a log range needs from, to > 0');
  const out: unknown[] = [];
  for (let i = 0; i < r.steps; i++) {
    const t = i / (r.steps - 1);
    const v = log
      ? from.value * (to.value / from.value) ** t
      : from.value + (to.value - from.value) * t;
    out.push(from.format(i === r.steps - 1 ? to.value : v));
  }
  return out;
}

/** The full grid of a sweep in deterministic order: the first parameter varies slowest. */
export function sweepGrid(
  sweep: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown>[] {
  let grid: Record<string, unknown>[] = [{}];
  for (const [path, spec] of Object.entries(sweep ?? {})) {
    const values = sweepValues(spec);
    grid = grid.flatMap((point) => values.map((v) => ({ ...point, [path]: v })));
  }
  return grid;
}

const EXPERIMENT_KEYS = ['variants', 'baseline', 'sweep', 'capacity'];

/** The base scenario without its experiment fields (what each cell starts from). */
export function baseRaw(raw: unknown): Record<string, unknown> {
  const copy = cloneJson(raw) as Record<string, unknown>;
  for (const k of EXPERIMENT_KEYS) delete copy[k];
  return copy;
}

/**
 * Applies dotted-path overrides (values as JSON) to a raw scenario and validates the result.
 * Problems are reported at `pointer` with the inner pointer in the message.
 */
export function resolveOverrides(
  raw: unknown,
  overrides: Readonly<Record<string, unknown>>,
  pointer: string,
  kinds?: readonly ComponentKind[],
): { ok: true; scenario: Scenario; raw: unknown } | { ok: false; issues: ScenarioIssue[] } {
  const applied = applyOverrides(
    raw,
    Object.entries(overrides).map(([path, value]) => ({ path, value: JSON.stringify(value) })),
  );
  const wrap = (issues: readonly ScenarioIssue[]) =>
    issues.map((i) => ({
      pointer,
      message: i.pointer === '' ? i.message : `${i.pointer}: ${i.message}`,
    }));
  if (!applied.ok) return { ok: false, issues: wrap(applied.issues) };
  const checked = validateScenario(applied.value, kinds);
  if (!checked.ok) return { ok: false, issues: wrap(checked.issues) };
  return { ok: true, scenario: checked.scenario, raw: applied.value };
}

/** Options for planning cells. */
export interface PlanOptions {
  readonly kinds?: readonly ComponentKind[];
  /** Expand the `sweep` grid (compare ignores it; sweep uses it). */
  readonly sweep?: boolean;
  /** Expand `variants` (default true; capacity searches use the base scenario only). */
  readonly variants?: boolean;
  /** Extra fixed overrides for every cell (capacity probes set their parameter here). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Expands a loaded scenario (raw, file units, after --set) into validated cells: every sweep
 * point (if asked) × every variant (if any), point-major, variants in file order.
 */
export function planCells(
  raw: unknown,
  scenario: Scenario,
  options: PlanOptions = {},
): CellsResult {
  const base = baseRaw(raw);
  let grid: Record<string, unknown>[];
  try {
    grid = options.sweep === true ? sweepGrid(scenario.sweep) : [{}];
  } catch (e) {
    return { ok: false, issues: [{ pointer: '/sweep', message: (e as Error).message }] };
  }
  const variants: [string | undefined, Record<string, unknown>][] =
    scenario.variants === undefined || options.variants === false
      ? [[undefined, {}]]
      : Object.entries(scenario.variants);
  const cells: Cell[] = [];
  const issues: ScenarioIssue[] = [];
  for (const point of grid) {
    for (const [name, overrides] of variants) {
      const pointer = name === undefined ? '/sweep' : toPointer(['variants', name]);
      const all = { ...point, ...(options.extra ?? {}), ...overrides };
      const r = resolveOverrides(base, all, pointer, options.kinds);
      if (!r.ok) {
        const where =
          Object.keys(point).length > 0 ? `at sweep point ${JSON.stringify(point)}: ` : '';
        issues.push(...r.issues.map((i) => ({ pointer: i.pointer, message: where + i.message })));
        continue;
      }
      const parts = Object.entries(point).map(
        ([p, v]) => `${p}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
      );
      if (name !== undefined) parts.push(`variant=${name}`);
      cells.push({
        index: cells.length,
        key: parts.join(' | '),
        params: point,
        ...(name === undefined ? {} : { variant: name }),
        scenario: r.scenario,
        raw: r.raw,
      });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, cells };
}
