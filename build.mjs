// Bundles the command line and the benchmarks into dist/ with esbuild (tsc only type-checks).
import { chmodSync, existsSync } from 'node:fs';
import { build } from 'esbuild';

// The bin must start with the hashbang (before the require shim), or `npx stacksim`, `npm link`
// and global installs run it under sh; test/cli/package.test.ts checks the first line.
const HASHBANG = '#!/usr/bin/env node';
const REQUIRE_SHIM =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
const entries = [
  ['cli/main.ts', 'dist/stacksim.mjs'],
  ['bench/main.ts', 'dist/bench.mjs'],
  ['cli/worker.ts', 'dist/worker.mjs'],
];
for (const [entry, outfile] of entries) {
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    // esbuild bundles user algorithm modules (cli) and test kinds (bench) at run time
    external: ['esbuild'],
    banner: {
      js: outfile === 'dist/stacksim.mjs' ? `${HASHBANG}\n${REQUIRE_SHIM}` : REQUIRE_SHIM,
    },
  });
  if (outfile === 'dist/stacksim.mjs') chmodSync(outfile, 0o755);
}

// The browser runtime of HTML reports (vega), inlined into every report by cli/report-io.ts.
await build({
  entryPoints: ['report/runtime/main.ts'],
  outfile: 'dist/report-runtime.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
