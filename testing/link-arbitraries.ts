// fast-check arbitraries for a scenario's `links`: pairs of component ids and replica ids
// ('app0', 'app0[1]') drawn from the scenario's own components, so component links, replica
// links and both kinds for one pair (the replica one overriding) all occur.
import fc from 'fast-check';
import { durationDistArbitrary } from './arbitraries.ts';

/** The ids a link may name in `components`: each component, and each replica of a group. */
export function linkableIds(components: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const id of Object.keys(components).sort()) {
    ids.push(id);
    const replicas = (components[id] as { replicas?: number }).replicas ?? 1;
    for (let i = 0; replicas > 1 && i < replicas; i++) ids.push(`${id}[${i}]`);
  }
  return ids;
}

/** Up to `max` links between distinct ids of `components`, no pair twice. */
export function linksArbitrary(
  components: Record<string, unknown>,
  max = 6,
): fc.Arbitrary<Record<string, unknown>[]> {
  const ids = linkableIds(components);
  const link = fc.record({
    a: fc.integer({ min: 0, max: ids.length - 1 }),
    b: fc.integer({ min: 0, max: ids.length - 1 }),
    latency: durationDistArbitrary,
    loss: fc.constantFrom(0, 0, 0.001, 0.01),
  });
  return fc.array(link, { maxLength: max }).map((drawn) => {
    const seen = new Set<string>();
    const out: Record<string, unknown>[] = [];
    for (const l of drawn) {
      const a = ids[l.a]!;
      const b = ids[l.b]!;
      const key = a < b ? `${a} ${b}` : `${b} ${a}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      out.push({ between: [a, b], latency: l.latency, loss: l.loss });
    }
    return out;
  });
}
