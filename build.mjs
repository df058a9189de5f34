// Bundles the command line and the benchmarks into dist/ with esbuild (tsc only type-checks).
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
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
  ['cli/queue/processor.ts', 'dist/queue-processor.mjs'],
];
// What a queued job's worker must match (cli/queue/connection.ts): the lockfile it was built from.
const lockfileHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
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
    // esbuild bundles user algorithm modules (cli) and test kinds (bench) at run time;
    // bullmq forks its sandboxed processors from its own files, so it stays in node_modules
    external: ['esbuild', 'bullmq', 'ioredis'],
    define: { __STACKSIM_LOCKFILE_HASH__: JSON.stringify(lockfileHash) },
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

// The playground's static site (playground/build.mjs), served by `stacksim playground`.
const { buildPlayground } = await import('./playground/build.mjs');
await buildPlayground('dist/playground');
