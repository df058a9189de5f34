// Runs a fast-check property over generated scenarios; on failure writes the shrunk scenario as
// a file `stacksim run` accepts (test-output/failures/<name>-<seed>.json) and names it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';

/** Where failing scenarios are written (relative to the working directory). */
export const FAILURE_DIR = 'test-output/failures';

/** Writes a failing scenario file and returns its path; `note` goes into its description. */
export function writeFailure(name: string, seed: number, scenario: unknown, note: string): string {
  const dir = resolve(FAILURE_DIR);
  mkdirSync(dir, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  const file = join(dir, `${safe}-${seed}.json`);
  const obj = { ...(scenario as Record<string, unknown>), description: note.slice(0, 9_000) };
  writeFileSync(file, `${JSON.stringify(obj, null, 2)}\n`);
  return file;
}

/** Settings for {@link assertScenarioProperty}. */
export interface ScenarioPropertyOptions {
  readonly numRuns: number;
  readonly seed?: number;
  readonly path?: string;
}

/**
 * Like fc.assert over `arb`, but a failure writes the shrunk counterexample's scenario (picked
 * by `scenarioOf`) to test-output/failures and the thrown error names the file, the fast-check
 * seed and path, so `stacksim run FILE` or the same seed replays it.
 */
export function assertScenarioProperty<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  scenarioOf: (value: T) => unknown,
  predicate: (value: T) => void,
  options: ScenarioPropertyOptions,
): void {
  const envSeed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  const seed = options.seed ?? envSeed ?? Math.floor(Math.random() * 2 ** 31);
  const details = fc.check(
    fc.property(arb, (v) => {
      predicate(v);
    }),
    {
      numRuns: Number(process.env.FC_NUM_RUNS ?? options.numRuns),
      seed,
      ...(options.path === undefined ? {} : { path: options.path }),
    },
  );
  if (!details.failed || details.counterexample === null) return;
  const value = details.counterexample[0];
  const message = String(
    (details.errorInstance as Error | undefined)?.message ?? details.errorInstance,
  );
  const note = `${name}: fast-check seed ${seed} path ${details.counterexamplePath}: ${message}`;
  const file = writeFailure(name, seed, scenarioOf(value), note);
  throw new Error(
    `${note}\nshrunk scenario written to ${file}\nreplay: stacksim run ${file}   or FC_SEED=${seed}`,
  );
}
