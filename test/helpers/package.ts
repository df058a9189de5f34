// Packs the project as `npm pack` does and unpacks it: the package a user installs.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './reference.ts';

/** The outcome of one shell command. */
export interface ShellRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for npm/npx in tests: a private npm cache, no colour, no update notices. */
export function npmEnv(cache: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    NO_COLOR: '1',
  };
}

/** Runs `command` under sh in `cwd` (bounded by `timeoutMs`). */
export function sh(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 300_000,
): ShellRun {
  const r: SpawnSyncReturns<string> = spawnSync('sh', ['-c', command], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A packed package: the tarball, its unpacked folder, and the npm cache used. */
export interface Packed {
  readonly tarball: string;
  readonly unpacked: string;
  readonly cache: string;
  readonly files: readonly string[];
}

/**
 * Builds dist/ when it is missing (npm test builds first), packs the repository with
 * `npm pack` into a temporary folder and unpacks the tarball there (package/).
 */
export function packRepository(): Packed {
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-pack-'));
  const cache = join(dir, 'npm-cache');
  mkdirSync(cache);
  const env = npmEnv(cache);
  if (!existsSync(join(REPO_ROOT, 'dist', 'stacksim.mjs'))) {
    const built = sh('node build.mjs', REPO_ROOT, env);
    if (built.code !== 0) throw new Error(`node build.mjs failed: ${built.stderr}`);
  }
  // --ignore-scripts: no prepack rebuild while other test files read dist/
  const packed = sh(`npm pack --json --ignore-scripts --pack-destination "${dir}"`, REPO_ROOT, env);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const info = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  const tarball = join(dir, info[0]!.filename);
  const untar = sh(`tar xzf "${tarball}"`, dir, env);
  if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  return {
    tarball,
    unpacked: join(dir, 'package'),
    cache,
    files: info[0]!.files.map((f) => f.path).sort(),
  };
}
