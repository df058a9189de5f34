// What a user's `stacksim cache-curve` run costs on the bench trace (1 M requests, Zipf(1.0),
// 100 k objects) written as a CSV file: the CPU of the whole process (start-up, reading the
// file, the policies, writing the CSV), next to the same command on a one-request trace, so
// the difference is what the 1 M requests cost (docs/performance.md).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvBytes, zipfKeys } from './curve-trace.ts';
import { type Figure, figure } from './measure.ts';
import { childCpuMs, hookFile } from './startup.ts';

/** The commands measured: label → cache-curve arguments after the trace file. */
export const CLI_RUNS: Readonly<Record<string, readonly string[]>> = {
  'fifo at 1 000 objects': ['--policies', 'fifo', '--sizes', '1000', '--ignore-size'],
  'one-pass LRU, 100 sizes': [
    '--policies',
    'lru',
    '--sizes',
    Array.from({ length: 100 }, (_, i) => String((i + 1) * 1000)).join(','),
    '--ignore-size',
  ],
};

/** Figure names: `cli.LABEL` (CPU ms of the whole process), `cli.LABEL [net req/s]`. */
export function cliFigureName(label: string, kind: 'cpu' | 'rate' | 'empty'): string {
  if (kind === 'cpu') return `cache-curve cli: ${label}, 1 M-line CSV (process CPU)`;
  if (kind === 'empty') return `cache-curve cli: ${label}, 1-line CSV (process CPU)`;
  return `cache-curve cli: ${label} (requests per CPU s net of the 1-line run)`;
}

/** Runs each command `rounds` times on the 1 M-line and the 1-line trace, alternately. */
export function cliFigures(length: number, rounds: number): Record<string, Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-curve-'));
  try {
    const big = join(dir, 'trace.csv');
    const small = join(dir, 'one.csv');
    const keys = zipfKeys(100_000, length);
    writeFileSync(big, csvBytes(keys));
    writeFileSync(small, csvBytes(keys.subarray(0, 1)));
    const cli = fileURLToPath(new URL('./stacksim.mjs', import.meta.url));
    const hook = hookFile(dir);
    const out: Record<string, Figure> = {};
    for (const [label, args] of Object.entries(CLI_RUNS)) {
      const full: number[] = [];
      const empty: number[] = [];
      const rates: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const e = childCpuMs(hook, [cli, 'cache-curve', small, ...args, '-o', join(dir, 'o1')]);
        const f = childCpuMs(hook, [cli, 'cache-curve', big, ...args, '-o', join(dir, 'o2')]);
        empty.push(e);
        full.push(f);
        rates.push(length / ((f - e) / 1000));
      }
      out[cliFigureName(label, 'cpu')] = figure(full, 'ms CPU');
      out[cliFigureName(label, 'empty')] = figure(empty, 'ms CPU');
      out[cliFigureName(label, 'rate')] = figure(rates, 'req/s');
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
