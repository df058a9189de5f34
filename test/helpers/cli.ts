// Builds the command line into a temporary directory and runs it as a user would.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Paths of the two bundles: the shipped CLI and the CLI with the test-only kinds added. */
export interface BuiltCli {
  readonly real: string;
  readonly test: string;
  readonly dir: string;
}

/** Bundles cli/main.ts (as build.mjs does) and test/helpers/test-cli-main.ts. */
export function buildCli(): BuiltCli {
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-cli-'));
  const options = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: BANNER },
  } as const;
  buildSync({
    ...options,
    entryPoints: ['cli/main.ts'],
    outfile: join(dir, 'bin', 'stacksim.mjs'),
  });
  buildSync({
    ...options,
    entryPoints: ['test/helpers/test-cli-main.ts'],
    outfile: join(dir, 'bin', 'stacksim-test.mjs'),
  });
  return {
    real: join(dir, 'bin', 'stacksim.mjs'),
    test: join(dir, 'bin', 'stacksim-test.mjs'),
    dir,
  };
}

/** The outcome of one CLI invocation. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a bundle synchronously with `args` in `cwd` (default: the repository root). */
export function runBundle(bundle: string, args: readonly string[], cwd = process.cwd()): CliRun {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [bundle, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a bundle, waits until `ready` (stderr/stdout text or delay), sends `signal`, resolves on exit. */
export function runAndSignal(
  bundle: string,
  args: readonly string[],
  signal: NodeJS.Signals,
  afterMs: number,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill(signal), afterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a bundle asynchronously (so several can run at once) and resolves with its outcome. */
export function runBundleAsync(
  bundle: string,
  args: readonly string[],
  cwd = process.cwd(),
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs tasks with at most `limit` in flight, keeping results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
