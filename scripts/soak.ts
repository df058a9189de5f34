// npm run soak -- --minutes N [--seed S] [--max-requests R]
// Runs generated scenarios (testing/arbitraries.ts) through every invariant until the time is
// up; reports cases run, crashes and violations; each failure is written to
// test-output/failures/ as a scenario file `stacksim run` accepts.
import fc from 'fast-check';
import { scenarioArbitrary } from '../testing/arbitraries.ts';
import { scenarioViolations } from '../testing/invariants.ts';
import { writeFailure } from '../testing/replay.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const minutes = opt('minutes', 1);
const baseSeed = opt('seed', Date.now() % 2 ** 31);
const arb = scenarioArbitrary({ maxRequests: opt('max-requests', 3000) });
const deadline = performance.now() + minutes * 60_000;
let cases = 0;
let crashes = 0;
let violations = 0;
let withLimiters = 0;
const byInvariant = new Map<string, number>();
for (let batch = 0; performance.now() < deadline; batch++) {
  const seed = (baseSeed + batch) % 2 ** 31;
  for (const [i, g] of fc.sample(arb, { numRuns: 20, seed }).entries()) {
    if (performance.now() >= deadline) break;
    cases++;
    if (g.features.rateLimiter || g.features.rateLimitGate) withLimiters++;
    try {
      const v = scenarioViolations(g.scenario);
      if (v.length > 0) {
        violations++;
        for (const x of v) byInvariant.set(x.invariant, (byInvariant.get(x.invariant) ?? 0) + 1);
        const file = writeFailure(`soak-${i}`, seed, g.scenario, JSON.stringify(v));
        process.stderr.write(`violation: ${JSON.stringify(v).slice(0, 300)}\n  -> ${file}\n`);
      }
    } catch (error) {
      crashes++;
      const file = writeFailure(`soak-crash-${i}`, seed, g.scenario, String(error));
      process.stderr.write(`crash: ${(error as Error).stack ?? error}\n  -> ${file}\n`);
    }
  }
}
const report = {
  minutes,
  seed: baseSeed,
  cases,
  withLimiters,
  crashes,
  violations,
  byInvariant: Object.fromEntries(byInvariant),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exitCode = crashes + violations > 0 ? 1 : 0;
