import { z } from 'zod';
import {
  checkExperiment,
  experimentFields,
  experimentRunFields,
} from '../../experiments/format.ts';
import type { ComponentKind } from '../core/component.ts';
import { duration, durationOrZero, positiveInt } from '../core/units.ts';
import { linkSchema } from '../net/network.ts';
import { COMPONENT_KINDS } from '../registry.ts';
import { checkHeadline, reportSchema } from './headline-format.ts';
import { timelineEventSchema } from './timeline.ts';

/** Run settings: how long, how much warm-up, how many replications, and budgets. */
export const runSchema = z.strictObject({
  duration: duration().describe('simulated time measured after warm-up'),
  warmup: durationOrZero().default(0).describe('simulated time run first and not measured'),
  replications: positiveInt(10_000)
    .default(1)
    .describe('independent runs with derived seeds; results give mean and 95% confidence interval'),
  window: duration().default(1_000_000).describe('width of a time-series window'),
  maxEvents: positiveInt(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('event budget per replication'),
  maxWallSeconds: z
    .number({ error: 'expected a number of seconds' })
    .positive({ error: 'expected a number of seconds > 0' })
    .max(1e7)
    .optional()
    .describe('wall-clock budget per replication in seconds (results then depend on the machine)'),
});

/** The component object for one kind: its own fields plus `type` and, if replicable, `replicas`. */
export function componentSchema(kind: ComponentKind) {
  const extra = kind.replicable
    ? {
        type: z.literal(kind.type),
        replicas: positiveInt(100_000)
          .default(1)
          .describe('identical copies; address the group as "id" or one copy as "id[3]"'),
      }
    : { type: z.literal(kind.type) };
  return kind.schema.extend(extra).describe(kind.description);
}

/** Any component: a union over the registered kinds, chosen by `type`. */
export function anyComponentSchema(kinds: readonly ComponentKind[] = COMPONENT_KINDS) {
  const options = kinds.map(componentSchema);
  if (options.length === 0) return z.never();
  return z.discriminatedUnion('type', options as [z.ZodObject<any>, ...z.ZodObject<any>[]]);
}

const idSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, {
  error:
    'expected an id of letters, digits, "_", "." or "-", starting with a letter, at most 64 characters',
});

/** The whole scenario file. */
export function scenarioSchema(kinds: readonly ComponentKind[] = COMPONENT_KINDS) {
  const component = anyComponentSchema(kinds);
  return z
    .strictObject({
      $schema: z.string().optional().describe('path to the JSON Schema, for editors'),
      version: z.literal(1, { error: 'expected version 1' }).describe('format version; always 1'),
      name: z.string().min(1).max(200).describe('short name, shown in results and `stacksim list`'),
      description: z.string().max(10_000).optional().describe('what the scenario shows'),
      seed: z
        .number({ error: 'expected a whole number from 0 to 4294967295' })
        .int({ error: 'expected a whole number from 0 to 4294967295' })
        .min(0, { error: 'expected a whole number from 0 to 4294967295' })
        .max(2 ** 32 - 1, { error: 'expected a whole number from 0 to 4294967295' })
        .default(1)
        .describe('base seed; same file and seed give the same results'),
      run: runSchema
        .extend(experimentRunFields)
        .describe('how long to simulate, warm-up, replications and budgets'),
      components: z
        .record(idSchema, component)
        .describe('the stack: component id → {type, replicas?, …fields of that type}'),
      links: z
        .array(linkSchema)
        .max(10_000)
        .default([])
        .describe('network links between components'),
      timeline: z
        .array(timelineEventSchema)
        .max(10_000)
        .default([])
        .describe('faults and load changes at given times after warm-up'),
      report: reportSchema.optional(),
      ...experimentFields, // variants, baseline, sweep, capacity (experiments/format.ts)
    })
    .superRefine(checkExperiment)
    .superRefine(checkHeadline);
}

/** A parsed, validated scenario. */
export type Scenario = z.output<ReturnType<typeof scenarioSchema>>;
