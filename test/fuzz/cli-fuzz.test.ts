import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scenarioArbitrary } from '../../testing/arbitraries.ts';
import { cliInProcess } from '../../testing/cli-in-process.ts';
import { mutate, mutationsArbitrary } from '../../testing/mutations.ts';

// Mutated valid scenarios through the CLI entry (in-process): every outcome is a success, a
// validation error (exit 2, one "FILE: /pointer: message" line each, no stack trace) or a
// budget stop (exit 3); never an exception, and Object.prototype is never modified.

const dir = mkdtempSync(join(tmpdir(), 'stacksim-fuzz-'));
const shipped = readdirSync('scenarios')
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join('scenarios', f), 'utf8')) as unknown);
const generated = fc
  .sample(scenarioArbitrary({ maxRequests: 300 }), { numRuns: 20, seed: 5 })
  .map((g) => g.scenario);
const bases = [...shipped, ...generated];
const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

let cases = 0;
const outcomes = new Map<number, number>();

describe('fuzzing the CLI with mutated scenarios', () => {
  test('never crashes: exit 0, 2 (pointer lines) or 3 (budget)', async () => {
    const before = protoKeys();
    await fc.assert(
      fc.asyncProperty(fc.nat(bases.length - 1), mutationsArbitrary, async (b, muts) => {
        const file = join(dir, `case-${cases++}.json`);
        writeFileSync(file, mutate(bases[b], muts));
        const r = await cliInProcess([
          'run',
          file,
          '--quiet',
          '--replications',
          '1',
          '--set',
          'run.maxEvents=20000',
        ]);
        outcomes.set(r.code, (outcomes.get(r.code) ?? 0) + 1);
        expect([0, 2, 3]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        if (r.code === 2) {
          const lines = r.stderr.trim().split('\n');
          for (const line of lines) expect(line.startsWith(`${file}: `), line).toBe(true);
        }
        expect(protoKeys()).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 400 },
    );
    console.log(`fuzz: ${cases} cases, exit codes ${JSON.stringify([...outcomes].sort())}`);
    expect(outcomes.get(2) ?? 0).toBeGreaterThan(0);
  });
});
