import { FORBIDDEN_KEYS, type ScenarioIssue } from './issues.ts';
import { parseJsonText } from './json-text.ts';

/** One `--set path=value` override: a dotted path into the scenario and the raw text after '='. */
export interface Override {
  readonly path: string;
  readonly value: string;
}

/** Splits 'components.app.replicas=8' at the first '='; undefined when there is none. */
export function parseOverride(text: string): Override | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  return { path: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** The value of an override: JSON when the text parses as JSON, else the text as a string. */
export function overrideValue(text: string): { value: unknown } | { issue: string } {
  const parsed = parseJsonText(text);
  if (parsed.ok) return { value: parsed.value };
  const semantic = parsed.issues.find(
    (i) => i.pointer !== '' || !i.message.startsWith('not valid'),
  );
  if (semantic !== undefined && text.trim() !== '') {
    return {
      issue: `${semantic.pointer === '' ? '' : `${semantic.pointer}: `}${semantic.message}`,
    };
  }
  return { value: text };
}

/** A deep copy of a JSON value (objects, arrays, primitives). */
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out;
  }
  return value;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

/** Picks the next key: the longest run of segments that is an existing key (ids may hold '.'). */
function nextKey(node: Container, parts: readonly string[], from: number): number {
  if (!Array.isArray(node)) {
    for (let end = parts.length; end > from + 1; end--) {
      if (Object.hasOwn(node, parts.slice(from, end).join('.'))) return end;
    }
  }
  return from + 1;
}

/**
 * Applies overrides to a copy of a raw (unvalidated) scenario object, creating objects along
 * the path as needed. Returns the new object or one issue per bad override.
 */
export function applyOverrides(
  raw: unknown,
  overrides: readonly Override[],
): { ok: true; value: unknown } | { ok: false; issues: ScenarioIssue[] } {
  const root: unknown = cloneJson(raw);
  const issues: ScenarioIssue[] = [];
  for (const o of overrides) {
    const fail = (message: string) =>
      issues.push({ pointer: '', message: `--set ${o.path}=${o.value}: ${message}` });
    const parts = o.path.split('.');
    if (parts.some((p) => p === '')) {
      fail('the path has an empty part (write it like run.duration)');
      continue;
    }
    if (parts.some((p) => FORBIDDEN_KEYS.has(p))) {
      fail('the path uses a forbidden key');
      continue;
    }
    const parsed = overrideValue(o.value);
    if ('issue' in parsed) {
      fail(parsed.issue);
      continue;
    }
    if (!isContainer(root)) {
      fail('the scenario is not an object');
      continue;
    }
    let node: Container = root;
    let i = 0;
    for (;;) {
      const end = nextKey(node, parts, i);
      const key = parts.slice(i, end).join('.');
      const last = end === parts.length;
      if (Array.isArray(node)) {
        const index = Number(key);
        if (!/^\d+$/.test(key) || index >= node.length) {
          fail(`"${key}" is not an index of the array (0 to ${node.length - 1})`);
          break;
        }
        if (last) node[index] = parsed.value;
        else if (!isContainer(node[index])) node[index] = {};
        if (last) break;
        node = node[index] as Container;
      } else {
        if (last) {
          node[key] = parsed.value;
          break;
        }
        if (!isContainer(node[key])) node[key] = {};
        node = node[key] as Container;
      }
      i = end;
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: root };
}
