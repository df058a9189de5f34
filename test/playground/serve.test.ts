// `stacksim playground`: serves the built site on 127.0.0.1, prints the URL, serves nothing
// outside the folder, stops on SIGINT; a missing site or bad port is bad input (exit 2).
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/app.ts';
import { playgroundCommand } from '../../cli/commands/playground.ts';
import type { CliContext } from '../../cli/context.ts';
import { COMPONENT_KINDS } from '../../models/registry.ts';
import { tempDir } from '../report/helpers.ts';

function context() {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    kinds: COMPONENT_KINDS,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    errIsTTY: false,
    clock: () => 0,
    packageDir: tempDir(),
    signal: { received: undefined },
  };
  return { ctx, out, err };
}

/** GET with the path sent as is (no URL normalisation), status and body. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('stacksim playground', () => {
  it('serves the site folder on 127.0.0.1 and stops on SIGINT', async () => {
    const root = tempDir();
    const site = join(root, 'site');
    mkdirSync(join(site, 'scenarios'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<title>stacksim playground</title>');
    writeFileSync(join(site, 'scenarios', 'index.json'), '["a.json"]');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    const { ctx, out } = context();
    const done = playgroundCommand(['--port', '0', '--dir', site], ctx);
    for (let i = 0; i < 100 && out.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out.join(''));
    expect(m, out.join('')).not.toBeNull();
    const port = Number(m![1]);
    expect(await get(port, '/')).toEqual({
      status: 200,
      body: '<title>stacksim playground</title>',
    });
    expect((await get(port, '/scenarios/index.json')).body).toBe('["a.json"]');
    expect((await get(port, '/../secret.txt')).status).toBe(404);
    expect((await get(port, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get(port, '/..%2fsecret.txt')).status).toBe(404);
    expect((await get(port, '/missing.js')).status).toBe(404);
    ctx.signal.received = 'SIGINT';
    expect(await done).toBe(0);
  });

  it('a missing site or a bad port is bad input (exit 2)', async () => {
    const { ctx, err } = context();
    expect(await playgroundCommand(['--port', '0', '--dir', tempDir()], ctx)).toBe(2);
    expect(err.join('')).toContain('npm run playground');
    const bad = context();
    expect(await runCli(['playground', '--port', '99999'], bad.ctx, '0.1.0')).toBe(2);
    expect(bad.err.join('')).toContain('--port expects a port number');
  });
});
