import { FORBIDDEN_KEYS, type ScenarioIssue, toPointer } from './issues.ts';

/** Deepest nesting of objects and arrays a scenario may use. */
export const MAX_NESTING = 64;

/** The outcome of parsing JSON text: the value, or every problem found. */
export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

class SyntaxFailure {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A strict JSON reader for untrusted scenario text. Unlike JSON.parse it reports syntax errors
 * with line and column, and reports (by JSON Pointer) duplicate keys, the keys __proto__,
 * constructor and prototype, numbers that overflow to Infinity, and nesting deeper than 64.
 */
class Reader {
  private pos = 0;
  readonly issues: ScenarioIssue[] = [];
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  parseDocument(): unknown {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipSpace();
    if (this.pos >= this.text.length) throw new SyntaxFailure('empty file: expected a JSON object');
    const value = this.value([], 0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON value');
    return value;
  }

  private fail(message: string): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        column = 1;
      } else column++;
    }
    throw new SyntaxFailure(`not valid JSON: line ${line}, column ${column}: ${message}`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  private found(): string {
    if (this.pos >= this.text.length) return 'the end of the file';
    return JSON.stringify(this.text[this.pos]);
  }

  private value(path: (string | number)[], depth: number): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (depth >= MAX_NESTING) {
        this.issues.push({
          pointer: toPointer(path),
          message: `nested deeper than ${MAX_NESTING} levels`,
        });
        throw new SyntaxFailure('');
      }
      return c === '{' ? this.object(path, depth + 1) : this.array(path, depth + 1);
    }
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(path);
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    if (/^(NaN|Infinity|-Infinity|undefined)/.test(this.text.slice(this.pos, this.pos + 9))) {
      this.fail(`${this.text.slice(this.pos).match(/^-?\w+/)![0]} is not a JSON value`);
    }
    return this.fail(`expected a value, found ${this.found()}`);
  }

  private object(path: (string | number)[], depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail(`expected a quoted key, found ${this.found()}`);
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`expected ":" after a key, found ${this.found()}`);
      this.pos++;
      const child = [...path, key];
      const v = this.value(child, depth);
      if (FORBIDDEN_KEYS.has(key)) {
        this.issues.push({ pointer: toPointer(child), message: `the key "${key}" is not allowed` });
      } else if (seen.has(key)) {
        this.issues.push({
          pointer: toPointer(child),
          message: `duplicate key "${key}" (each key, such as a component id, may appear once)`,
        });
      } else {
        seen.add(key);
        out[key] = v;
      }
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return out;
      if (c !== ',') {
        this.pos--;
        this.fail(`expected "," or "}" in an object, found ${this.found()}`);
      }
    }
  }

  private array(path: (string | number)[], depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value([...path, out.length], depth));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return out;
      if (c !== ',') {
        this.pos--;
        this.fail(`expected "," or "]" in an array, found ${this.found()}`);
      }
    }
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 32) this.fail('control character in a string (use \\n or \\t)');
      if (c === 92) {
        out += t.slice(start, this.pos);
        const e = t[this.pos + 1];
        if (e === 'u') {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape in a string');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.pos += 6;
        } else {
          const r = e === undefined ? undefined : ESCAPES[e];
          if (r === undefined) this.fail('bad escape in a string');
          out += r;
          this.pos += 2;
        }
        start = this.pos;
      } else this.pos++;
    }
  }

  private number(path: (string | number)[]): number {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) this.fail(`expected a number, found ${this.found()}`);
    this.pos += m[0].length;
    const v = Number(m[0]);
    if (!Number.isFinite(v)) {
      this.issues.push({
        pointer: toPointer(path),
        message: `the number ${m[0]} is out of range (must be finite)`,
      });
      return 0;
    }
    return v;
  }
}

/** Parses untrusted JSON text; never throws. Problems come back as issues with pointers. */
export function parseJsonText(text: string): JsonParseResult {
  const reader = new Reader(text);
  try {
    const value = reader.parseDocument();
    if (reader.issues.length > 0) return { ok: false, issues: reader.issues };
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error;
    const issues = [...reader.issues];
    if (error.message !== '') issues.push({ pointer: '', message: error.message });
    return { ok: false, issues };
  }
}
