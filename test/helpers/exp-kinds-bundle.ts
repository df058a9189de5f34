import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles test/helpers/exp-kinds.ts to a temporary ES module that workers can import. */
export async function bundleTestKinds(
  entry = new URL('./exp-kinds.ts', import.meta.url).pathname,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-kinds-'));
  const outfile = join(dir, 'exp-kinds.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return pathToFileURL(outfile).href;
}
