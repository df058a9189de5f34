import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareCommand } from '../../../cli/commands/compare.ts';
import type { CommandIo } from '../../../cli/commands/experiment-io.ts';
import { sweepCommand } from '../../../cli/commands/sweep.ts';
import { defaultWorkerPath, drive, WorkerPool } from '../../../cli/pool.ts';
import { runExperiment } from '../../../experiments/job.ts';
import { planCells } from '../../../experiments/plan.ts';
import { runCells } from '../../../experiments/replicate.ts';
import { kinds, mm1Scenario } from '../../helpers/exp-kinds.ts';
import { bundleTestKinds } from '../../helpers/exp-kinds-bundle.ts';
import { parse } from '../../helpers/exp-run.ts';

let kindsModule = '';
const dir = mkdtempSync(join(tmpdir(), 'stacksim-exp-'));

beforeAll(async () => {
  // `npm test` builds dist/worker.mjs first; fail loudly rather than skip when it is missing
  expect(existsSync(defaultWorkerPath()), `missing ${defaultWorkerPath()}: run npm run build`).toBe(
    true,
  );
  kindsModule = await bundleTestKinds();
});

function io(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    cwd: dir,
    kinds,
    kindsModule,
  };
}

function scenarioFile(name: string, extra: Record<string, unknown>): string {
  const raw = mm1Scenario(400, 1000, extra);
  raw.run = { duration: '2s', warmup: '200ms', replications: 4, window: '100ms' };
  writeFileSync(join(dir, name), JSON.stringify(raw));
  return name;
}

describe('parallel execution', () => {
  it('gives byte-identical results on 2 workers and on this thread', async () => {
    const raw = mm1Scenario(400, 1000, {
      variants: { a: {}, b: { 'components.server.serviceRate': '1200/s' } },
    });
    raw.run = { duration: '2s', warmup: '200ms', replications: 6, window: '100ms' };
    const scenario = parse(raw);
    const planned = planCells(raw, scenario, { kinds });
    if (!planned.ok) throw new Error('plan');
    const sequential = runExperiment(runCells(planned.cells), kinds);
    const pool = new WorkerPool(2, { kindsModule });
    try {
      const parallel = await drive(runCells(planned.cells), pool.run);
      expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
    } finally {
      await pool.close();
    }
    const file = scenarioFile('cmp.json', {
      variants: { a: {}, b: { 'components.server.serviceRate': '1200/s' } },
    });
    const one = io();
    const two = io();
    expect(await compareCommand([file, '--json', '--workers', '1'], one)).toBe(0);
    expect(await compareCommand([file, '--json', '--workers', '2'], two)).toBe(0);
    expect(two.out.join('')).toBe(one.out.join(''));
    const text = io();
    expect(await compareCommand([file, '--workers', '1'], text)).toBe(0);
    expect(text.out.join('')).toMatch(/− baseline \[95% CI\]/);
    expect(text.out.join('')).toMatch(/\n {4}b +[\d.]+ \[/);
  });
});

describe('sweep command', () => {
  const sweep = {
    'components.users.rate': { from: '200/s', to: '800/s', steps: 4 },
    'components.server.replicas': [1],
  };

  it('resumes after a kill and produces the same CSV as an uninterrupted run', async () => {
    const file = scenarioFile('sweep.json', { sweep });
    const full = join(dir, 'full');
    const cut = join(dir, 'cut');
    expect(await sweepCommand([file, '--out', 'full', '--workers', '2'], io())).toBe(0);
    const expected = readFileSync(join(full, 'sweep.csv'), 'utf8');
    expect(expected.split('\n')[0]).toBe(
      'components.users.rate,components.server.replicas,variant,component,metric,statistic,mean,lower,upper,n',
    );
    // the "killed" run: only points 0 and 2 finished, point 3 was being written
    expect(await sweepCommand([file, '--out', 'cut', '--workers', '1'], io())).toBe(0);
    for (const f of ['point-0001.json', 'point-0003.json', 'sweep.csv', 'sweep.json'])
      rmSync(join(cut, f));
    writeFileSync(join(cut, 'point-0003.json.tmp'), '{"truncated');
    const again = io();
    expect(await sweepCommand([file, '--out', 'cut', '--workers', '1'], again)).toBe(2);
    expect(again.err.join('')).toMatch(/use --resume/);
    const resumed = io();
    expect(await sweepCommand([file, '--out', 'cut', '--resume', '--workers', '2'], resumed)).toBe(
      0,
    );
    expect(resumed.out.join('')).toMatch(/4 points \(2 resumed\)/);
    expect(readFileSync(join(cut, 'sweep.csv'), 'utf8')).toBe(expected);
    expect(
      readdirSync(cut).filter((f) => f.startsWith('point-') && f.endsWith('.json')).length,
    ).toBe(4);
    // resuming with a changed scenario is refused
    const changed = io();
    expect(await sweepCommand([file, '--out', 'cut', '--resume', '--set', 'seed=7'], changed)).toBe(
      2,
    );
    expect(changed.err.join('')).toMatch(/different scenario/);
  });

  it('reports bad experiment fields with pointers and exit code 2', async () => {
    const file = scenarioFile('bad.json', { sweep: { 'components.users.rat': [1] } });
    const e = io();
    expect(await sweepCommand([file, '--out', 'bad'], e)).toBe(2);
    expect(e.err.join('')).toMatch(/bad\.json: \/sweep\/components\.users\.rat: no such field/);
  });

  it('runs a capacity search and writes capacity.json', async () => {
    const file = scenarioFile('cap.json', {
      capacity: {
        parameter: 'components.users.rate',
        from: '100/s',
        to: '2000/s',
        tolerance: '100/s',
        replications: 2,
        objective: [{ component: 'users', metric: 'latency.mean', max: '5ms' }],
      },
    });
    const c = io();
    expect(await sweepCommand([file, '--capacity', '--out', 'cap', '--workers', '1'], c)).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'cap', 'capacity.json'), 'utf8'));
    // W = 1/(μ − λ) = 5 ms at λ = 800/s
    expect(result.lastPass).toBeGreaterThanOrEqual(650);
    expect(result.firstFail).toBeLessThanOrEqual(950);
    expect(result.seek).toBe('max');
    expect(c.out.join('')).toMatch(
      /users\.rate: largest passing value [\d.]+\/s \([\d.]+\/s fails\)/,
    );
    expect(existsSync(join(dir, 'cap', 'sweep.csv'))).toBe(false);
  });

  it("with --with-sweep runs the grid too, and prints a 'min' answer", async () => {
    const file = scenarioFile('capmin.json', {
      sweep: { 'components.server.serviceRate': ['500/s', '1000/s'] },
      capacity: {
        parameter: 'components.server.serviceRate',
        seek: 'min',
        from: '450/s',
        to: '2000/s',
        tolerance: '100/s',
        replications: 2,
        objective: [{ component: 'users', metric: 'latency.mean', max: '5ms' }],
      },
    });
    const c = io();
    const args = [file, '--capacity', '--with-sweep', '--out', 'capmin', '--workers', '1'];
    expect(await sweepCommand(args, c), c.err.join('')).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'capmin', 'capacity.json'), 'utf8'));
    // W = 1/(μ − λ) = 5 ms at μ = 600/s
    expect(result.seek).toBe('min');
    expect(result.lastPass).toBeGreaterThanOrEqual(550);
    expect(result.lastPass).toBeLessThanOrEqual(800);
    expect(result.lastPass - result.firstFail).toBeLessThanOrEqual(100);
    const csv = readFileSync(join(dir, 'capmin', 'sweep.csv'), 'utf8');
    expect(csv.split('\n').filter((l) => l.includes(',users,latency.mean,mean,'))).toHaveLength(2);
    expect(c.out.join('')).toMatch(/^2 points \(0 resumed\)/);
    expect(c.out.join('')).toMatch(
      /serviceRate: smallest passing value [\d.]+\/s \([\d.]+\/s fails\)/,
    );
    const e = io();
    expect(await sweepCommand([file, '--with-sweep', '--out', 'x'], e)).toBe(2);
    expect(e.err.join('')).toMatch(/--with-sweep goes with --capacity/);
  });
});
