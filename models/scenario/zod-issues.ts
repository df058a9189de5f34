import type { z } from 'zod';
import { describeValue, type ScenarioIssue, toPointer } from './issues.ts';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  tuple: 'an array',
  record: 'an object',
  literal: 'a fixed value',
};

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/**
 * The error map used when validating scenarios: plain-English messages for zod's default
 * issues. Messages set by the schemas themselves (units, ids) take precedence over these.
 */
export function scenarioErrorMap(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined)
        return `missing required field (expected ${TYPE_NAMES[iss.expected] ?? iss.expected})`;
      return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}`;
    case 'unrecognized_keys':
      return `unknown key${iss.keys.length > 1 ? 's' : ''} ${list(iss.keys)}`;
    case 'invalid_value':
      return iss.values.length === 1
        ? `expected ${list(iss.values)}`
        : `expected one of ${list(iss.values)}`;
    case 'too_small':
      if (iss.origin === 'array') return `expected at least ${iss.minimum} items`;
      if (iss.origin === 'string') {
        return iss.minimum === 1
          ? 'expected a non-empty string'
          : `expected at least ${iss.minimum} characters`;
      }
      return `expected a number ${iss.inclusive ? '>=' : '>'} ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'array') return `expected at most ${iss.maximum} items`;
      if (iss.origin === 'string') return `expected at most ${iss.maximum} characters`;
      return `expected a number ${iss.inclusive ? '<=' : '<'} ${iss.maximum}`;
    case 'invalid_union':
      if (iss.discriminator !== undefined && iss.options !== undefined) {
        return `expected "${iss.discriminator}" to be one of ${list(iss.options as unknown[])}`;
      }
      return undefined;
    case 'invalid_format':
      return iss.format === 'regex' ? `does not match the pattern ${iss.pattern}` : undefined;
    default:
      return undefined;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) {
      return { found: false, value: undefined };
    }
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: cur };
}

function flatten(issue: z.core.$ZodIssue, into: z.core.$ZodIssue[]): void {
  // A union with no matching member: report the closest member's problems when there is one.
  if (
    issue.code === 'invalid_union' &&
    issue.errors.length > 0 &&
    issue.discriminator === undefined
  ) {
    // Prefer a member that accepted the input's JSON type (its problems are the useful ones).
    const wrongType = (e: readonly z.core.$ZodIssue[]) =>
      e.length === 1 && e[0]!.code === 'invalid_type' && e[0]!.path.length === 0 ? 1 : 0;
    const best = [...issue.errors].sort(
      (a, b) => wrongType(a) - wrongType(b) || a.length - b.length,
    )[0]!;
    for (const inner of best) flatten({ ...inner, path: [...issue.path, ...inner.path] }, into);
    return;
  }
  if (issue.code === 'invalid_key') {
    for (const inner of issue.issues)
      flatten({ ...inner, path: [...issue.path, ...inner.path] }, into);
    return;
  }
  into.push(issue);
}

/** Turns zod issues into pointer issues, adding ', got …' with the offending input value. */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): ScenarioIssue[] {
  const flat: z.core.$ZodIssue[] = [];
  for (const issue of issues) flatten(issue, flat);
  const out: ScenarioIssue[] = [];
  for (const issue of flat) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ pointer: toPointer([...issue.path, key]), message: `unknown key "${key}"` });
      }
      continue;
    }
    let message = issue.message;
    const at = valueAt(input, issue.path);
    if (
      at.found &&
      !message.includes('got ') &&
      (at.value === null || typeof at.value !== 'object')
    ) {
      message += `, got ${describeValue(at.value)}`;
    }
    out.push({ pointer: toPointer(issue.path), message });
  }
  return out;
}
