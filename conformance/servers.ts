import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A product binary and the Debian package that ships it. */
export interface Product {
  readonly binary: string;
  readonly pkg: string;
}

/** The full path of `binary` on PATH or in /usr/sbin, /usr/bin; undefined when absent. */
export function findBinary(binary: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  for (const d of dirs) {
    if (d !== '' && existsSync(join(d, binary))) return join(d, binary);
  }
  return undefined;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on 127.0.0.1:`port`, or rejects after `ms`. */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const until = performance.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > until)
      throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await sleep(50);
  }
}

/** Resolves after `ms` wall-clock milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Every server process not yet stopped, so a watchdog can stop them all by PID. */
const live = new Set<ServerProcess>();

/** Stops every server process still running (by PID) and removes their folders. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** A server process started in its own temporary folder; `stop()` ends it by PID. */
export class ServerProcess {
  readonly dir: string;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `stacksim-conf-${name}-`));
  }

  /** Writes `text` to `file` inside the folder and returns its full path. */
  write(file: string, text: string): string {
    const path = join(this.dir, file);
    writeFileSync(path, text);
    return path;
  }

  /** Starts `binary args` in the folder (foreground mode) and waits until `port` accepts. */
  async start(binary: string, args: readonly string[], port: number): Promise<void> {
    const child = spawn(binary, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(this);
    child.stdout?.on('data', (d) => {
      this.output += String(d);
    });
    child.stderr?.on('data', (d) => {
      this.output += String(d);
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`${binary} exited with ${code}: ${this.output.slice(-2000)}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port), exited]);
  }

  /** Output the process wrote so far (for error messages). */
  log(file?: string): string {
    if (file !== undefined && existsSync(join(this.dir, file))) {
      return readFileSync(join(this.dir, file), 'utf8');
    }
    return this.output;
  }

  /** Sends SIGTERM to the PID (SIGKILL after 3 s) and removes the folder. */
  async stop(): Promise<void> {
    live.delete(this);
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid, 'SIGTERM');
      const killed = await Promise.race([done.then(() => true), sleep(3000).then(() => false)]);
      if (!killed && child.exitCode === null) {
        process.kill(child.pid, 'SIGKILL');
        await done;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** redis-server arguments for a private server on 127.0.0.1: no snapshots, no AOF, its own dir. */
export function redisArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
}
