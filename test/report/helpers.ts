// Generates reports in-process for the report tests (the CLI commands with a captured context).
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { runCli } from '../../cli/app.ts';
import type { CliContext } from '../../cli/context.ts';
import { COMPONENT_KINDS } from '../../models/registry.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds dist/report-runtime.js (as build.mjs does) when it is missing. */
export function ensureRuntime(): void {
  const out = join(ROOT, 'dist', 'report-runtime.js');
  if (existsSync(out)) return;
  buildSync({
    entryPoints: [join(ROOT, 'report/runtime/main.ts')],
    outfile: out,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Runs `stacksim ARGS` in-process from the repository root; returns exit code and output. */
export async function stacksim(args: readonly string[]) {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    kinds: COMPONENT_KINDS,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTTY: false,
    clock: () => performance.now() / 1000,
    packageDir: ROOT,
    signal: { received: undefined },
  };
  const code = await runCli(args, ctx, 'test');
  return { code, out, err };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'stacksim-report-'));
}

/** test-output/ (gitignored) for screenshots. */
export function testOutput(): string {
  const dir = join(ROOT, 'test-output', 'report');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fixture path under test/fixtures/report/. */
export const fixture = (name: string) => join(ROOT, 'test', 'fixtures', 'report', name);

/** Reads a file as text. */
export const text = (path: string) => readFileSync(path, 'utf8');

/** Every report the browser test opens: name → path, generated once per test file. */
export async function generateAll(dir: string): Promise<Record<string, string>> {
  ensureRuntime();
  const at = (f: string) => join(dir, f);
  const runs: [string, string[]][] = [
    [
      'checkout',
      [
        'run',
        join(ROOT, 'scenarios/checkout.json'),
        '--duration',
        '10s',
        '-q',
        '--trace-requests',
        '20',
        '--out',
        at('checkout'),
        '--report',
        at('checkout.html'),
      ],
    ],
    [
      'quickstart',
      ['run', join(ROOT, 'scenarios/quickstart.json'), '-q', '--report', at('quickstart.html')],
    ],
    [
      'faults',
      ['run', fixture('faults.json'), '-q', '--out', at('faults'), '--trace-requests', '10'],
    ],
    ['faults-from-dir', ['report', at('faults'), '-o', at('faults-from-dir.html')]],
    [
      'compare',
      [
        'compare',
        fixture('variants.json'),
        '--workers',
        '1',
        '--out',
        at('compare'),
        '--report',
        at('compare.html'),
      ],
    ],
    [
      'sweep',
      [
        'sweep',
        fixture('sweep.json'),
        '--workers',
        '1',
        '--out',
        at('sweep'),
        '--report',
        at('sweep.html'),
      ],
    ],
    [
      'capacity',
      [
        'sweep',
        fixture('sweep.json'),
        '--workers',
        '1',
        '--capacity',
        '--report',
        at('capacity.html'),
      ],
    ],
    ['xss', ['run', fixture('xss.json'), '-q', '--report', at('xss.html')]],
  ];
  const files: Record<string, string> = {};
  for (const [name, args] of runs) {
    const r = await stacksim(args);
    if (r.code !== 0) throw new Error(`stacksim ${args.join(' ')} → ${r.code}: ${r.err}`);
    if (existsSync(at(`${name}.html`))) files[name] = at(`${name}.html`);
  }
  return files;
}
