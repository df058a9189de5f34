// The rough edges of issue 14, each as the user met it: every test here failed on the code
// before the fix (exit codes, messages and files as a user sees them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuiltCli, buildCli, runBundle } from '../helpers/cli.ts';

let cli: BuiltCli;
let dir: string;
const GOOD = join(process.cwd(), 'test/fixtures/good');
const QUICK = join(process.cwd(), 'scenarios/quickstart.json');
const LB = join(process.cwd(), 'scenarios/lb-compare.json');
beforeAll(() => {
  cli = buildCli();
  dir = mkdtempSync(join(tmpdir(), 'stacksim-user-path-'));
});

/** Writes `value` as JSON into the scratch folder and returns the path. */
function scenarioFile(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}
const quickstart = () => JSON.parse(readFileSync(QUICK, 'utf8'));

describe('--out at an existing file is a usage error (exit 2), nothing written', () => {
  test('run --out FILE', () => {
    const file = join(dir, 'taken');
    writeFileSync(file, 'mine');
    const r = runBundle(cli.real, ['run', QUICK, '--duration', '1s', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${file}: exists and is a file, expected a folder`);
    expect(r.stderr).not.toContain('internal error');
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  test('run --out under a file, and --report at a folder', () => {
    const file = join(dir, 'taken2');
    writeFileSync(file, 'mine');
    const under = runBundle(cli.real, ['run', QUICK, '--out', join(file, 'sub')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(`${file} is a file`);
    const report = runBundle(cli.real, ['run', QUICK, '--report', dir]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('is a folder, expected a file name');
  });

  test('compare --out FILE and sweep --out FILE', () => {
    const file = join(dir, 'taken3');
    writeFileSync(file, 'mine');
    for (const command of ['compare', 'sweep']) {
      const r = runBundle(cli.test, [command, join(GOOD, 'pipeline.json'), '--out', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--out ${file}: exists and is a file`);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('a closed pipe ends the command quietly (EPIPE)', () => {
  test.each(['head -1', 'true'])('stacksim list | %s', (reader) => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli.real}" list | ${reader}`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('compare --metrics', () => {
  test('an unknown name is exit 2 with the valid names, and no file is written', () => {
    const csv = join(dir, 'metrics.csv');
    const r = runBundle(cli.test, [
      'compare',
      join(GOOD, 'pipeline.json'),
      '--set',
      'run.duration=1s',
      '--replications',
      '2',
      '--workers',
      '1',
      '--metrics',
      'latency.p99,latncy.p50',
      '--csv',
      csv,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown name "latncy.p50"');
    expect(r.stderr).toMatch(/metrics are: .*latency\.p50.*throughput/);
    expect(existsSync(csv)).toBe(false);
  });
});

describe('unit strings have one form, without spaces', () => {
  test('"20 ms" is rejected with the form to write instead', () => {
    const s = quickstart();
    s.run.warmup = '2 s';
    const r = runBundle(cli.real, ['validate', scenarioFile('space.json', s)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/run/warmup: expected a duration with a unit');
    expect(r.stderr).toContain('(no spaces: write "2s")');
  });
});

describe('warnings', () => {
  test('an app server without routes is valid but warned about (validate and run)', () => {
    const s = quickstart();
    delete s.components.app.routes;
    const file = scenarioFile('no-routes.json', s);
    const v = runBundle(cli.real, ['validate', file]);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain('/components/app/routes: warning: app server "app" has no routes');
    const r = runBundle(cli.real, ['run', file, '--duration', '1s', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('answers every request with 404');
  });

  test('the bundled quickstart draws no warning', () => {
    expect(runBundle(cli.real, ['validate', QUICK]).stderr).toBe('');
  });
});

describe('load-balancing algorithms', () => {
  test('the unknown-algorithm message lists every algorithm, sticky included', () => {
    const s = JSON.parse(readFileSync(LB, 'utf8'));
    delete s.variants;
    delete s.baseline;
    s.components.lb.algorithm = 'p2c';
    const r = runBundle(cli.real, ['validate', scenarioFile('p2c-base.json', s)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"bounded-load-hash", "sticky"');
  });

  test('"sticky" alone is sticky sessions with their defaults', () => {
    const s = JSON.parse(readFileSync(LB, 'utf8'));
    delete s.variants;
    delete s.baseline;
    s.components.lb.algorithm = 'sticky';
    expect(runBundle(cli.real, ['validate', scenarioFile('sticky.json', s)]).code).toBe(0);
  });
});

describe('variants', () => {
  /** docs/experiments.md's example before it was corrected: "p2c" is not an algorithm name. */
  const p2cExample = () => {
    const s = JSON.parse(readFileSync(LB, 'utf8'));
    s.variants = {
      rr: { 'components.lb.algorithm': 'round-robin' },
      p2c: { 'components.lb.algorithm': 'p2c' },
    };
    s.baseline = 'rr';
    return scenarioFile('p2c-variants.json', s);
  };

  test('validate rejects a variant value that compare rejects, with the same line', () => {
    const file = p2cExample();
    const v = runBundle(cli.real, ['validate', file]);
    const c = runBundle(cli.real, ['compare', file, '--replications', '2', '--workers', '1']);
    expect(v.code).toBe(2);
    expect(c.code).toBe(2);
    const line = `${file}: /variants/p2c: /components/lb/algorithm/name: expected "name" to be one of`;
    expect(v.stderr).toContain(line);
    expect(c.stderr).toContain(line);
    expect(runBundle(cli.real, ['run', file, '--duration', '1s']).code).toBe(2);
  });

  test('run says on stderr that the file has variants and that the base ran', () => {
    const r = runBundle(cli.real, ['run', LB, '--duration', '1s', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'has variants (round-robin, least-connections, p2c, peak-ewma, consistent-hash); running the base scenario',
    );
  });

  test('run --variant NAME runs that variant', () => {
    const out = join(dir, 'variant-out');
    const r = runBundle(cli.real, [
      'run',
      LB,
      '--duration',
      '1s',
      '--variant',
      'p2c',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('running variant "p2c"');
    const resolved = JSON.parse(readFileSync(join(out, 'scenario.resolved.json'), 'utf8'));
    expect(resolved.components.lb.algorithm).toBe('power-of-d-choices');
    expect(resolved.variants).toBeUndefined();
    const base = runBundle(cli.real, ['run', LB, '--duration', '1s', '--json']);
    const variant = runBundle(cli.real, [
      'run',
      LB,
      '--duration',
      '1s',
      '--json',
      '--variant',
      'p2c',
    ]);
    // another algorithm sends another share of the requests to the slow backend
    const slow = (text: string) => JSON.parse(text).runs[0].components.slow.arrivals;
    expect(slow(variant.stdout)).not.toBe(slow(base.stdout));
  });

  test('an unknown variant, or --variant on a file without variants, is exit 2', () => {
    const unknown = runBundle(cli.real, ['run', LB, '--variant', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no variant "nope" (variants: round-robin,');
    const none = runBundle(cli.real, ['run', QUICK, '--variant', 'p2c']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the file has no variants');
    expect(readdirSync(dir)).not.toContain('variant-none');
  });
});
