// Random mutations of a valid scenario file (for fuzzing the loader and the CLI).
import fc from 'fast-check';

type Json = unknown;

/** One mutation: what to do and where (a node index taken modulo the node count). */
export interface Mutation {
  readonly kind: 'delete' | 'replace' | 'rename-key' | 'swap-ids';
  readonly node: number;
  readonly value: Json;
}

const HOSTILE_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  'a\u0000b\u001b[31m',
  '\u202eevil',
  'x'.repeat(10_000),
  '',
  '1e400',
  '-5s',
  '0/s',
  'NaN',
];

/** Values to put in place of a node: wrong types, huge and non-finite numbers, hostile strings. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, 1e-300, 4294967296, 1e15),
  fc.constantFrom(null, true, false, [], {}, [[[[]]]], { __proto__: null, polluted: 1 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A list of 1–4 mutations. */
export const mutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    kind: fc.constantFrom('delete', 'replace', 'replace', 'rename-key', 'swap-ids'),
    node: fc.nat(),
    value: hostileValue,
  }) as fc.Arbitrary<Mutation>,
  { minLength: 1, maxLength: 4 },
);

interface Slot {
  readonly parent: Record<string, Json> | Json[];
  readonly key: string | number;
}

function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i });
        stack.push(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v as Record<string, Json>, key: k });
        stack.push(x);
      }
    }
  }
  return out;
}

/** Applies mutations to a deep copy of `scenario` and returns the mutated JSON text. */
export function mutate(scenario: Json, mutations: readonly Mutation[]): string {
  const root = structuredClone(scenario) as Record<string, Json>;
  for (const m of mutations) {
    const all = slots(root);
    if (all.length === 0) break;
    const s = all[m.node % all.length]!;
    const { parent, key } = s;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (m.kind === 'replace') {
      (parent as Record<string | number, Json>)[key] = m.value;
    } else if (m.kind === 'rename-key' && !Array.isArray(parent)) {
      const name = typeof m.value === 'string' ? m.value : JSON.stringify(m.value);
      const v = parent[key as string];
      delete parent[key as string];
      Object.defineProperty(parent, name, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (m.kind === 'swap-ids') {
      const comps = root.components as Record<string, Json> | undefined;
      const ids = comps !== null && typeof comps === 'object' ? Object.keys(comps) : [];
      if (ids.length >= 2) {
        const a = ids[m.node % ids.length]!;
        const b = ids[(m.node + 1) % ids.length]!;
        const text = JSON.stringify(root).replaceAll(`"${a}"`, '"\u0000tmp"');
        const swapped = text.replaceAll(`"${b}"`, `"${a}"`).replaceAll('"\\u0000tmp"', `"${b}"`);
        return swapped;
      }
    }
  }
  return JSON.stringify(root);
}
