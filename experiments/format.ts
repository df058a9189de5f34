import { z } from 'zod';
import { parseQuantity } from './quantity.ts';

// The experiment fields of a scenario file (docs/experiments.md). models/scenario/format.ts
// merges these into the scenario schema; this file imports nothing from models/scenario.

const nameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, {
  error: 'expected a name of letters, digits, "_", "." or "-", starting with a letter',
});

const quantity = (what: string) =>
  z
    .union([z.number(), z.string()])
    .refine((v) => parseQuantity(v) !== undefined, {
      error: `expected ${what}: a number or a value with a unit, like "800/s", "20ms", "10KB", "0.1%"`,
    })
    .describe(`${what}: a number or a value with a unit`);

/** A swept parameter's values: an explicit list, or `steps` evenly spaced values from..to. */
export const sweepValuesSchema = z.union([
  z.array(z.json()).min(1).max(10_000),
  z.strictObject({
    from: quantity('the first value'),
    to: quantity('the last value'),
    steps: z.number().int().min(2).max(10_000).describe('number of values, ends included'),
    scale: z.enum(['linear', 'log']).default('linear').describe('spacing of the values'),
  }),
]);

/** One capacity objective: `metric` of `component` (mean over replications) must stay <= max. */
export const objectiveSchema = z.strictObject({
  component: nameSchema.describe('component id whose metric is checked (usually the client)'),
  metric: z
    .string()
    .min(1)
    .describe(
      'metric name as in results ("latency.p99", "errorRatio" = (5xx + timeouts)/completions)',
    ),
  max: quantity('the largest allowed value').describe('"200ms", "0.1%", or a number'),
});

/** Capacity search: bisection over one numeric parameter for the largest or smallest value meeting every objective. */
export const capacitySchema = z.strictObject({
  parameter: z.string().min(1).describe('dotted path of the parameter, e.g. components.users.rate'),
  seek: z
    .enum(['max', 'min'])
    .default('max')
    .describe(
      "'max': the largest passing value (a load: more is worse, from must pass); 'min': the smallest (a resource such as replicas: more is better, to must pass)",
    ),
  from: quantity('the low end').describe("the low end (must pass for seek 'max')"),
  to: quantity('the high end').describe("the high end (must pass for seek 'min')"),
  objective: z
    .array(objectiveSchema)
    .min(1)
    .max(100)
    .describe('every objective must hold for a value to pass'),
  tolerance: quantity('the tolerance').describe(
    'stop when the bracket [passing, failing] is no wider than this (1 for an exact integer answer)',
  ),
  integer: z
    .boolean()
    .optional()
    .describe(
      'bisect over integers (replicas, workers); default: true when from, to and tolerance are plain integers',
    ),
  replications: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(5)
    .describe('replications per probed value'),
  criterion: z
    .enum(['mean', 'upper'])
    .default('mean')
    .describe('pass on the mean, or (stricter) on the upper 95% bound'),
});

/** Fields added to `run`: a precision target for the replication count and automatic warm-up. */
export const experimentRunFields = {
  precision: z
    .strictObject({
      component: nameSchema.describe('component id whose metric is watched'),
      metric: z.string().min(1).describe('metric name, e.g. latency.p99'),
      relHalfWidth: z.number().gt(0).lt(1).describe('target 95% half-width / |mean|'),
      minReplications: z
        .number()
        .int()
        .min(2)
        .max(10_000)
        .default(3)
        .describe('replications before the target is first checked'),
      maxReplications: z
        .number()
        .int()
        .min(2)
        .max(10_000)
        .default(50)
        .describe('stop here even if the target is not met'),
    })
    .optional()
    .describe('run replications until the 95% CI is this narrow (replaces run.replications)'),
  autoWarmup: z
    .union([
      z.literal(true),
      z.strictObject({
        component: nameSchema.optional().describe('default: the entry component'),
        metric: z
          .enum(['latency', 'throughput'])
          .default('latency')
          .describe('the per-window series MSER-5 is run on'),
      }),
    ])
    .optional()
    .describe('choose the warm-up by MSER-5 on a pilot run of warmup + duration'),
};

/** Top-level experiment fields: variants (with a baseline), a sweep grid and a capacity search. */
export const experimentFields = {
  variants: z
    .record(nameSchema, z.record(z.string().min(1), z.json()))
    .optional()
    .describe('named alternatives: variant name → {dotted path: value}'),
  baseline: nameSchema
    .optional()
    .describe('the variant others are compared to (default: the first)'),
  sweep: z
    .record(z.string().min(1), sweepValuesSchema)
    .optional()
    .describe('dotted path → values; the full grid is run, first parameter slowest'),
  capacity: capacitySchema
    .optional()
    .describe(
      'capacity search: bisect one parameter against objectives (stacksim sweep --capacity)',
    ),
};

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

/**
 * Whether a dotted path names an existing value of a (parsed) scenario. Ids may contain '.',
 * so at each level the longest run of segments that is a key is taken, as overrides do.
 */
export function pathExists(root: unknown, path: string): boolean {
  const parts = path.split('.');
  let node: unknown = root;
  let i = 0;
  while (i < parts.length) {
    if (!isContainer(node)) return false;
    let end = i + 1;
    if (!Array.isArray(node)) {
      for (let e = parts.length; e > i; e--) {
        if (Object.hasOwn(node, parts.slice(i, e).join('.'))) {
          end = e;
          break;
        }
      }
    }
    const key = parts.slice(i, end).join('.');
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(key) || Number(key) >= node.length) return false;
      node = node[Number(key)];
    } else {
      if (!Object.hasOwn(node, key)) return false;
      node = node[key];
    }
    i = end;
  }
  return true;
}

const MISSING =
  'no such field in this scenario; set it in the base scenario to vary it (paths look like components.lb.algorithm)';

/** Cross-field checks of the experiment fields: override paths exist, baseline names a variant. */
export function checkExperiment(scenario: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const variants = scenario.variants as Record<string, Record<string, unknown>> | undefined;
  for (const [name, overrides] of Object.entries(variants ?? {})) {
    for (const path of Object.keys(overrides)) {
      if (!pathExists(scenario, path))
        ctx.addIssue({ code: 'custom', path: ['variants', name, path], message: MISSING });
    }
  }
  const baseline = scenario.baseline as string | undefined;
  if (baseline !== undefined && !Object.hasOwn(variants ?? {}, baseline)) {
    const names = Object.keys(variants ?? {}).join(', ');
    ctx.addIssue({
      code: 'custom',
      path: ['baseline'],
      message: `"${baseline}" is not a variant (variants: ${names === '' ? 'none' : names})`,
    });
  }
  for (const path of Object.keys((scenario.sweep as object | undefined) ?? {})) {
    if (!pathExists(scenario, path))
      ctx.addIssue({ code: 'custom', path: ['sweep', path], message: MISSING });
  }
  const capacity = scenario.capacity as
    | { parameter: string; from: unknown; to: unknown; tolerance: unknown; integer?: boolean }
    | undefined;
  if (capacity === undefined) return;
  if (!pathExists(scenario, capacity.parameter)) {
    ctx.addIssue({ code: 'custom', path: ['capacity', 'parameter'], message: MISSING });
  }
  const [from, to, tol] = [capacity.from, capacity.to, capacity.tolerance].map(parseQuantity);
  if (from !== undefined && to !== undefined && from.unit !== to.unit) {
    ctx.addIssue({
      code: 'custom',
      path: ['capacity', 'to'],
      message: `expected the same unit as "from" (${from.unit})`,
    });
  } else if (from !== undefined && to !== undefined && !(from.value < to.value)) {
    ctx.addIssue({
      code: 'custom',
      path: ['capacity', 'to'],
      message: 'expected a value greater than "from"',
    });
  }
  if (capacity.integer === true) {
    for (const key of ['from', 'to'] as const) {
      const q = key === 'from' ? from : to;
      if (q !== undefined && !Number.isInteger(q.value))
        ctx.addIssue({
          code: 'custom',
          path: ['capacity', key],
          message: 'expected an integer (capacity.integer is true)',
        });
    }
  }
  if (from !== undefined && tol !== undefined && tol.unit !== from.unit && tol.unit !== 'number') {
    ctx.addIssue({
      code: 'custom',
      path: ['capacity', 'tolerance'],
      message: `expected the unit of "from" (${from.unit}) or a plain number`,
    });
  }
}
