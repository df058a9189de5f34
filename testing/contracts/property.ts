import fc from 'fast-check';

/** The verdict on one contract property: pass, or the (shrunk) counterexample and the error. */
export type PropertyVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly counterexample: string; readonly message: string };

/** One property of a family's contract: its sentence and how to check it. */
export interface ContractProperty {
  readonly name: string;
  check(): PropertyVerdict;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks a fast-check property with a fixed seed (reproducible) and returns the shrunk
 * counterexample on failure.
 */
export function checkProperty<T>(
  arb: fc.Arbitrary<T>,
  predicate: (v: T) => void,
  numRuns: number,
): PropertyVerdict {
  const result = fc.check(
    fc.property(arb, (v) => {
      predicate(v);
    }),
    { numRuns, seed: 42 },
  );
  if (!result.failed) return { ok: true };
  return {
    ok: false,
    counterexample:
      result.counterexample === null ? '(none)' : fc.stringify(result.counterexample[0]),
    message: messageOf(result.errorInstance),
  };
}

/** Checks a deterministic example (no generated input): the counterexample is `example`. */
export function checkExample(example: string, body: () => void): PropertyVerdict {
  try {
    body();
    return { ok: true };
  } catch (error) {
    return { ok: false, counterexample: example, message: messageOf(error) };
  }
}

/** Throws an Error with `message` unless `condition` holds (contracts run outside vitest). */
export function ensure(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** A 64-bit-ish FNV hash of a list of numbers, as hex (the determinism fingerprint). */
export function fingerprintOf(values: readonly (number | string | boolean)[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const v of values) {
    const s = String(v);
    for (let i = 0; i < s.length; i++) {
      h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193);
      h2 = Math.imul(h2 ^ s.charCodeAt(i), 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ 44, 0x01000193);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
