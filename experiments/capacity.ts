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

/** The answer: the largest value known to pass and the smallest known to fail, with every probe. */
export interface CapacityResult {
  readonly parameter: string;
  readonly unit: string;
  /** [lastPass, firstFail]; null when `from` already fails / `to` still passes. */
  readonly lastPass: number | null;
  readonly firstFail: number | null;
  readonly lastPassText: number | string | null;
  readonly firstFailText: number | string | null;
  /** True when firstFail − lastPass <= tolerance (or an end of the range decided it). */
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

/**
 * Bisection for the largest parameter value whose replications meet every objective, assuming
 * the objectives get worse as the value grows. Probes `from`, then `to`, then midpoints until
 * the bracket [last passing, first failing] is no wider than the tolerance.
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
    lo: CapacityProbe | null,
    hi: CapacityProbe | null,
    converged: boolean,
  ): CapacityResult => ({
    parameter: spec.parameter,
    unit: from.unit,
    lastPass: lo?.value ?? null,
    firstFail: hi?.value ?? null,
    lastPassText: lo?.text ?? null,
    firstFailText: hi?.text ?? null,
    converged,
    probes,
  });
  let lo = yield* probe(from.value);
  if (!lo.pass) return result(null, lo, true);
  let hi = yield* probe(to.value);
  if (hi.pass) return result(hi, null, true);
  for (let i = 0; i < 64 && hi.value - lo.value > tol.value; i++) {
    const mid = (lo.value + hi.value) / 2;
    const text = from.format(mid);
    if (text === lo.text || text === hi.text) break; // the unit's resolution is reached
    const p = yield* probe(mid);
    if (p.pass) lo = p;
    else hi = p;
  }
  return result(lo, hi, hi.value - lo.value <= tol.value);
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
