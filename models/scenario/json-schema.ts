import { z } from 'zod';
import type { ComponentKind } from '../core/component.ts';
import { COMPONENT_KINDS } from '../registry.ts';
import { scenarioSchema } from './format.ts';

/** Where scenario files find the schema (relative to scenarios/). */
export const SCHEMA_REF = '../docs/scenario.schema.json';

/** The JSON Schema of scenario files (input side: human units as strings), for editors. */
export function scenarioJsonSchema(
  kinds: readonly ComponentKind[] = COMPONENT_KINDS,
): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema(kinds), { io: 'input', unrepresentable: 'any' });
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
