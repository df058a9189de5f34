// Bundles the command line and the benchmarks into dist/ with esbuild (tsc only type-checks).
import { existsSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const entries = [
  ['cli/main.ts', 'dist/stacksim.mjs'],
  ['bench/main.ts', 'dist/bench.mjs'],
  ['cli/worker.ts', 'dist/worker.mjs'],
];
rmSync('dist/chunks', { recursive: true, force: true });
for (const [entry, outfile] of entries) {
  if (!existsSync(entry)) continue;
  // The CLI is split at its dynamic imports: the report and chart code (vega, vega-lite: half
  // the bundle) goes to dist/chunks/ and is parsed only when a report is asked for, which keeps
  // the start-up of a plain `stacksim run` short (bench: startup).
  const split = entry === 'cli/main.ts';
  const name = outfile.slice('dist/'.length, -'.mjs'.length);
  await build({
    ...(split
      ? {
          entryPoints: { [name]: entry },
          outdir: 'dist',
          splitting: true,
          chunkNames: 'chunks/[name]-[hash]',
          outExtension: { '.js': '.mjs' },
        }
      : { entryPoints: [entry], outfile }),
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
