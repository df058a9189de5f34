// The editor sees what the CLI sees: the exported JSON Schema, checked by a standard validator
// (ajv, draft 2020-12), accepts every bundled scenario and good fixture, rejects every fixture
// that is bad by shape, gives every field a description, and agrees with the CLI on shorthands
// and unit strings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { COMPONENT_KINDS } from '../../models/registry.ts';
import { scenarioJsonSchema } from '../../models/scenario/json-schema.ts';
import { loadScenarioText } from '../../models/scenario/load.ts';
import { REPO_ROOT } from '../helpers/reference.ts';
import { TEST_KINDS } from '../helpers/test-kinds.ts';

// strict: unknown keywords and ambiguous schemas are errors; union types ("number or string")
// are legitimate here (sweep values).
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const shipped = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/scenario.schema.json'), 'utf8'));
const validateShipped = ajv.compile(shipped);
// the fixtures use the test-only kinds, which the test build of the CLI registers
const validateWithTestKinds = ajv.compile(scenarioJsonSchema([...COMPONENT_KINDS, ...TEST_KINDS]));

const jsonFiles = (dir: string) =>
  readdirSync(join(REPO_ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const errorsOf = (v: { errors?: unknown }) => JSON.stringify(v.errors ?? []).slice(0, 800);

/**
 * Bad fixtures that are bad by something other than shape, so a JSON Schema cannot see it:
 * not JSON at all, duplicate keys (JSON.parse keeps the last), or cross-references and run
 * size that only the CLI's second pass checks.
 */
const NOT_SHAPE: Readonly<Record<string, string>> = {
  'binary.json': 'not JSON',
  'empty.json': 'not JSON',
  'nan-literal.json': 'not JSON',
  'not-json.json': 'not JSON',
  'trailing-comma.json': 'not JSON',
  'whitespace-only.json': 'not JSON',
  'yaml-instead.json': 'not JSON',
  'duplicate-ids.json': 'duplicate keys, invisible after parsing',
  'dangling-references.json': 'cross-reference',
  'replica-references.json': 'cross-reference',
  'routing-cycle.json': 'cross-reference',
  'self-loop.json': 'cross-reference',
  'event-explosion.json': 'run size',
};

describe('every valid file validates against the JSON Schema', () => {
  test.each(jsonFiles('scenarios'))('%s', (file) => {
    const ok = validateShipped(JSON.parse(read(file)));
    expect(ok, errorsOf(validateShipped)).toBe(true);
  });

  test.each(jsonFiles('test/fixtures/good'))('%s', (file) => {
    const ok = validateWithTestKinds(JSON.parse(read(file)));
    expect(ok, errorsOf(validateWithTestKinds)).toBe(true);
  });
});

describe('every file bad by shape is rejected', () => {
  const bad = jsonFiles('test/fixtures/bad');
  test('the list of files the schema cannot judge names only existing files', () => {
    const names = bad.map((f) => f.split('/').pop());
    for (const name of Object.keys(NOT_SHAPE)) expect(names).toContain(name);
  });

  test.each(bad.filter((f) => !Object.hasOwn(NOT_SHAPE, f.split('/').pop()!)))('%s', (file) => {
    expect(validateWithTestKinds(JSON.parse(read(file)))).toBe(false);
  });
});

/** Every property schema in `schema` without a description, by JSON pointer. */
function undescribed(schema: unknown): string[] {
  const missing: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${at}/${i}`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const props = (node as { properties?: unknown }).properties;
    if (props !== null && typeof props === 'object' && !Array.isArray(props))
      for (const [key, sub] of Object.entries(props))
        if (typeof (sub as { description?: unknown }).description !== 'string')
          missing.push(`${at}/properties/${key}`);
    for (const [key, sub] of Object.entries(node)) walk(sub, `${at}/${key}`);
  };
  walk(schema, '#');
  return missing;
}

describe('descriptions', () => {
  test('the check finds a missing description', () => {
    expect(undescribed({ properties: { a: { type: 'string' } } })).toEqual(['#/properties/a']);
  });

  test('every field of the schema has a description', () => {
    expect(undescribed(shipped)).toEqual([]);
  });
});

/** A small valid scenario with one field replaced, as text. */
function quickstartWith(edit: (s: Record<string, any>) => void): Record<string, any> {
  const s = JSON.parse(read('scenarios/quickstart.json'));
  edit(s);
  return s;
}

describe('the schema and the CLI agree', () => {
  const cli = (s: unknown) => loadScenarioText(JSON.stringify(s), { kinds: COMPONENT_KINDS }).ok;
  const editor = (s: unknown) => validateShipped(s) === true;
  const lb = JSON.parse(read('scenarios/lb-compare.json'));
  const withAlgorithm = (algorithm: unknown) => {
    const s = structuredClone(lb);
    delete s.variants;
    delete s.baseline;
    s.components.lb.algorithm = algorithm;
    return s;
  };

  test.each([
    ['round-robin', true],
    ['sticky', true],
    [{ name: 'power-of-d-choices', choices: 3 }, true],
    [{ name: 'sticky', fallback: 'least-connections' }, true],
    ['p2c', false],
    [{ name: 'p2c' }, false],
  ])('algorithm %j: both say %s', (algorithm, valid) => {
    const s = withAlgorithm(algorithm);
    expect(cli(s)).toBe(valid);
    expect(editor(s), errorsOf(validateShipped)).toBe(valid);
  });

  test.each([
    ['20ms', true],
    ['1.5s', true],
    ['250us', true],
    ['20msec', false],
    ['20 ms', false],
    [' 20ms', false],
    ['ms', false],
  ])('duration %j: both say %s', (text, valid) => {
    const s = quickstartWith((q) => {
      q.run.duration = text;
    });
    expect(cli(s)).toBe(valid);
    expect(editor(s)).toBe(valid);
  });

  test.each([
    ['800/s', true],
    ['5k/min', true],
    ['800 /s', false],
    ['800/sec', false],
  ])('rate %j: both say %s', (text, valid) => {
    const s = quickstartWith((q) => {
      q.components.users.arrival.rate = text;
    });
    expect(cli(s)).toBe(valid);
    expect(editor(s)).toBe(valid);
  });
});
