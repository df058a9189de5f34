// The playground's editor logic without a browser: schema-driven proposals and hover text, the
// validator's pointers mapped to text ranges, and the share-link fragment round trip.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../models/scenario/json-schema.ts';
import { loadScenarioText } from '../../models/scenario/load.ts';
import { issueRange, lineOf } from '../../playground/positions.ts';
import {
  hoverText,
  propertyProposals,
  type Schema,
  valueProposals,
} from '../../playground/schema-nav.ts';
import { decodeFragment, encodeFragment } from '../../playground/share.ts';

const schema = scenarioJsonSchema() as Schema;
const checkout = readFileSync(new URL('../../scenarios/checkout.json', import.meta.url), 'utf8');
const labels = (xs: readonly { label: string }[]) => xs.map((x) => x.label);

describe('schema proposals', () => {
  const doc = JSON.parse(checkout);

  it('offers the top-level fields not yet present', () => {
    const got = labels(propertyProposals(schema, [], doc, Object.keys(doc)));
    expect(got).toContain('timeline');
    expect(got).not.toContain('components');
  });

  it('offers every component type as a value of "type"', () => {
    const got = labels(
      valueProposals(schema, ['components', 'lb', 'type'], { components: { lb: { type: 'x' } } }),
    );
    expect(got).toEqual(
      expect.arrayContaining(['"load-balancer"', '"app-server"', '"client.open"']),
    );
  });

  it('narrows a component to its type: a balancer gets algorithm names, not app-server fields', () => {
    const d = { components: { lb: { type: 'load-balancer' } } };
    const fields = labels(propertyProposals(schema, ['components', 'lb'], d, ['type']));
    expect(fields).toContain('algorithm');
    expect(fields).not.toContain('workers');
    const algos = labels(valueProposals(schema, ['components', 'lb', 'algorithm'], d));
    expect(algos).toEqual(expect.arrayContaining(['"round-robin"']));
    expect(algos.length).toBeGreaterThan(3);
  });

  it('hover shows the description from the schema', () => {
    const text = hoverText(schema, ['components', 'shoppers', 'target'], doc);
    expect(text).toContain('component the requests go to');
  });
});

describe('validator pointers to editor lines', () => {
  it('an unknown key is marked at its own line', () => {
    const text = checkout.replace('"warmup": "5s"', '"warmpu": "5s"');
    const r = loadScenarioText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.pointer)).toEqual(['/run/warmpu']);
    const range = issueRange(text, r.issues[0]!);
    expect(text.slice(range.from, range.to)).toBe('"warmpu"');
    expect(lineOf(text, range.from)).toBe(
      text.split('\n').findIndex((l) => l.includes('warmpu')) + 1,
    );
  });

  it('a bad value is marked at its key; a syntax error at its line and column', () => {
    const text = checkout.replace('"seed": 7', '"seed": -7');
    const r = loadScenarioText(text);
    if (r.ok) throw new Error('expected issues');
    const range = issueRange(text, r.issues[0]!);
    expect(text.slice(range.from, range.to)).toBe('"seed"');
    const broken = '{\n  "a": 1,\n}';
    const b = loadScenarioText(broken);
    if (b.ok) throw new Error('expected a syntax error');
    const at = issueRange(broken, b.issues[0]!);
    expect(lineOf(broken, at.from)).toBe(3);
  });
});

describe('share fragment', () => {
  it('round-trips scenario, seed and options with the version', () => {
    const state = {
      scenario: checkout,
      seed: 42,
      replications: 3,
      maxEvents: 1000,
      mode: 'run' as const,
    };
    const frag = encodeFragment(state, '0.1.0');
    expect(frag.length).toBeLessThan(checkout.length);
    expect(decodeFragment(`#${frag}`)).toEqual({ ok: true, version: '0.1.0', state });
  });

  it('says what is wrong with a damaged link', () => {
    expect(decodeFragment('#v=0.1.0&s=@@@')).toMatchObject({ ok: false });
    expect(decodeFragment('#nothing')).toMatchObject({
      ok: false,
      message: expect.stringContaining('no scenario'),
    });
  });
});
