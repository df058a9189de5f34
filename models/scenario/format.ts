import { z } from 'zod';
import type { ComponentKind } from '../core/component.ts';
import { duration, durationOrZero, positiveInt } from '../core/units.ts';
import { linkSchema } from '../net/network.ts';
import { COMPONENT_KINDS } from '../registry.ts';
import { timelineEventSchema } from './timeline.ts';

/** Run settings: how long, how much warm-up, how many replications, and budgets. */
export const runSchema = z.strictObject({
  duration: duration().describe('simulated time measured after warm-up'),
  warmup: durationOrZero().default(0).describe('simulated time run first and not measured'),
  replications: positiveInt(10_000).default(1),
  window: duration().default(1_000_000).describe('width of a time-series window'),
  maxEvents: positiveInt(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('event budget per replication'),
  maxWallSeconds: z.number().positive().optional().describe('wall-clock budget per replication'),
});

/** The component object for one kind: its own fields plus `type` and, if replicable, `replicas`. */
export function componentSchema(kind: ComponentKind) {
  const extra = kind.replicable
    ? { type: z.literal(kind.type), replicas: positiveInt(100_000).default(1) }
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
  return z.strictObject({
    $schema: z.string().optional(),
    version: z.literal(1, { error: 'expected version 1' }),
    name: z.string().min(1).max(200),
    description: z.string().max(10_000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    run: runSchema,
    components: z.record(idSchema, component),
    links: z.array(linkSchema).max(10_000).default([]),
    timeline: z.array(timelineEventSchema).max(10_000).default([]),
  });
}

/** A parsed, validated scenario. */
export type Scenario = z.output<ReturnType<typeof scenarioSchema>>;
