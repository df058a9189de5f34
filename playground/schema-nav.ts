// Walks the scenario JSON Schema (generated from the zod schemas the validator uses) along a
// path of the document being edited: what fields an object may have, which values a field may
// take, and what the schema says about it. Branches (oneOf/anyOf/allOf) are narrowed by the
// document's own const-valued fields, so a component with "type": "load-balancer" is offered
// the balancer's fields and algorithms, not every kind's.

/** A JSON Schema node (the subset the scenario schema uses). */
export type Schema = Readonly<Record<string, unknown>>;

/** A completion proposal: the text to insert and what the schema says about it. */
export interface Proposal {
  readonly label: string;
  readonly detail?: string;
  readonly info?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function deref(root: Schema, s: Schema, seen: Set<Schema>): Schema | undefined {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = isObject(node) ? node[part] : undefined;
  if (!isObject(node) || seen.has(node)) return undefined;
  seen.add(node);
  return deref(root, node, seen);
}

/** The schema and its branches (through $ref, oneOf, anyOf, allOf), flattened. */
export function expand(root: Schema, s: Schema): Schema[] {
  const out: Schema[] = [];
  const visit = (node: Schema, depth: number) => {
    const d = deref(root, node, new Set());
    if (d === undefined || depth > 16) return;
    const branches = [d.oneOf, d.anyOf, d.allOf].filter(Array.isArray).flat() as Schema[];
    if (branches.length === 0 || d.properties !== undefined || d.type !== undefined) out.push(d);
    for (const b of branches) if (isObject(b)) visit(b, depth + 1);
  };
  visit(s, 0);
  return out;
}

function constOf(root: Schema, s: unknown): unknown {
  if (!isObject(s)) return undefined;
  for (const e of expand(root, s)) {
    if (e.const !== undefined) return e.const;
    if (Array.isArray(e.enum) && e.enum.length === 1) return e.enum[0];
  }
  return undefined;
}

/** Keeps the branches whose const fields agree with `value` (all of them if none would). */
export function narrow(root: Schema, candidates: readonly Schema[], value: unknown): Schema[] {
  if (!isObject(value)) return [...candidates];
  const kept = candidates.filter((c) => {
    const props = isObject(c.properties) ? c.properties : {};
    return Object.entries(props).every(([k, p]) => {
      const want = constOf(root, p);
      return want === undefined || value[k] === undefined || value[k] === want;
    });
  });
  return kept.length === 0 ? [...candidates] : kept;
}

function childOf(value: unknown, seg: string | number): unknown {
  if (Array.isArray(value) && typeof seg === 'number') return value[seg];
  return isObject(value) ? value[String(seg)] : undefined;
}

/** The candidate schemas of the value at `path` in `doc` (narrowed by the document). */
export function schemasAt(
  root: Schema,
  path: readonly (string | number)[],
  doc: unknown,
): Schema[] {
  let value = doc;
  let cands = narrow(root, expand(root, root), value);
  for (const seg of path) {
    const next: Schema[] = [];
    for (const c of cands) {
      let child: unknown;
      if (typeof seg === 'number') child = c.items;
      else if (isObject(c.properties) && isObject(c.properties[seg])) child = c.properties[seg];
      else if (isObject(c.additionalProperties)) child = c.additionalProperties;
      if (isObject(child)) next.push(...expand(root, child));
    }
    value = childOf(value, seg);
    cands = narrow(root, next, value);
    if (cands.length === 0) return [];
  }
  return cands;
}

function typeLabel(root: Schema, s: Schema): string | undefined {
  const types = new Set<string>();
  for (const e of expand(root, s)) {
    if (e.const !== undefined) types.add(JSON.stringify(e.const));
    else if (typeof e.type === 'string') types.add(e.type);
  }
  const list = [...types];
  return list.length === 0
    ? undefined
    : list.slice(0, 6).join(' | ') + (list.length > 6 ? ' | …' : '');
}

/** The first description found on the schema or its branches. */
export function descriptionOf(root: Schema, s: Schema): string | undefined {
  if (typeof s.description === 'string') return s.description;
  for (const e of expand(root, s)) if (typeof e.description === 'string') return e.description;
  return undefined;
}

/** Field names an object at `path` may have, minus those already `present`. */
export function propertyProposals(
  root: Schema,
  path: readonly (string | number)[],
  doc: unknown,
  present: readonly string[],
): Proposal[] {
  const out = new Map<string, Proposal>();
  for (const c of schemasAt(root, path, doc)) {
    if (!isObject(c.properties)) continue;
    const required = Array.isArray(c.required) ? (c.required as string[]) : [];
    for (const [name, p] of Object.entries(c.properties)) {
      if (present.includes(name) || out.has(name) || name === '$schema' || !isObject(p)) continue;
      const type = typeLabel(root, p);
      const info = descriptionOf(root, p);
      out.set(name, {
        label: name,
        ...(type === undefined
          ? {}
          : { detail: required.includes(name) ? `${type} (required)` : type }),
        ...(info === undefined ? {} : { info }),
      });
    }
  }
  return [...out.values()];
}

/** Values the field at `path` may take: consts (component types, algorithm names) and enums. */
export function valueProposals(
  root: Schema,
  path: readonly (string | number)[],
  doc: unknown,
): Proposal[] {
  // narrowing by the field's own current value would hide the alternatives: look from the parent
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parentDoc = structuredCloneLite(doc, parentPath, last);
  const out = new Map<string, Proposal>();
  for (const c of schemasAt(root, path, parentDoc)) {
    const values: unknown[] =
      c.const !== undefined ? [c.const] : Array.isArray(c.enum) ? [...c.enum] : [];
    if (c.type === 'boolean') values.push(true, false);
    // balancer algorithms may be written as their bare name ("least-connections")
    const named = isObject(c.properties) ? constOf(root, c.properties.name) : undefined;
    if (c.type === 'object' && typeof named === 'string') values.push(named);
    for (const v of values) {
      const label = JSON.stringify(v);
      if (out.has(label)) continue;
      const info = typeof c.description === 'string' ? c.description : undefined;
      out.set(label, { label, ...(info === undefined ? {} : { info }) });
    }
  }
  return [...out.values()];
}

// The document with the value at parentPath/last removed (so it does not narrow its own choices).
function structuredCloneLite(
  doc: unknown,
  parentPath: readonly (string | number)[],
  last: unknown,
) {
  if (last === undefined) return doc;
  const copy = (v: unknown, depth: number): unknown => {
    if (depth === parentPath.length) {
      if (!isObject(v)) return v;
      const { [String(last)]: _drop, ...rest } = v;
      return rest;
    }
    const seg = parentPath[depth]!;
    if (Array.isArray(v) && typeof seg === 'number')
      return v.map((x, i) => (i === seg ? copy(x, depth + 1) : x));
    if (isObject(v)) return { ...v, [String(seg)]: copy(v[String(seg)], depth + 1) };
    return v;
  };
  return copy(doc, 0);
}

/** Hover text for the field at `path`: its description, type and allowed values. */
export function hoverText(
  root: Schema,
  path: readonly (string | number)[],
  doc: unknown,
): string | undefined {
  if (path.length === 0) return descriptionOf(root, root);
  const cands = schemasAt(root, path, structuredCloneLite(doc, path.slice(0, -1), path.at(-1)));
  if (cands.length === 0) return undefined;
  const description = cands.map((c) => descriptionOf(root, c)).find((d) => d !== undefined);
  const name = String(path[path.length - 1]);
  const type = [...new Set(cands.map((c) => typeLabel(root, c)).filter((t) => t !== undefined))];
  const lines = [`${name}: ${type.slice(0, 6).join(' | ') || 'any'}`];
  if (description !== undefined) lines.push(description);
  return lines.join('\n');
}
