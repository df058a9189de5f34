import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../../testing/cli-in-process.ts';

const EXAMPLES: readonly [string, string, string[]][] = [
  ['least-loaded.ts', 'balancer', []],
  ['fixed-window.ts', 'limiter', ['--options', '{"limit":10}']],
  ['lru-map.ts', 'cache-policy', []],
];

describe('stacksim check-algorithm', () => {
  it.each(EXAMPLES)(
    'examples/algorithms/%s passes the %s contract',
    async (file, family, extra) => {
      const r = await cliInProcess([
        'check-algorithm',
        `examples/algorithms/${file}`,
        '--family',
        family,
        ...extra,
      ]);
      expect(r.stdout).not.toContain('FAIL');
      expect(r.stdout).toMatch(/pass {2}determinism: two runs/);
      expect(r.stdout).toMatch(/pass {2}static check/);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    },
    60_000,
  );

  it('the broken balancer fails with a shrunk counterexample', async () => {
    const r = await cliInProcess([
      'check-algorithm',
      'examples/algorithms/round-robin-all.ts',
      '--family',
      'balancer',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'FAIL  picks only eligible backends, and -1 only when none is eligible',
    );
    // shrunk to one backend, down: the smallest case where ignoring eligibility shows
    expect(r.stdout).toContain('counterexample: {"weights":[1],"downMask":[true,');
    expect(r.stdout).toContain(
      'error: pick 0 returned 0 although no backend is eligible (expected -1)',
    );
    expect(r.stdout).toContain('4 of 5 checks passed');
  }, 60_000);

  it('flags Math.random and Date.now, and a module shared across instances fails determinism', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacksim-alg-'));
    const file = join(dir, 'bad.ts');
    writeFileSync(
      file,
      `let calls = 0;
export function create() {
  return { name: 'bad', cost: 'O(1)', pick(view: { eligible: number[] }) {
    calls++;
    if (Date.now() < 0) return -1;
    const e = view.eligible;
    return e.length === 0 ? -1 : e[(calls + Math.floor(Math.random() * 0)) % e.length]!;
  } };
}
`,
    );
    const r = await cliInProcess(['check-algorithm', file, '--family', 'balancer']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  static check');
    expect(r.stdout).toContain('Math.random (use the rng argument)');
    expect(r.stdout).toContain('Date.now (use the simulated clock)');
    expect(r.stdout).toMatch(
      /FAIL {2}determinism: two runs of a fixed workload give the same fingerprint/,
    );
  }, 60_000);

  it('bad modules are input errors (exit 2) with the reason', async () => {
    const missing = await cliInProcess(['check-algorithm', 'no/such.ts', '--family', 'balancer']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such.ts: module not found');
    const dir = mkdtempSync(join(tmpdir(), 'stacksim-alg-'));
    writeFileSync(join(dir, 'syntax.ts'), 'export function create( {');
    const syntax = await cliInProcess([
      'check-algorithm',
      join(dir, 'syntax.ts'),
      '--family',
      'limiter',
    ]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('does not compile');
    writeFileSync(join(dir, 'shape.ts'), 'export function create() { return { name: "x" }; }');
    const shape = await cliInProcess([
      'check-algorithm',
      join(dir, 'shape.ts'),
      '--family',
      'limiter',
    ]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('must return a limiter with decide, size; missing decide, size');
    expect((await cliInProcess(['check-algorithm', 'x.ts', '--family', 'router'])).code).toBe(2);
  }, 60_000);
});

describe('a user balancer in a scenario', () => {
  it('runs the module named in the scenario', async () => {
    const r = await cliInProcess(['run', 'examples/user-balancer.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout).runs[0];
    // least-loaded sends the slow server far fewer requests than round robin's 1 in 10
    expect(run.components.slow.arrivals).toBeLessThan(0.06 * run.components.lb.arrivals);
    expect(run.components.app.byStatus['200']).toBeGreaterThan(10_000);
  }, 60_000);

  it('a module that throws stops the run naming the module, the message and the simulated time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacksim-alg-'));
    cpSync('examples/user-balancer.json', join(dir, 's.json'));
    writeFileSync(
      join(dir, 'algorithms.ts'),
      `export function create() {
  let n = 0;
  return { name: 'thrower', cost: 'O(1)', pick(view: { eligible: number[] }) {
    if (++n === 500) throw new Error('boom at pick 500');
    return view.eligible[0] ?? -1;
  } };
}
`,
    );
    const text = JSON.stringify(
      JSON.parse(
        await import('node:fs').then((fs) => fs.readFileSync(join(dir, 's.json'), 'utf8')),
      ),
    ).replace('./algorithms/least-loaded.ts', './algorithms.ts');
    writeFileSync(join(dir, 's.json'), text);
    const out = join(dir, 'out');
    const r = await cliInProcess(['run', join(dir, 's.json'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /run failed: lb failed handling 'lb\.dispatch' at t=[0-9.]+s: algorithm module \.\/algorithms\.ts threw in pick\(\): boom at pick 500/,
    );
  }, 60_000);

  it('a module that cannot be loaded is named with its JSON pointer (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacksim-alg-'));
    const s = JSON.parse(
      await import('node:fs').then((fs) => fs.readFileSync('examples/user-balancer.json', 'utf8')),
    );
    s.components.lb.algorithm.module = './missing.ts';
    writeFileSync(join(dir, 's.json'), JSON.stringify(s));
    const r = await cliInProcess(['run', join(dir, 's.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/components/lb/algorithm/module: ./missing.ts: module not found');
  }, 60_000);
});
