// The README runs as a test: every command of README.md's and docs/*.md's ```sh blocks runs in
// a fresh copy of the packed package (npm pack, unpacked into a temporary folder, with the bin
// linked in node_modules/.bin as an install does), in order, each file in its own copy, so
// relative output paths land in the temporary folder. Each must exit 0 and write the files it
// promises (test/readme/doc-commands.ts). Any doc edit that breaks a command breaks the build.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { npmEnv, type Packed, packRepository, sh } from '../helpers/package.ts';
import { REPO_ROOT } from '../helpers/reference.ts';
import { allDocCommands, docCommands, promisedFiles } from './doc-commands.ts';

const commands = allDocCommands(REPO_ROOT);
const byFile = new Map<string, typeof commands>();
for (const c of commands.filter((c) => !c.setup && c.queue !== true && c.serve !== true))
  byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

let packed: Packed;
beforeAll(() => {
  packed = packRepository();
});
afterAll(() => rmSync(dirname(packed.tarball), { recursive: true, force: true }));

/** A fresh copy of the unpacked package with `stacksim` on PATH, as after an install. */
function freshCopy(name: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = join(dirname(packed.tarball), `copy-${name.replace(/[^A-Za-z0-9]+/g, '-')}`);
  cpSync(packed.unpacked, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join('..', '..', pkg.bin.stacksim), join(dir, 'node_modules', '.bin', 'stacksim'));
  const env = npmEnv(packed.cache);
  return { dir, env: { ...env, PATH: `${join(dir, 'node_modules', '.bin')}:${env.PATH ?? ''}` } };
}

/** Whether a promised file exists and is not empty ("DIR/*.svg": at least one SVG in DIR). */
function written(dir: string, file: string): boolean {
  if (file.endsWith('*.svg')) {
    const folder = join(dir, dirname(file));
    return existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.svg'));
  }
  const path = join(dir, file);
  return existsSync(path) && statSync(path).size > 0;
}

describe('the documented commands', () => {
  test('are found: README has a set-up block and the usage block; docs add their own', () => {
    const readme = commands.filter((c) => c.file === 'README.md');
    expect(readme.filter((c) => c.setup).map((c) => c.command)).toEqual([
      'npm install && npm start',
      'npm install && npm test',
    ]);
    expect(readme.filter((c) => !c.setup).length).toBeGreaterThanOrEqual(8);
    expect([...byFile.keys()].filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(0);
    // set-up commands are for a clone; only README may have them
    expect(commands.filter((c) => c.setup && c.file !== 'README.md')).toEqual([]);
  });

  test('commands that need Redis (```sh queue) are ones test/distributed/ runs', () => {
    const dir = join(REPO_ROOT, 'test', 'distributed');
    const tests = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const queued = commands.filter((c) => c.queue === true);
    expect(queued.length).toBeGreaterThan(0);
    for (const c of queued) {
      // set-up lines (redis-server, npm ci) have no stacksim subcommand to look for
      const sub = /stacksim\s+(\S+)/.exec(c.command)?.[1];
      if (sub === undefined) continue;
      expect(tests, `${c.file}:${c.line} ${c.command}`).toContain(`'${sub}'`);
      expect(tests).toContain("'--queue'");
    }
  });

  test('commands that serve until Ctrl-C (```sh serve) are the playground, which test/playground/ runs', () => {
    const served = commands.filter((c) => c.serve === true).map((c) => c.command);
    expect(served).toContain('npx stacksim playground');
    for (const command of served)
      expect(command).toMatch(/^(npm run (build|playground)|npx stacksim playground)$/);
    expect(pkg.scripts.playground).toContain('playground/build.mjs');
    const serveTest = readFileSync(join(REPO_ROOT, 'test', 'playground', 'serve.test.ts'), 'utf8');
    expect(serveTest).toContain('playgroundCommand(');
  });

  test("README's set-up commands name scripts the package defines", () => {
    expect(pkg.scripts.start).toContain('scenarios/quickstart.json');
    expect(pkg.scripts.test).toContain('vitest run');
  });

  test('the extractor reads sh blocks only, drops comments, and knows what each command writes', () => {
    const md = [
      '```sh',
      'npx stacksim run a.json --out out/a   # note',
      '```',
      '```json',
      '{ "not": "a command" }',
      '```',
      '```sh setup',
      'npm install',
      '```',
    ].join('\n');
    expect(docCommands('x.md', md)).toEqual([
      { file: 'x.md', line: 2, command: 'npx stacksim run a.json --out out/a', setup: false },
      { file: 'x.md', line: 8, command: 'npm install', setup: true },
    ]);
    expect(promisedFiles('npx stacksim run a.json --out out/a --report r.html')).toEqual([
      'r.html',
      'out/a/results.json',
      'out/a/timeseries.csv',
      'out/a/scenario.resolved.json',
    ]);
    expect(promisedFiles('stacksim report out/co -o co.html --plots plots/')).toEqual([
      'plots/*.svg',
      'co.html',
    ]);
  });
});

describe.each([...byFile.keys()])('%s', (file) => {
  test('every command exits 0 and writes what it promises', () => {
    const { dir, env } = freshCopy(file);
    for (const c of byFile.get(file)!) {
      const r = sh(c.command, dir, env, 600_000);
      expect(r.code, `${c.file}:${c.line}: ${c.command}\n${r.stderr}`).toBe(0);
      for (const f of promisedFiles(c.command))
        expect(written(dir, f), `${c.file}:${c.line}: ${c.command} did not write ${f}`).toBe(true);
    }
  }, 1_200_000);
});
