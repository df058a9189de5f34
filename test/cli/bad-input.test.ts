import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { COMPONENT_KINDS } from '../../models/registry.ts';
import {
  type BuiltCli,
  buildCli,
  type CliRun,
  mapLimit,
  runBundle,
  runBundleAsync,
} from '../helpers/cli.ts';
import { TEST_KINDS } from '../helpers/test-kinds.ts';

const BAD = join(process.cwd(), 'test/fixtures/bad');
const cases = readdirSync(BAD)
  .filter((f) => f.endsWith('.json'))
  .sort();

let cli: BuiltCli;
let scratch: string;
let validated: CliRun;
const runs = new Map<string, CliRun>();
const expectedOf = (file: string) =>
  readFileSync(join(BAD, file.replace(/\.json$/, '.expected.txt')), 'utf8');
/** The list of known types grows with the registry; expected files write it as '…'. */
const KNOWN = /known types: [^\n]*/g;
const normalise = (text: string) => text.replace(KNOWN, 'known types: …');

beforeAll(async () => {
  cli = buildCli();
  scratch = mkdtempSync(join(tmpdir(), 'stacksim-bad-'));
  // One validate over the whole corpus, and one run per file, four at a time.
  validated = runBundle(cli.test, ['validate', ...cases], BAD);
  const results = await mapLimit(cases, 4, (file) =>
    runBundleAsync(cli.test, ['run', file, '--out', join(scratch, file)], BAD),
  );
  cases.forEach((file, i) => {
    runs.set(file, results[i]!);
  });
}, 600_000); // 41 runs of the bundle: over the default 120 s on a loaded 2-core machine

describe('bad-input corpus through the built CLI', () => {
  test('the corpus covers the promised cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
    for (const f of cases)
      expect(existsSync(join(BAD, f.replace(/\.json$/, '.expected.txt')))).toBe(true);
  });

  test('validate over the corpus exits 2 and prints exactly the expected lines', () => {
    expect(validated.code).toBe(2);
    expect(validated.stdout).toBe('');
    expect(normalise(validated.stderr)).toBe(cases.map(expectedOf).join(''));
    expect(validated.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test.each(cases)(
    '%s: run exits 2 with the expected messages and --out writes nothing',
    (file) => {
      const r = runs.get(file)!;
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(normalise(r.stderr)).toBe(expectedOf(file));
      expect(
        r.stderr
          .trim()
          .split('\n')
          .every((line) => line.startsWith(`${file}: `)),
      ).toBe(true);
      expect(existsSync(join(scratch, file))).toBe(false);
    },
  );

  test('an unknown type lists every registered type and the test kinds', () => {
    const lists = runs.get('unknown-type.json')!.stderr.match(KNOWN) ?? [];
    expect(lists).toHaveLength(2);
    const types = lists[0]!.slice('known types: '.length).split(', ');
    expect(types).toEqual([
      ...COMPONENT_KINDS.map((k) => k.type),
      ...TEST_KINDS.map((k) => k.type),
    ]);
  });

  test('a missing file, a directory and a file over 10 MiB are refused', () => {
    const big = join(scratch, 'big.json');
    writeFileSync(big, `{"name": "${'x'.repeat(10 * 1024 * 1024)}"}`);
    const dir = join(scratch, 'a-directory');
    mkdirSync(dir);
    const out = join(scratch, 'never');
    const r = runBundle(cli.test, ['validate', join(scratch, 'missing.json'), dir, big]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      `${join(scratch, 'missing.json')}: file not found`,
      `${dir}: is a directory, expected a scenario file`,
      `${big}: file is 10485772 bytes; scenario files are limited to 10485760 bytes (10 MiB)`,
      '',
    ]);
    const run = runBundle(cli.test, ['run', big, '--out', out]);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  test('validate reports every bad file and still confirms the good ones', () => {
    const good = join(process.cwd(), 'test/fixtures/good/pipeline.json');
    const r = runBundle(cli.test, ['validate', good, join(BAD, 'replicas-zero.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${good}: ok (mm1; 3 components)\n`);
    expect(r.stderr).toContain(
      '/components/app/replicas: expected a positive integer, got the number 0',
    );
  });
});
