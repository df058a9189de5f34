// Reads untrusted scenario text with Microsoft's jsonc-parser (the playground's editor uses the
// same parser, so both report the same offsets), in strict JSON mode, adding the checks we need.
// The ES module build by path: the package's "main" is a UMD build that requires its own files at
// run time, which a bundle for Node cannot resolve.
import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser/lib/esm/main.js';
import { FORBIDDEN_KEYS, type ScenarioIssue, toPointer } from './issues.ts';

/** Deepest nesting of objects and arrays a scenario may use. */
export const MAX_NESTING = 64;

/** The outcome of parsing JSON text: the value, or every problem found. */
export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** Thrown from inside the visitor to stop at the first syntax error (or too deep a nesting). */
class Stop {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** What the parser expected, in words, for each error code jsonc-parser reports in strict mode. */
const EXPECTED: Readonly<Record<string, string>> = {
  InvalidSymbol: 'expected a value',
  InvalidNumberFormat: 'expected a number',
  PropertyNameExpected: 'expected a quoted key',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after a key',
  CommaExpected: 'expected "," or a closing bracket',
  CloseBraceExpected: 'expected "," or "}" in an object',
  CloseBracketExpected: 'expected "," or "]" in an array',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'a number ends too early',
  InvalidUnicode: 'bad \\u escape in a string',
  InvalidEscapeCharacter: 'bad escape in a string',
  InvalidCharacter: 'control character in a string (use \\n or \\t)',
};
const NO_FOUND = new Set([
  'EndOfFileExpected',
  'InvalidCommentToken',
  'UnexpectedEndOfComment',
  'UnexpectedEndOfString',
  'InvalidUnicode',
  'InvalidEscapeCharacter',
  'InvalidCharacter',
]);

function describeError(
  code: ParseErrorCode,
  text: string,
  offset: number,
  inside: 'object' | 'array' | undefined,
): string {
  let name = printParseErrorCode(code);
  if (name === 'CommaExpected' && inside === 'object') name = 'CloseBraceExpected';
  if (name === 'CommaExpected' && inside === 'array') name = 'CloseBracketExpected';
  const word = /^-?(NaN|Infinity|undefined)\b/.exec(text.slice(offset, offset + 10));
  if (name === 'InvalidSymbol' && word !== null) return `${word[0]} is not a JSON value`;
  const expected = EXPECTED[name] ?? name;
  if (NO_FOUND.has(name)) return expected;
  const found = offset >= text.length ? 'the end of the file' : JSON.stringify(text[offset]);
  return `${expected}, found ${found}`;
}

type Container =
  | { kind: 'object'; value: Record<string, unknown>; seen: Set<string>; key: string }
  | { kind: 'array'; value: unknown[] };

/**
 * Parses untrusted JSON text; never throws. Syntax errors come back with line and column (the
 * first one only: what follows it is guesswork); duplicate keys, the keys __proto__, constructor
 * and prototype, numbers that overflow to ±Infinity and nesting deeper than 64 come back by JSON
 * Pointer. Comments and trailing commas are refused: scenario files are plain JSON.
 */
export function parseJsonText(input: string): JsonParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.trim() === '') {
    return { ok: false, issues: [{ pointer: '', message: 'empty file: expected a JSON object' }] };
  }
  const issues: ScenarioIssue[] = [];
  const stack: Container[] = [];
  const path: (string | number)[] = [];
  let root: unknown;

  const childPath = (): (string | number)[] => {
    const top = stack[stack.length - 1];
    if (top === undefined) return [];
    return [...path, top.kind === 'object' ? top.key : top.value.length];
  };
  const place = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root = value;
      return;
    }
    if (top.kind === 'array') {
      top.value.push(value);
      return;
    }
    const key = top.key;
    const pointer = toPointer([...path, key]);
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push({ pointer, message: `the key "${key}" is not allowed` });
    } else if (top.seen.has(key)) {
      issues.push({
        pointer,
        message: `duplicate key "${key}" (each key, such as a component id, may appear once)`,
      });
    } else {
      top.seen.add(key);
      top.value[key] = value;
    }
  };
  const open = (container: Container): void => {
    if (stack.length >= MAX_NESTING) {
      issues.push({
        pointer: toPointer(childPath()),
        message: `nested deeper than ${MAX_NESTING} levels`,
      });
      throw new Stop('');
    }
    const top = stack[stack.length - 1];
    if (top !== undefined) path.push(top.kind === 'object' ? top.key : top.value.length);
    stack.push(container);
  };
  const close = (): void => {
    const done = stack.pop()!;
    if (stack.length > 0) path.pop();
    place(done.value);
  };

  try {
    visit(
      text,
      {
        onObjectBegin: () => open({ kind: 'object', value: {}, seen: new Set(), key: '' }),
        onObjectProperty: (property) => {
          (stack[stack.length - 1] as { key: string }).key = property;
        },
        onObjectEnd: close,
        onArrayBegin: () => open({ kind: 'array', value: [] }),
        onArrayEnd: close,
        onLiteralValue: (value: unknown, offset, length) => {
          if (typeof value === 'number' && !Number.isFinite(value)) {
            const literal = text.slice(offset, offset + length);
            issues.push({
              pointer: toPointer(childPath()),
              message: `the number ${literal} is out of range (must be finite)`,
            });
            place(0);
          } else place(value);
        },
        onError: (code, offset, _length, line, character) => {
          throw new Stop(
            `not valid JSON: line ${line + 1}, column ${character + 1}: ${describeError(code, text, offset, stack[stack.length - 1]?.kind)}`,
          );
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    if (error.message !== '') issues.push({ pointer: '', message: error.message });
    return { ok: false, issues };
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: root };
}
