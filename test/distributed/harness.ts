// Real parts for the distributed tests: a private redis-server on 127.0.0.1 (free port, temp
// dir, stopped by PID), the CLI bundled as build.mjs does, and workers as separate OS processes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Redis } from 'ioredis';

/** Whether the Debian redis-server is installed (CI=true makes its absence a failure). */
export const HAVE_REDIS = existsSync('/usr/bin/redis-server');
if (!HAVE_REDIS && process.env.CI === 'true')
  throw new Error('redis-server is missing: apt-get install redis-server (see .ci/run)');
if (!HAVE_REDIS) console.warn('test/distributed skipped: install the Debian package redis-server');

const BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** The real lockfile hash (what build.mjs bakes in). */
export const LOCK_HASH = createHash('sha256')
  .update(readFileSync('package-lock.json'))
  .digest('hex');

/**
 * Bundles the CLI and the sandboxed processor next to each other with a given lockfile hash
 * (another hash = a build of another version). Under node_modules/ so `bullmq` resolves.
 */
export function buildBins(lockHash = LOCK_HASH): { cli: string; dir: string } {
  const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.stacksim-dist-test-'));
  for (const [entry, out] of [
    ['cli/main.ts', 'stacksim.mjs'],
    ['cli/queue/processor.ts', 'queue-processor.mjs'],
  ] as const) {
    buildSync({
      entryPoints: [entry],
      outfile: join(dir, out),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      banner: { js: BANNER },
      external: ['bullmq', 'ioredis'],
      define: { __STACKSIM_LOCKFILE_HASH__: JSON.stringify(lockHash) },
    });
  }
  return { cli: join(dir, 'stacksim.mjs'), dir };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A private redis-server; `restart()` stops it (SIGTERM, AOF flushed) and starts it again. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly client: Redis;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 with a free port in a temp dir (AOF on when `persist`). */
export async function startRedis(persist = false): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    persist ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn('/usr/bin/redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const r = spawnSync('/usr/bin/redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
      if (r.stdout.trim() === 'PONG') return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  };
  const halt = async () => {
    if (proc.exitCode !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    process.kill(proc.pid!, 'SIGTERM');
    await done;
  };
  await launch();
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
  client.on('error', () => {});
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      client.disconnect();
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A process started by {@link start}: its output so far, and its exit. */
export interface Proc {
  readonly pid: number;
  readonly out: { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
  /** Signals the process and its children (its own process group). */
  kill(signal: NodeJS.Signals): void;
}

/** Starts `node cli args` in its own process group. */
export function start(cli: string, args: readonly string[]): Proc {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => {
    out.stdout += d;
  });
  child.stderr!.on('data', (d) => {
    out.stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    pid: child.pid!,
    out,
    exited,
    kill: (signal) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    },
  };
}

/** Runs `node cli args` to its end (at most `limitMs`, then SIGKILL and an error). */
export async function run(cli: string, args: readonly string[], limitMs = 90_000) {
  const p = start(cli, args);
  const timer = setTimeout(() => p.kill('SIGKILL'), limitMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, ...p.out };
}

/** Starts `count` workers (one job at once each, short locks so a lost job re-runs quickly). */
export function startWorkers(cli: string, url: string, count: number): Proc[] {
  return Array.from({ length: count }, () =>
    start(cli, ['worker', '--queue', url, '--concurrency', '1', '--lock-ms', '2000']),
  );
}

/** Stops workers (SIGTERM to each process group) and waits for them. */
export async function stopAll(procs: readonly Proc[]): Promise<void> {
  for (const p of procs) p.kill('SIGTERM');
  const limit = sleep(10_000).then(() => {
    for (const p of procs) p.kill('SIGKILL');
  });
  await Promise.race([Promise.all(procs.map((p) => p.exited)), limit]);
  await Promise.all(procs.map((p) => p.exited));
}

/** SHA-256 over a folder's file names and contents, in name order. */
export function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    h.update(`${name}\0`);
    h.update(readFileSync(join(dir, name)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Polls `check` every 100 ms until true (at most `limitMs`). */
export async function until(check: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(100);
  }
}

/** The study digests hash's size: chunks with a result. */
export async function resultsIn(redis: Redis): Promise<number> {
  const keys = await redis.keys('stacksim:study:*:digests');
  let n = 0;
  for (const k of keys) n += await redis.hlen(k);
  return n;
}

/** The shortened study arguments used throughout (same code path as the full files). */
export const SHORT = ['--set', 'run.duration=1s', '--set', 'run.warmup=500ms'];
/** capacity-plan.json's sweep grid, then its capacity bisection (rounds that depend on results). */
export const CAPACITY = [
  'sweep',
  'scenarios/capacity-plan.json',
  '--capacity',
  '--with-sweep',
  ...SHORT,
];
/** lb-compare.json with 8 replications. */
export const LB = ['compare', 'scenarios/lb-compare.json', '--replications', '8', ...SHORT];
