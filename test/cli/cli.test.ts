import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { type BuiltCli, buildCli, runAndSignal, runBundle } from '../helpers/cli.ts';

const GOOD = join(process.cwd(), 'test/fixtures/good');
const pipeline = join(GOOD, 'pipeline.json');
let cli: BuiltCli;
let scratch: string;
beforeAll(() => {
  cli = buildCli();
  scratch = mkdtempSync(join(tmpdir(), 'stacksim-cli-'));
});

/** The results JSON without its wall-clock part (the only non-deterministic fields). */
function withoutWall(text: string): string {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(parsed.wall as object).sort()).toEqual(['eventsPerSecond', 'seconds']);
  delete parsed.wall;
  return JSON.stringify(parsed);
}

describe('help and version', () => {
  test('--help lists the commands and exit codes; no command is a usage error', () => {
    const r = runBundle(cli.real, ['--help']);
    expect(r.code).toBe(0);
    for (const word of ['run FILE', 'validate FILE', 'schema', 'list', '130'])
      expect(r.stdout).toContain(word);
    expect(runBundle(cli.real, []).code).toBe(2);
  });

  test.each(['run', 'validate', 'schema', 'list'])(
    '%s --help shows usage and examples',
    (command) => {
      const r = runBundle(cli.real, [command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: stacksim ${command}`);
      expect(r.stdout).toContain('Examples:');
    },
  );

  test('--version prints the package version', () => {
    expect(runBundle(cli.real, ['--version']).stdout).toBe(`stacksim ${pkg.version}\n`);
  });

  test('unknown commands and options are usage errors (exit 2, no stack trace)', () => {
    const a = runBundle(cli.real, ['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown command "frobnicate"');
    const b = runBundle(cli.test, ['run', pipeline, '--colour']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('unknown option --colour');
    const c = runBundle(cli.test, ['run', pipeline, '--set', 'novalue']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--set expects path=value');
  });
});

describe('run', () => {
  test('prints a summary table with one row per component', () => {
    const r = runBundle(cli.test, ['run', pipeline]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(
      /^component\s+type\s+requests\s+status\s+thrpt\/s\s+p50\s+p90\s+p99\s+p99\.9\s+max\s+util\s+queue\s+hit\s+429$/,
    );
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(['app', 'client', 'lb']);
    expect(lines[4]).toContain('30.'); // lb counts ~30% hits
  });

  test('--json prints the results contract; same seed twice is identical apart from wall', () => {
    const a = runBundle(cli.test, ['run', pipeline, '--json', '--seed', '9']);
    const b = runBundle(cli.test, ['run', pipeline, '--json', '--seed', '9']);
    const c = runBundle(cli.test, ['run', pipeline, '--json', '--seed', '10']);
    expect(a.code).toBe(0);
    const results = JSON.parse(a.stdout);
    expect(results).toMatchObject({
      format: 'stacksim.results/1',
      scenario: 'mm1',
      seed: 9,
      replications: 1,
      duration: 20,
      warmup: 2,
      completed: true,
      partial: false,
      stoppedBy: 'until',
    });
    expect(results.runs[0].components.client.completions).toBeGreaterThan(14_000);
    expect(results.summary.lb['ratios.hitRatio'].mean).toBeCloseTo(0.3, 1);
    expect(withoutWall(a.stdout)).toBe(withoutWall(b.stdout));
    expect(withoutWall(a.stdout)).not.toBe(withoutWall(c.stdout));
  });

  test('--replications gives mean, 95% interval and individual values from derived seeds', () => {
    const r = runBundle(cli.test, [
      'run',
      pipeline,
      '--json',
      '--replications',
      '4',
      '--duration',
      '5s',
    ]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.replications).toBe(4);
    expect(new Set(results.runs.map((x: { seed: number }) => x.seed)).size).toBe(4);
    const thr = results.summary.client.throughput;
    expect(thr.values).toHaveLength(4);
    expect(thr.mean).toBeCloseTo(thr.values.reduce((s: number, v: number) => s + v, 0) / 4, 9);
    expect(thr.lower).toBeLessThan(thr.mean);
    // a throughput cannot be negative: its interval is symmetric on the log scale
    expect(thr.method).toBe('log');
    expect(Math.log(thr.upper / thr.mean)).toBeCloseTo(Math.log(thr.mean / thr.lower), 9);
    expect(thr.mean).toBeGreaterThan(700);
    expect(thr.mean).toBeLessThan(900);
  });

  test('--set overrides fields before validation, and bad overrides are input errors', () => {
    const r = runBundle(cli.test, [
      'run',
      pipeline,
      '--json',
      '--set',
      'components.app.replicas=3',
      '--set',
      'run.duration=2s',
    ]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.duration).toBe(2);
    expect(results.runs[0].components.app.replicas).toBe(3);
    const bad = runBundle(cli.test, ['run', pipeline, '--set', 'run.duration=2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `${pipeline}: /run/duration: expected a duration with a unit, like "250us", "20ms", "1.5s", "10m", "1h", got the number 2\n`,
    );
  });

  test('--out writes results.json, timeseries.csv and scenario.resolved.json and nothing else', () => {
    const out = join(scratch, 'out');
    const r = runBundle(cli.test, ['run', pipeline, '--out', out, '--quiet', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(out).sort()).toEqual([
      'results.json',
      'scenario.resolved.json',
      'timeseries.csv',
    ]);
    const json = runBundle(cli.test, ['run', pipeline, '--json', '--seed', '3']).stdout;
    expect(withoutWall(readFileSync(join(out, 'results.json'), 'utf8'))).toBe(withoutWall(json));
    const resolved = JSON.parse(readFileSync(join(out, 'scenario.resolved.json'), 'utf8'));
    expect(resolved.seed).toBe(3);
    expect(resolved.components.app.replicas).toBe(2);
    const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('replication,component,window_start_s,window_end_s,metric,value');
    const clientDone = csv.filter((l) => l.startsWith('0,client,') && l.includes(',completions,'));
    expect(clientDone).toHaveLength(22); // 2s warm-up + 20s, 1s windows
    const total = clientDone.slice(2).reduce((s, l) => s + Number(l.split(',')[5]), 0);
    expect(total).toBe(JSON.parse(json).runs[0].components.client.completions);
    // the resolved scenario runs again to the same results
    const again = runBundle(cli.test, ['run', join(out, 'scenario.resolved.json'), '--json']);
    expect(withoutWall(again.stdout)).toBe(withoutWall(json));
  });
});

describe('exit codes', () => {
  test('a model error exits 1 naming the component, message type and time; nothing written', () => {
    const out = join(scratch, 'fails');
    const r = runBundle(cli.test, ['run', join(GOOD, 'fails.json'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "app failed handling 'test.fail' at t=3s: deliberate failure for tests",
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  test('a budget stops the run: exit 3, results written and marked partial', () => {
    const out = join(scratch, 'budget');
    const r = runBundle(cli.test, ['run', join(GOOD, 'budget.json'), '--out', out, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('maxEvents');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results).toMatchObject({
      completed: false,
      partial: true,
      stoppedBy: 'maxEvents',
      events: 5000,
    });
    expect(results.runs[0].duration).toBeLessThan(60);
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s mid-run exits %i and leaves no results behind', async (signal, code) => {
    const out = join(scratch, `signal-${signal}`);
    const r = await runAndSignal(
      cli.test,
      ['run', join(GOOD, 'long.json'), '--out', out],
      signal,
      // long.json runs for minutes; 6 s leaves time to start a 3 MB bundle on a loaded machine
      // (at 1.5 s the signal could arrive before the handlers exist and kill the process)
      6000,
    );
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`interrupted by ${signal}`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('schema and list', () => {
  test('schema prints the committed JSON Schema (real kinds) and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacksim-schema-'));
    const r = runBundle(cli.real, ['schema'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('docs/scenario.schema.json', 'utf8'));
    expect(readdirSync(dir)).toEqual([]);
    expect(runBundle(cli.real, ['schema', '--stdout']).stdout).toBe(r.stdout);
  });

  test('schema --out FILE writes the schema there (folders made as needed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacksim-schema-'));
    const r = runBundle(cli.real, ['schema', '--out', 'a/b/s.json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'a/b/s.json'), 'utf8')).toBe(
      readFileSync('docs/scenario.schema.json', 'utf8'),
    );
  });

  test('list shows one line per scenario with its name and description', () => {
    const r = runBundle(cli.real, ['list', GOOD]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /budget\.json\s+budgeted — A run cut short by run\.maxEvents: partial results, exit 3\.$/,
    );
  });
});
