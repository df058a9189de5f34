// The knob test's view of a scenario file: every leaf (and every optional object) with a
// schema-level name ("pattern") shared by all places the same field appears, and the
// perturbations the test tries on it.

/** A step into a JSON value: an object key or an array index. */
export type Seg = string | number;

/** One place in one scenario: where it is, its value, and the field it is an instance of. */
export interface Site {
  readonly path: readonly Seg[];
  readonly value: unknown;
  /** The field, e.g. `app-server:routes[].steps[].cpu(lognormal).cv` or `run.duration`. */
  readonly pattern: string;
  /** 'leaf' for a primitive value; 'object' for an object or array that may be dropped. */
  readonly kind: 'leaf' | 'object';
}

/**
 * Keys whose string value says which variant of an object this is; the object's segment is
 * qualified with it, so `burst` of a token bucket and `burst` of a leaky meter are two fields.
 */
const DISCRIMINATORS = ['dist', 'process', 'algorithm', 'name', 'kind', 'action', 'metric'];
/** `name` discriminates only algorithm objects (elsewhere it is a label). */
const NAMED = new Set(['algorithm', 'fallback']);

/** Object keys chosen by the user (store ids, variant names, swept paths): one field for all. */
const USER_KEYED = new Set(['pools', 'variants', 'sweep']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function discriminator(v: unknown, seg: Seg): string | undefined {
  if (!isObject(v)) return undefined;
  for (const k of DISCRIMINATORS) {
    if (k === 'name' && !NAMED.has(String(seg))) continue;
    if (typeof v[k] === 'string') return `${k}=${v[k] as string}`;
  }
  return undefined;
}

function qualifier(child: unknown, seg: Seg, next: Seg | undefined): string {
  const d = discriminator(child, seg);
  if (d === undefined) return '';
  // the discriminator leaf itself is named without the qualifier (`cpu.dist`, not `cpu(dist=…).dist`)
  if (next !== undefined && d.startsWith(`${String(next)}=`)) return '';
  return `(${d.slice(d.indexOf('=') + 1)})`;
}

/** The field a path is an instance of (component ids become their type; indices become []). */
export function patternOf(root: unknown, path: readonly Seg[]): string {
  let node: unknown = root;
  let out = '';
  let i = 0;
  if (path[0] === 'components' && path.length >= 2 && isObject(root)) {
    const c = (root.components as Json)[path[1] as string];
    out = `${isObject(c) ? String(c.type) : '?'}:`;
    node = c;
    i = 2;
  }
  let userKeyed = false;
  for (; i < path.length; i++) {
    const seg = path[i]!;
    const child = (node as Record<Seg, unknown>)[seg];
    const q = qualifier(child, seg, path[i + 1]);
    if (typeof seg === 'number') out += `[]${q}`;
    else if (userKeyed) out += `.*${q}`;
    else out += `${out === '' || out.endsWith(':') ? '' : '.'}${seg}${q}`;
    userKeyed = typeof seg === 'string' && USER_KEYED.has(seg) && isObject(child);
    node = child;
  }
  return out;
}

/** Every primitive leaf and every object/array held by an object key, in document order. */
export function sites(root: unknown): Site[] {
  const out: Site[] = [];
  const walk = (v: unknown, path: Seg[], parentIsObject: boolean) => {
    if (v !== null && typeof v === 'object') {
      // objects held by a key (not array elements, not whole components) may be dropped
      const isComponent = path.length === 2 && path[0] === 'components';
      if (parentIsObject && path.length > 1 && !isComponent) {
        out.push({ path, value: v, pattern: `${patternOf(root, path)} (drop)`, kind: 'object' });
      }
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) walk(x, [...path, i], false);
      } else for (const [k, x] of Object.entries(v)) walk(x, [...path, k], true);
      return;
    }
    out.push({ path, value: v, pattern: patternOf(root, path), kind: 'leaf' });
  };
  walk(root, [], false);
  return out;
}

/** A deep copy of `root` with the value at `path` replaced (or deleted when `drop`). */
export function withValue(
  root: unknown,
  path: readonly Seg[],
  value: unknown,
  drop = false,
): unknown {
  const copy = structuredClone(root) as Record<Seg, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<Seg, unknown>;
  const last = path[path.length - 1]!;
  if (drop) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

/** The value at `path`. */
export function valueAt(root: unknown, path: readonly Seg[]): unknown {
  let node = root as Record<Seg, unknown>;
  for (const seg of path) node = node[seg] as Record<Seg, unknown>;
  return node;
}

const QUANTITY = /^(\d+(?:\.\d+)?)(\s*[A-Za-z%/µ][A-Za-z%/µ0-9]*)$/;

const fmt = (x: number) => String(Number(x.toPrecision(12)));

/**
 * Numeric perturbations in the order tried: double, halve (integers: floor, then +1); a zero
 * becomes 1 (or 10 of its unit). Values equal to the original are left out.
 */
export function numericCandidates(value: number | string): (number | string)[] {
  let n: number;
  let unit = '';
  if (typeof value === 'number') n = value;
  else {
    const m = QUANTITY.exec(value.trim());
    if (m === null) return [];
    n = Number(m[1]);
    unit = m[2]!;
  }
  const raw =
    n === 0
      ? [1, 10, 0.5]
      : Number.isInteger(n) && typeof value === 'number'
        ? [2 * n, Math.floor(n / 2), n + 1]
        : [2 * n, n / 2];
  const seen = new Set<string>();
  const out: (number | string)[] = [];
  for (const x of raw) {
    const v = typeof value === 'number' ? x : `${fmt(x)}${unit}`;
    const key = String(v);
    if (x === n || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** Whether a string is a quantity with a unit ("20ms", "200/s", "2KB", "0.1%"). */
export const isQuantity = (v: string): boolean => QUANTITY.test(v.trim());

/** The allowed values listed by a validation message (`… one of "a", "b", …`), if any. */
export function enumFromMessage(message: string): string[] | undefined {
  const at = message.indexOf('one of ');
  if (at < 0) return undefined;
  const rest = message.slice(at + 'one of '.length);
  const values: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"(,\s*|$|\s)/y;
  let m = re.exec(rest);
  while (m !== null) {
    values.push(JSON.parse(`"${m[1]!}"`) as string);
    if (!m[2]!.startsWith(',')) break;
    m = re.exec(rest);
  }
  return values.length > 0 ? values : undefined;
}
