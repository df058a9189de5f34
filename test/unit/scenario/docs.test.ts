import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SCHEMA_REF, scenarioJsonSchemaText } from '../../../models/scenario/json-schema.ts';
import {
  GENERATED_START,
  generatedReference,
  withGeneratedReference,
} from '../../../models/scenario/reference-docs.ts';
import { TEST_KINDS } from '../../helpers/test-kinds.ts';

describe('generated documentation cannot drift', () => {
  test('docs/scenario.schema.json equals the schema generated from the registry (npm run docs:format)', () => {
    expect(readFileSync('docs/scenario.schema.json', 'utf8')).toBe(scenarioJsonSchemaText());
  });

  test('docs/scenario-format.md holds the current generated reference (npm run docs:format)', () => {
    const doc = readFileSync('docs/scenario-format.md', 'utf8');
    expect(doc).toContain(GENERATED_START);
    expect(doc).toBe(withGeneratedReference(doc));
  });

  test('every shipped scenario names the schema', () => {
    let files: string[] = [];
    try {
      files = readdirSync('scenarios').filter((f) => f.endsWith('.json'));
    } catch {
      // scenarios/ arrives with the real component kinds
    }
    for (const f of files) {
      const json = JSON.parse(readFileSync(join('scenarios', f), 'utf8'));
      expect(Object.keys(json)[0], f).toBe('$schema');
      expect(json.$schema, f).toBe(SCHEMA_REF);
    }
  });

  test('component sections come from each kind: description, fields, units, defaults', () => {
    const ref = generatedReference(TEST_KINDS);
    expect(ref).toContain('### `test-server`');
    expect(ref).toContain('Test-only FIFO server with workers');
    expect(ref).toContain('| `workers` | integer 1–10000 | `1` | parallel workers |');
    expect(ref).toContain(
      '| `service` | duration or distribution | **required** | service time per job |',
    );
    expect(ref).toContain('| `rate` | rate | **required** | mean arrival rate |');
    expect(ref).toContain('| `replicas` | integer 1–100000 | `1` |');
  });

  test('the JSON Schema is strict and describes units as strings', () => {
    const schema = JSON.parse(scenarioJsonSchemaText(TEST_KINDS));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.run.properties.duration.type).toBe('string');
    const server = schema.properties.components.additionalProperties.oneOf.find(
      (o: { properties: { type: { const: string } } }) => o.properties.type.const === 'test-server',
    );
    expect(server.additionalProperties).toBe(false);
    expect(server.properties.replicas).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100000,
    });
  });
});
