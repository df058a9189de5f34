import { z } from 'zod';
import type { ComponentKind } from '../core/component.ts';
import { nameShorthands } from '../core/shorthand.ts';
import { COMPONENT_KINDS } from '../registry.ts';
import { scenarioSchema } from './format.ts';

/** Where scenario files find the schema (relative to scenarios/). */
export const SCHEMA_REF = '../docs/scenario.schema.json';

/**
 * Adds what z.toJSONSchema cannot see to one node: a bare-name shorthand (z.preprocess) becomes
 * `anyOf: [names, the object forms]`, so editors accept `"algorithm": "round-robin"` as the CLI
 * does; a constant (a discriminator) gets a description naming the form it selects.
 */
function override(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  // a discriminator (`type`, `name`, `dist`, `process`, `kind`) says which form it selects
  if (ctx.jsonSchema.const !== undefined && ctx.jsonSchema.description === undefined)
    ctx.jsonSchema.description = `selects this form: ${JSON.stringify(ctx.jsonSchema.const)}`;
  const shorthand = nameShorthands.get(ctx.zodSchema as z.ZodType);
  if (shorthand === undefined) return;
  const objects = { ...ctx.jsonSchema };
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  ctx.jsonSchema.anyOf = [
    {
      type: 'string',
      enum: [...shorthand.names],
      description: 'a name alone, for the algorithm with its defaults',
    },
    { ...objects, description: 'the name with options' },
  ];
}

/** The JSON Schema of scenario files (input side: human units as strings), for editors. */
export function scenarioJsonSchema(
  kinds: readonly ComponentKind[] = COMPONENT_KINDS,
): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema(kinds), {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => override(ctx as never),
  });
  return {
    ...schema,
    title: 'stacksim scenario',
    description:
      'A stacksim scenario: components, links, timeline and run settings (docs/scenario-format.md).',
  };
}

/** The JSON Schema as the text committed in docs/scenario.schema.json. */
export function scenarioJsonSchemaText(kinds: readonly ComponentKind[] = COMPONENT_KINDS): string {
  return `${JSON.stringify(scenarioJsonSchema(kinds), null, 2)}\n`;
}
