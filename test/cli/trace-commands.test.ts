import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../../testing/cli-in-process.ts';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'stacksim-trace-'));
}

describe('stacksim cache-curve', () => {
  it('writes curve.csv and an SVG chart naming every policy', async () => {
    const out = join(tmp(), 'curve');
    const r = await cliInProcess([
      'cache-curve',
      'examples/traces/small.csv',
      '--policies',
      'lru,sieve,s3-fifo(smallRatio=0.2)',
      '--sizes',
      '10%,50%',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(out, 'curve.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(7);
    const svg = readFileSync(join(out, 'curve.svg'), 'utf8');
    for (const name of ['lru', 'sieve', 's3-fifo(smallRatio=0.2)'])
      expect(svg).toContain(`>${name}</text>`);
    const html = readFileSync(join(out, 'curve.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html.match(/<tr>/g)).toHaveLength(7);
  });

  it('tuning changes the result: S3-FIFO with a larger small queue differs', async () => {
    const a = await cliInProcess([
      'cache-curve',
      'examples/traces/small.csv',
      '--ignore-size',
      '--sizes',
      '20',
      '--policies',
      's3-fifo,s3-fifo(smallRatio=0.5;moveToMainThreshold=2)',
    ]);
    const rows = a.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[5]);
    expect(rows[0]).not.toBe(rows[1]);
  });

  it('OPT misses no more than every other policy, and bypass never hurts', async () => {
    const r = await cliInProcess([
      'cache-curve',
      'examples/traces/small.csv',
      '--ignore-size',
      '--sizes',
      '5,20',
      '--policies',
      'lru,fifo,clock,sieve,arc,s3-fifo,w-tinylfu,opt,opt(bypass=false)',
    ]);
    const rows = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    for (const size of ['5', '20']) {
      const at = rows.filter((x) => x[1] === size);
      const opt = Number(at.find((x) => x[0] === 'opt')![5]);
      const noBypass = Number(at.find((x) => x[0] === 'opt(bypass=false)')![5]);
      for (const x of at) expect(Number(x[5])).toBeGreaterThanOrEqual(opt);
      expect(noBypass).toBeGreaterThanOrEqual(opt);
    }
  });

  it('SHARDS sampling reports the standard error over salts', async () => {
    const r = await cliInProcess([
      'cache-curve',
      'examples/traces/small.csv',
      '--ignore-size',
      '--sizes',
      '50%',
      '--policies',
      'lru',
      '--sample',
      '0.5',
      '--salts',
      '4',
    ]);
    expect(r.code).toBe(0);
    const row = r.stdout.trim().split('\n')[1]!.split(',');
    expect(row[8]).toBe('0.5');
    expect(row[9]).toBe('4');
    expect(Number(row[10])).toBeGreaterThan(0);
    expect(r.stderr).toContain('largest standard error');
  });

  it('bad trace input: exit 2, file and line named, nothing written', async () => {
    const dir = tmp();
    const trace = join(dir, 'bad.csv');
    writeFileSync(trace, 'time,key\n1,a\nx,b\n');
    const out = join(dir, 'out');
    const r = await cliInProcess(['cache-curve', trace, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${trace}: line 3, column "time": expected a non-negative number, got "x"`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors: unknown policy, missing file, unknown format', async () => {
    expect(
      (await cliInProcess(['cache-curve', 'examples/traces/small.csv', '--policies', 'lru,nope']))
        .stderr,
    ).toContain('unknown policy "nope"');
    const missing = await cliInProcess(['cache-curve', 'no/such.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such.csv: file not found');
    expect((await cliInProcess(['cache-curve', 'trace.xyz'])).stderr).toContain('give --format');
  });
});

describe('stacksim run with a replayed trace file', () => {
  it('a bad trace stops before the run: exit 2, pointer and line named, nothing written', async () => {
    const dir = tmp();
    copyFileSync('examples/replay-csv.json', join(dir, 'replay.json'));
    const scenario = JSON.parse(readFileSync('examples/replay-csv.json', 'utf8'));
    scenario.components.users.arrival.file = 'bad.csv';
    writeFileSync(join(dir, 'replay.json'), JSON.stringify(scenario));
    writeFileSync(join(dir, 'bad.csv'), 'time,key,path\n0.1,1,/item/1\n0.2,2\n');
    const out = join(dir, 'out');
    const r = await cliInProcess(['run', join(dir, 'replay.json'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/components/users/arrival/file:');
    expect(r.stderr).toContain('bad.csv: line 3: expected at least 3 fields, got 2');
    expect(existsSync(out)).toBe(false);
  });

  it('replay needs rows or a file, and a format with a file', async () => {
    const dir = tmp();
    const scenario = JSON.parse(readFileSync('examples/replay-csv.json', 'utf8'));
    delete scenario.components.users.arrival.format;
    writeFileSync(join(dir, 's.json'), JSON.stringify(scenario));
    const r = await cliInProcess(['validate', join(dir, 's.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs a format');
  });
});

describe('OPT in a stack', () => {
  it('a kv-store running OPT over the replayed trace misses exactly as cache-curve OPT', async () => {
    const run = await cliInProcess(['run', 'examples/replay-opt.json', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const counters = JSON.parse(run.stdout).runs[0].components.app.counters;
    const curve = await cliInProcess([
      'cache-curve',
      'examples/traces/small.csv',
      '--ignore-size',
      '--sizes',
      '20',
      '--policies',
      'opt',
    ]);
    expect(Number(curve.stdout.trim().split('\n')[1]!.split(',')[5])).toBe(counters.cacheMisses);
  });
});
