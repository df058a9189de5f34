import { spawn, spawnSync } from 'node:child_process';

/** One measured figure: the median and range over `runs` repetitions. */
export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  readonly unit: string;
}

/** A target a group checks, e.g. "engine/bare >= 0.6", and whether the measurement meets it. */
export interface Check {
  readonly name: string;
  readonly target: string;
  readonly value: number;
  readonly met: boolean;
}

/** What one group produced: named figures and the targets it checked. */
export interface GroupResult {
  readonly figures: Record<string, Figure>;
  readonly checks: readonly Check[];
}

/** How a group should run: `quick` (`--quick`) trades repetitions and sizes for time. */
export interface RunOptions {
  readonly quick: boolean;
}

/** A benchmark group: registered in groups.ts, selected with `--only NAME`. */
export interface BenchGroup {
  readonly name: string;
  /** One line for the report. */
  readonly summary: string;
  /** Measures; may be async (worker threads). */
  readonly run: (options: RunOptions) => GroupResult | Promise<GroupResult>;
  /** Work a group runs in a fresh child process: `--child KEY ARGS...`; prints JSON. */
  readonly children?: Readonly<Record<string, (args: readonly string[]) => unknown>>;
}

/** Summarises samples as median, min and max. */
export function figure(samples: readonly number[], unit: string): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, runs: n, unit };
}

/** A figure with its name, as bench modules return them before a group files them by name. */
export interface NamedFigure extends Figure {
  readonly name: string;
}

/** Summarises samples as a named figure (median and range, see figure()). */
export function namedFigure(name: string, unit: string, samples: readonly number[]): NamedFigure {
  return { name, ...figure(samples, unit) };
}

/** Files named figures by name, in order (for a group's result). */
export function byName(list: readonly NamedFigure[]): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  for (const { name, ...f } of list) out[name] = f;
  return out;
}

/** Collects garbage if node runs with --expose-gc, so one run's garbage is not billed to the next. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

/** Wall-clock seconds taken by `fn`. */
export function timeSeconds(fn: () => void): number {
  collectGarbage();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Rate of `work` units done by `fn` per wall-clock second. */
export function rate(work: number, fn: () => void): number {
  return work / timeSeconds(fn);
}

/**
 * Runs several variants round-robin `runs` times (so drift of the machine hits all alike);
 * each variant does its own setup and returns the rate of its timed part. Returns the per-round
 * rates of each variant.
 */
export function roundRobin(
  variants: Readonly<Record<string, () => number>>,
  runs: number,
): Record<string, number[]> {
  const rates: Record<string, number[]> = {};
  for (const name of Object.keys(variants)) rates[name] = [];
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of Object.entries(variants)) rates[name]!.push(fn());
  }
  return rates;
}

/** Element-wise ratios a[i] / b[i] of two equally long sample lists. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / b[i]!);
}

/**
 * Runs `node [NODE_FLAGS] dist/bench.mjs --child KEY ARGS...` in a fresh process and parses its
 * JSON.
 */
/** runChild() without blocking: several children can run side by side. */
export function runChildAsync(
  key: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<unknown> {
  const script = process.argv[1];
  if (script === undefined) return Promise.reject(new Error('cannot find the bench script path'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, '--child', key, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child ${key} failed: ${err}`));
      else resolve(JSON.parse(out.trim()));
    });
  });
}

export function runChild(
  key: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): unknown {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot find the bench script path');
  const out = spawnSync(process.execPath, [...nodeFlags, script, '--child', key, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (out.status !== 0) throw new Error(`child ${key} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim());
}
