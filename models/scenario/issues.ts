/** One problem with a scenario: where (a JSON Pointer, '' for the whole file) and what. */
export interface ScenarioIssue {
  readonly pointer: string;
  readonly message: string;
}

/** Encodes a path as a JSON Pointer (RFC 6901): ['a/b', 0] → '/a~1b/0'. */
export function toPointer(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`;
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts issues by pointer then message (code-unit order) and drops exact duplicates. */
export function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const sorted = [...issues].sort(
    (a, b) => compare(a.pointer, b.pointer) || compare(a.message, b.message),
  );
  return sorted.filter(
    (x, i) =>
      i === 0 || x.pointer !== sorted[i - 1]!.pointer || x.message !== sorted[i - 1]!.message,
  );
}

// C0/C1 controls and bidi overrides: printed raw they could forge lines or colours on a terminal.
const unsafe = (code: number) =>
  code < 0x20 ||
  (code >= 0x7f && code <= 0x9f) ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);
const escapeUnsafe = (s: string) => {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    out += unsafe(code) ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
};

/** Formats an issue as one line: 'FILE: /pointer: message' (or 'FILE: message' at the root). */
export function formatIssue(file: string, issue: ScenarioIssue): string {
  const message = escapeUnsafe(issue.message);
  return issue.pointer === ''
    ? `${file}: ${message}`
    : `${file}: ${escapeUnsafe(issue.pointer)}: ${message}`;
}

/** Keys that could reach Object.prototype if copied naively; rejected anywhere in a scenario. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** Describes a JSON value for messages: 'a string "20"', 'the number -3', 'an object'. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}
