// Bundles the command line and the benchmarks into dist/ with esbuild (tsc only type-checks).
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

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
    // the experiments benchmark bundles test kinds for its workers at run time
    external: entry.startsWith('bench/') ? ['esbuild'] : [],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
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

// The playground's static site (playground/build.mjs), served by `stacksim playground`.
const { buildPlayground } = await import('./playground/build.mjs');
await buildPlayground('dist/playground');
