import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';
import { hash32, hashOnSchema, requestHash } from '../hashing.ts';

/** Whether n is prime (trial division; table sizes are small). */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Config of Maglev hashing (Eisenbud et al., NSDI 2016; Envoy MAGLEV). */
export const maglevSchema = z.strictObject({
  name: z.literal('maglev'),
  on: hashOnSchema,
  tableSize: z
    .number()
    .int()
    .min(3)
    .max(5_000_011)
    .refine(isPrime, { error: 'expected a prime table size (Envoy default 65537)' })
    .default(65_537)
    .describe('lookup table entries, a prime (Envoy default 65537)'),
});
/** Parsed Maglev config. */
export type MaglevConfig = z.output<typeof maglevSchema>;

/**
 * Builds a Maglev lookup table over the eligible backends: each fills its preferred slots in turn
 * along its permutation (offset + j × skip) mod M. Weights are ignored (Maglev's base form).
 */
export function buildMaglevTable(view: BackendView, size: number): Int32Array {
  const e = view.eligible;
  const table = new Int32Array(size).fill(-1);
  if (e.length === 0) return table;
  const offset = e.map((i) => hash32(`${view.name(i)}#offset`) % size);
  const skip = e.map((i) => (hash32(`${view.name(i)}#skip`) % (size - 1)) + 1);
  const next = new Array<number>(e.length).fill(0);
  let filled = 0;
  while (filled < size) {
    for (let k = 0; k < e.length && filled < size; k++) {
      let slot = (offset[k]! + next[k]! * skip[k]!) % size;
      while (table[slot] !== -1) {
        next[k]!++;
        slot = (offset[k]! + next[k]! * skip[k]!) % size;
      }
      table[slot] = e[k]!;
      next[k]!++;
      filled++;
    }
  }
  return table;
}

/**
 * Maglev hashing: one table lookup per pick (O(1)); the table is rebuilt when the eligible set
 * changes, with minimal disruption to keys of backends that stayed.
 */
export function maglev(config: Omit<MaglevConfig, 'name'>): Balancer {
  let table: Int32Array = new Int32Array(0);
  let builtFor: readonly number[] | undefined;
  return {
    name: 'maglev',
    cost: 'O(1)',
    pick(view, req) {
      if (view.eligible.length === 0) return -1;
      if (builtFor !== view.eligible) {
        table = buildMaglevTable(view, config.tableSize);
        builtFor = view.eligible;
      }
      return table[requestHash(req, config.on) % config.tableSize]!;
    },
  };
}
