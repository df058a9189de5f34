// Builds the playground (a static site: HTML, CSS, two JS bundles, the report runtime and the
// bundled scenarios) into one folder with esbuild. No CDN, no server logic: any static host works.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// cli/ helpers reused here (report inputs, CSV, results JSON) import node: modules only for their
// file functions, which the page never calls; they resolve to a module that throws if used.
const nodeStub = {
  name: 'node-stub',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({
      contents: `module.exports = new Proxy({}, { get: (_, k) => k === '__esModule' ? false : () => { throw new Error('${a.path} is not available in the browser'); } });`,
      loader: 'js',
    }));
  },
};

/** Builds the site into `outdir` (emptied first); returns the JS payload sizes in bytes. */
export async function buildPlayground(outdir = 'dist/playground') {
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, 'scenarios'), { recursive: true });
  const common = {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [nodeStub],
    define: { __STACKSIM_VERSION__: JSON.stringify(version) },
  };
  await build({ ...common, entryPoints: ['playground/main.ts'], outfile: join(outdir, 'app.js') });
  await build({
    ...common,
    entryPoints: ['playground/worker.ts'],
    outfile: join(outdir, 'worker.js'),
  });
  await build({
    ...common,
    entryPoints: ['report/runtime/main.ts'],
    outfile: join(outdir, 'report-runtime.js'),
    format: 'iife',
    target: 'es2020',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join('playground', f), join(outdir, f));
  const names = readdirSync('scenarios')
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const f of names) copyFileSync(join('scenarios', f), join(outdir, 'scenarios', f));
  writeFileSync(join(outdir, 'scenarios', 'index.json'), `${JSON.stringify(names)}\n`);
  writeFileSync(join(outdir, 'version.json'), `${JSON.stringify({ version })}\n`);
  const size = (f) => readFileSync(join(outdir, f)).length;
  return { app: size('app.js'), worker: size('worker.js'), runtime: size('report-runtime.js') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildPlayground(process.argv[2]);
  console.log(
    `playground built: app.js ${sizes.app} B, worker.js ${sizes.worker} B, report-runtime.js ${sizes.runtime} B`,
  );
}
