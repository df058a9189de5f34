import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** A user algorithm module, bundled and loaded in-process: its exports and bundled code. */
export interface LoadedModule {
  /** The path as given (used in messages). */
  readonly name: string;
  /** `create(options)` (or the default export): makes one instance of the algorithm. */
  readonly create: (options: Record<string, unknown>) => unknown;
  /** The bundled JavaScript (for the static determinism check). */
  readonly code: string;
}

/** A module that cannot be loaded (missing, does not compile, exports no factory): exit 2. */
export class ModuleLoadError extends Error {
  override readonly name = 'ModuleLoadError';
}

/**
 * Bundles a user module (TypeScript or JavaScript, with its imports) with esbuild into one ESM
 * text and imports it in-process from a data: URL. User modules are trusted code: they run with
 * the user's rights. esbuild is loaded on demand (a devDependency of the checkout).
 */
export async function loadAlgorithmModule(
  path: string,
  baseDir = process.cwd(),
): Promise<LoadedModule> {
  const file = resolve(baseDir, path);
  if (!existsSync(file))
    throw new ModuleLoadError(`${path}: module not found (looked for ${file})`);
  let esbuild: typeof import('esbuild');
  try {
    // a computed specifier: bundlers leave it alone, so the CLI bundle does not carry esbuild
    const specifier = ['es', 'build'].join('');
    esbuild = (await import(specifier)) as typeof import('esbuild');
  } catch {
    throw new ModuleLoadError(
      `${path}: loading algorithm modules needs esbuild (run npm ci in the stacksim checkout)`,
    );
  }
  let code: string;
  try {
    const out = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    });
    code = out.outputFiles[0]!.text;
  } catch (error) {
    const errors =
      (
        error as {
          errors?: {
            text: string;
            location?: { file: string; line: number; column: number } | null;
          }[];
        }
      ).errors ?? [];
    const first = errors[0];
    const where = first?.location
      ? `${first.location.file}:${first.location.line}:${first.location.column}: `
      : '';
    throw new ModuleLoadError(`${path}: does not compile: ${where}${first?.text ?? String(error)}`);
  }
  const url = `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(
      `${path}: threw while loading: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const create = (exports.create ?? exports.default) as unknown;
  if (typeof create !== 'function') {
    throw new ModuleLoadError(
      `${path}: expected an exported function create(options) (or a default export) that returns the algorithm`,
    );
  }
  return { name: path, create: create as LoadedModule['create'], code };
}

const BANNED: readonly [RegExp, string][] = [
  [/\bMath\.random\b/, 'Math.random (use the rng argument)'],
  [/\bDate\.now\b/, 'Date.now (use the simulated clock)'],
  [/\bnew Date\b/, 'new Date (use the simulated clock)'],
  [/\bperformance\.now\b/, 'performance.now (use the simulated clock)'],
  [/\bprocess\.hrtime\b/, 'process.hrtime (use the simulated clock)'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/, 'timers (simulated time does not wait)'],
  [
    /\bcrypto\.(getRandomValues|randomUUID|randomBytes)\b/,
    'crypto randomness (use the rng argument)',
  ],
];

/** Wall-clock and unseeded-randomness uses in bundled code, one line each (empty: none). */
export function staticDeterminismCheck(code: string): string[] {
  const found: string[] = [];
  const lines = code.split('\n');
  for (const [re, what] of BANNED) {
    const at = lines.findIndex((l) => re.test(l) && !/^\s*\/\//.test(l));
    if (at >= 0) found.push(`${what}: bundled line ${at + 1}: ${lines[at]!.trim().slice(0, 100)}`);
  }
  return found;
}
