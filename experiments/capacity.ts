import type { z } from 'zod';
import type { ComponentKind } from '../models/core/component.ts';
import type { RunResult } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';
import type { capacitySchema } from './format.ts';
import type { Experiment } from './job.ts';
import { estimate, metricOf } from './metrics.ts';
import { planCells } from './plan.ts';
import { parseQuantity, thresholdValue } from './quantity.ts';
import { runCells } from './replicate.ts';

/** A parsed `capacity` block. */
export type CapacitySpec = z.output<typeof capacitySchema>;

/** One objective checked at one probe point. */
export interface ObjectiveCheck {
  readonly component: string;
  readonly metric: string;
  readonly max: number;
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
  readonly pass: boolean;
}

/** One probe of the search: the parameter value (number in its unit, and as written) and the verdict. */
export interface CapacityProbe {
  readonly value: number;
  readonly text: number | string;
  readonly pass: boolean;
  readonly objectives: readonly ObjectiveCheck[];
}

/**
 * The answer, read along the search direction (upward from `from` for seek 'max', downward
 * from `to` for seek 'min'): `lastPass` is the answer (the passing value nearest the threshold),
 * `firstFail` the failing value next to it. For 'max' the bracket is [lastPass, firstFail], for
 * 'min' [firstFail, lastPass].
 */
export interface CapacityResult {
  readonly parameter: string;
  readonly unit: string;
  readonly seek: 'max' | 'min';
  /** Whether the search ran over integers (midpoints rounded down). */
  readonly integer: boolean;
  /** null when the end that must pass fails: no value in the range meets the objective. */
  readonly lastPass: number | null;
  /** null when the whole range passes (the answer is the far end of the range). */
  readonly firstFail: number | null;
  readonly lastPassText: number | string | null;
  readonly firstFailText: number | string | null;
  /** True when |firstFail − lastPass| <= tolerance (or an end of the range decided it). */
  readonly converged: boolean;
  readonly probes: readonly CapacityProbe[];
}

/** Runs the replications for one parameter value (file units) and returns their results. */
export type CapacityEvaluate = (value: number | string) => Experiment<readonly RunResult[]>;

/** Checks every objective on a probe's replications ('mean' or 'upper' 95% bound against max). */
export function checkObjectives(spec: CapacitySpec, runs: readonly RunResult[]): ObjectiveCheck[] {
  return spec.objective.map((o) => {
    const max = thresholdValue(o.max) ?? Number.NaN;
    const values = runs
      .map((r) => metricOf(r, o.component, o.metric))
      .filter((v): v is number => v !== undefined);
    if (values.length === 0) {
      return {
        component: o.component,
        metric: o.metric,
        max,
        mean: null,
        lower: null,
        upper: null,
        n: 0,
        pass: false,
      };
    }
    const e = estimate(values);
    const judged = spec.criterion === 'upper' ? (e.upper ?? e.mean) : e.mean;
    return {
      component: o.component,
      metric: o.metric,
      max,
      mean: e.mean,
      lower: e.lower,
      upper: e.upper,
      n: e.n,
      pass: judged <= max,
    };
  });
}

/** Whether the search runs over integers: `integer` if set, else plain-number integer bounds and tolerance. */
export function isIntegerSearch(spec: CapacitySpec): boolean {
  if (spec.integer !== undefined) return spec.integer;
  const ends = [spec.from, spec.to, spec.tolerance];
  return ends.every((v) => typeof v === 'number' && Number.isInteger(v));
}

/**
 * Bisection over [from, to] for the largest (seek 'max', objectives get worse as the value
 * grows) or the smallest (seek 'min', objectives get better as it grows) value whose
 * replications meet every objective. Probes the end that must pass (`from` for 'max', `to` for
 * 'min'), then the other end, then midpoints until the bracket is no wider than the tolerance.
 * Integer searches probe only integers and stop at a bracket of width max(1, tolerance).
 */
export function* capacitySearch(
  spec: CapacitySpec,
  evaluate: CapacityEvaluate,
): Experiment<CapacityResult> {
  const from = parseQuantity(spec.from);
  const to = parseQuantity(spec.to);
  const tol = parseQuantity(spec.tolerance);
  if (from === undefined || to === undefined || tol === undefined)
    throw new RangeError('capacity: bad quantity');
  if (from.unit !== to.unit || (tol.unit !== from.unit && tol.unit !== 'number')) {
    throw new RangeError('capacity: from, to and tolerance must use the same unit');
  }
  if (!(from.value < to.value)) throw new RangeError('capacity: from must be less than to');
  const seek = spec.seek;
  const integer = isIntegerSearch(spec);
  if (integer && !(Number.isInteger(from.value) && Number.isInteger(to.value)))
    throw new RangeError('capacity: an integer search needs integer from and to');
  const width = integer ? Math.max(1, tol.value) : tol.value;
  const probes: CapacityProbe[] = [];
  const probe = function* (value: number): Experiment<CapacityProbe> {
    const text = from.format(value);
    const objectives = checkObjectives(spec, yield* evaluate(text));
    const p = {
      value: parseQuantity(text)?.value ?? value,
      text,
      pass: objectives.every((o) => o.pass),
      objectives,
    };
    probes.push(p);
    return p;
  };
  const result = (
    pass: CapacityProbe | null,
    fail: CapacityProbe | null,
    converged: boolean,
  ): CapacityResult => ({
    parameter: spec.parameter,
    unit: from.unit,
    seek,
    integer,
    lastPass: pass?.value ?? null,
    firstFail: fail?.value ?? null,
    lastPassText: pass?.text ?? null,
    firstFailText: fail?.text ?? null,
    converged,
    probes,
  });
  const [near, far] = seek === 'max' ? [from, to] : [to, from];
  let pass = yield* probe(near.value);
  if (!pass.pass) return result(null, pass, true);
  let fail = yield* probe(far.value);
  if (fail.pass) return result(fail, null, true);
  for (let i = 0; i < 64 && Math.abs(fail.value - pass.value) > width; i++) {
    const sum = pass.value + fail.value;
    const mid = integer ? Math.floor(sum / 2) : sum / 2;
    const text = from.format(mid);
    if (text === pass.text || text === fail.text) break; // the unit's resolution is reached
    const p = yield* probe(mid);
    if (p.pass) pass = p;
    else fail = p;
  }
  return result(pass, fail, Math.abs(fail.value - pass.value) <= width);
}

/**
 * The evaluator used by the CLI: the base scenario (variants ignored) with the parameter set to
 * the probed value, `spec.replications` replications (same seeds at every probe).
 */
export function capacityEvaluator(
  raw: unknown,
  scenario: Scenario,
  kinds?: readonly ComponentKind[],
): CapacityEvaluate {
  const spec = scenario.capacity;
  if (spec === undefined) throw new RangeError('the scenario has no capacity block');
  return function* (text) {
    const planned = planCells(raw, scenario, {
      variants: false,
      extra: { [spec.parameter]: text },
      ...(kinds === undefined ? {} : { kinds }),
    });
    if (!planned.ok) {
      const first = planned.issues[0]!;
      throw new RangeError(`capacity probe ${String(text)}: ${first.pointer} ${first.message}`);
    }
    const run = yield* runCells(planned.cells, { replications: spec.replications });
    return run.cells[0]!.outputs.map((o) => o.result);
  };
}
