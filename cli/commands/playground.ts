import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** Usage text of `stacksim playground`. */
export const PLAYGROUND_USAGE = `Usage: stacksim playground [--port N] [--dir DIR]

Serves the playground (docs/playground.md) on http://127.0.0.1:PORT/ and prints the URL:
edit a scenario in the browser, run it in a Web Worker, see the report, share a link. The
site is a static folder built by "npm run playground" (dist/playground); any static host can
serve it too. Stop with Ctrl-C.

Options:
  --port N     port on 127.0.0.1 (default 8023; 0 picks a free one)
  --dir DIR    serve this built site folder instead of dist/playground

Examples:
  stacksim playground
  stacksim playground --port 0
`;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** The built site: next to the bundled CLI (dist/playground), else dist/playground in the package. */
export function defaultSiteDir(packageDir: string): string {
  const here = new URL('./playground/', import.meta.url);
  if (here.protocol === 'file:' && existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return join(packageDir, 'dist', 'playground');
}

/** A static file server for `root` (GET and HEAD only; nothing outside root is served). */
export function siteServer(root: string): Server {
  const base = resolve(root);
  return createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = resolve(base, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (
      (file !== base && !file.startsWith(base + sep)) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

/** `stacksim playground`: serves the built playground on 127.0.0.1 until Ctrl-C. */
export async function playgroundCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(args, { port: { kind: 'string' }, dir: { kind: 'string' } });
  if (parsed.positionals.length > 0) throw new UsageError('playground takes no FILE');
  const portText = parsed.values.get('port') ?? '8023';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    throw new UsageError(`--port expects a port number 0–65535, got "${portText}"`);
  const dir = resolve(parsed.values.get('dir') ?? defaultSiteDir(ctx.packageDir));
  if (!existsSync(join(dir, 'index.html'))) {
    ctx.err(`stacksim playground: no built site at ${dir} (run "npm run playground")\n`);
    return EXIT.badInput;
  }
  const server = siteServer(dir);
  const listening = await new Promise<string | undefined>((done) => {
    server.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    server.listen(Number(portText), '127.0.0.1', () => done(undefined));
  });
  if (listening !== undefined) {
    ctx.err(
      `stacksim playground: cannot listen on 127.0.0.1:${portText} (${listening}); try --port 0\n`,
    );
    return EXIT.badInput;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : Number(portText);
  ctx.out(`stacksim playground: http://127.0.0.1:${port}/ (serving ${dir}; Ctrl-C stops)\n`);
  while (ctx.signal.received === undefined) await new Promise((r) => setTimeout(r, 200));
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  ctx.err('stacksim playground: stopped\n');
  return EXIT.ok;
}
