import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseJsonText } from '../../../models/scenario/json-text.ts';

describe('parseJsonText', () => {
  test('agrees with JSON.parse on valid documents', () => {
    const text = '\uFEFF{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"], "b": {"c": {}}, "d": []}';
    const r = parseJsonText(text);
    expect(r).toEqual({ ok: true, value: JSON.parse(text.slice(1)) });
  });

  test('syntax errors give line and column', () => {
    expect(parseJsonText('{\n  "a": 1,\n  "b" 2\n}')).toEqual({
      ok: false,
      issues: [
        {
          pointer: '',
          message: 'not valid JSON: line 3, column 7: expected ":" after a key, found "2"',
        },
      ],
    });
    expect(parseJsonText('{"a": 1} x')).toMatchObject({
      ok: false,
      issues: [{ message: expect.stringContaining('line 1, column 10') }],
    });
    expect(parseJsonText('"abc')).toMatchObject({
      ok: false,
      issues: [{ message: expect.stringContaining('unterminated string') }],
    });
    expect(parseJsonText('')).toMatchObject({
      ok: false,
      issues: [{ message: 'empty file: expected a JSON object' }],
    });
  });

  test('duplicate keys, forbidden keys and overflowing numbers are reported by pointer', () => {
    const r = parseJsonText(
      '{"c": {"x": 1, "x": 2}, "__proto__": {}, "a/b": {"prototype": 1}, "n": -1e400}',
    );
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          pointer: '/c/x',
          message: 'duplicate key "x" (each key, such as a component id, may appear once)',
        },
        { pointer: '/__proto__', message: 'the key "__proto__" is not allowed' },
        { pointer: '/a~1b/prototype', message: 'the key "prototype" is not allowed' },
        { pointer: '/n', message: 'the number -1e400 is out of range (must be finite)' },
      ],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('nesting is limited to 64 levels', () => {
    expect(parseJsonText(`${'['.repeat(64)}${']'.repeat(64)}`).ok).toBe(true);
    const r = parseJsonText(`${'['.repeat(65)}${']'.repeat(65)}`);
    expect(r).toMatchObject({ ok: false, issues: [{ message: 'nested deeper than 64 levels' }] });
  });
});

describe('parseJsonText is strict JSON', () => {
  test('comments, trailing commas and JavaScript words are refused with their place', () => {
    const cases: [string, string][] = [
      ['{"a": 1, // note\n"b": 2}', 'line 1, column 10: comments are not allowed in JSON'],
      ['{"a": [1, 2,]}', 'line 1, column 13: expected a value, found "]"'],
      ['{"a": 1,}', 'line 1, column 9: expected a quoted key, found "}"'],
      ['{"a": Infinity}', 'line 1, column 7: Infinity is not a JSON value'],
      ['{"a": NaN}', 'line 1, column 7: NaN is not a JSON value'],
      ['{"a": "x\ty"}', 'control character in a string'],
      ['{"a": "\\q"}', 'bad escape in a string'],
      ['{"a": 1}\n{"b": 2}', 'line 2, column 1: unexpected text after the end of the JSON value'],
    ];
    for (const [text, message] of cases) {
      const r = parseJsonText(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.issues.at(-1)!.message, text).toContain(message);
    }
  });

  test('agrees with JSON.parse on generated documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value, null, 1);
        const hasBadKey = /"(__proto__|constructor|prototype)":/.test(text);
        const r = parseJsonText(text);
        if (!hasBadKey) expect(r).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });
});
