// Replays the small example trace in each format (examples/traces/) through a stack
// (examples/replay-*.json, read by reference as a stream) and through `cache-curve`, and
// compares with test/golden/traces.golden.json. Update on purpose: GOLDEN_UPDATE=1 npx vitest
// run test/golden/traces.test.ts, then review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../../testing/cli-in-process.ts';

const GOLDEN = 'test/golden/traces.golden.json';
const FORMATS = [
  ['csv', 'examples/traces/small.csv'],
  ['combined', 'examples/traces/small.access.log'],
  ['oracle-general', 'examples/traces/small.oracleGeneral.bin'],
] as const;

interface RunSummary {
  fingerprint: string;
  events: number;
  requests: number;
  cacheHits: number;
  cacheMisses: number;
}

async function stackRun(format: string): Promise<RunSummary> {
  const r = await cliInProcess(['run', `examples/replay-${format}.json`, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const run = JSON.parse(r.stdout).runs[0];
  return {
    fingerprint: run.fingerprint,
    events: run.events,
    requests: run.components.users.arrivals,
    cacheHits: run.components.app.counters.cacheHits,
    cacheMisses: run.components.app.counters.cacheMisses,
  };
}

async function curve(file: string, ...extra: string[]): Promise<string> {
  const r = await cliInProcess([
    'cache-curve',
    file,
    '--policies',
    'lru,fifo,clock,sieve,arc,s3-fifo,opt',
    ...extra,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function actual() {
  const out: Record<string, unknown> = {};
  for (const [format, file] of FORMATS) {
    out[format] = {
      stack: await stackRun(format),
      curveObjects: (await curve(file, '--ignore-size', '--sizes', '5,10%,20,50%')).split('\n'),
      curveBytes: (await curve(file, '--sizes', '2KB,10%,50%')).split('\n'),
    };
  }
  return out;
}

describe('trace replay goldens', () => {
  it('each format replays the same through a stack and cache-curve as recorded', async () => {
    const got = await actual();
    if (process.env.GOLDEN_UPDATE === '1')
      writeFileSync(GOLDEN, `${JSON.stringify(got, null, 2)}\n`);
    if (!existsSync(GOLDEN)) expect.fail(`${GOLDEN} is missing: run with GOLDEN_UPDATE=1`);
    expect(got).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('the three formats carry the same requests: identical curves', async () => {
    const got = (await actual()) as Record<
      string,
      { curveObjects: string[]; curveBytes: string[] }
    >;
    expect(got.combined!.curveObjects).toEqual(got.csv!.curveObjects);
    expect(got['oracle-general']!.curveObjects).toEqual(got.csv!.curveObjects);
    expect(got['oracle-general']!.curveBytes).toEqual(got.csv!.curveBytes);
  });

  it("the stack's LRU kv-store of 20 entries misses exactly as cache-curve's LRU at 20", async () => {
    const stack = await stackRun('csv');
    const r = await cliInProcess([
      'cache-curve',
      'examples/traces/small.csv',
      '--ignore-size',
      '--sizes',
      '20',
      '--policies',
      'lru',
    ]);
    const row = r.stdout.trim().split('\n')[1]!.split(',');
    expect(Number(row[5])).toBe(stack.cacheMisses);
    expect(stack.cacheHits + stack.cacheMisses).toBe(600);
  });
});
