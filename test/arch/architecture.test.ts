import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findBannedTokens,
  importSpecifiers,
  listTs,
  read,
  resolveSpecifier,
  stripComments,
} from './scan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = [
  'engine',
  'models',
  'experiments',
  'cli',
  'bench',
  'scenarios',
  'conformance',
  'playground',
];
const SIMULATION_PATH = ['engine', 'models', 'experiments'];
const MAX_LINES = 400;

/** Imports from files under `from` that land in any of `forbidden`, as "file:line -> target". */
function forbiddenImports(from: string, forbidden: readonly string[]): string[] {
  const bad: string[] = [];
  for (const file of listTs(ROOT, from)) {
    for (const { line, spec } of importSpecifiers(read(ROOT, file))) {
      const target = resolveSpecifier(file, spec);
      if (target === undefined) continue;
      const top = target.split('/')[0]!;
      if (forbidden.includes(top)) bad.push(`${file}:${line} imports ${spec}`);
    }
  }
  return bad;
}

describe('scanner self-check (fixtures, not real files)', () => {
  it('flags planted tokens with their line and ignores them in comments', () => {
    const src = [
      '// Math.random() in a line comment is fine',
      '/* Date and Promise',
      '   in a block comment */ const a = Math.random();',
      "const url = 'http://example'; const t = Date.now();",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: fixture source text
      'const s = `${`${performance.now()}`}`; // setTimeout',
      'const r = /\\/\\/x/; process.exit(1);',
      'async function f() { await g(); }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: fixture source text
      'const o = { k: 1 }; const q = `a${o.k}b`; queueMicrotask(f);',
      "x.localeCompare(y); new WeakRef(z); setInterval(f); setImmediate(f); console.log('');",
      'const myDate = 1; const processed = 2; const asyncish = 3;',
    ].join('\n');
    const found = findBannedTokens('fixture.ts', src).map((f) => `${f.line}:${f.what}`);
    expect(found).toEqual([
      '3:Math.random',
      '4:Date',
      '5:performance',
      '6:process.',
      '7:async',
      '7:await',
      '8:queueMicrotask',
      '9:setInterval',
      '9:setImmediate',
      '9:localeCompare',
      '9:WeakRef',
      '9:console',
    ]);
  });

  it('ignores banned words inside string literals but not in code', () => {
    const findings = findBannedTokens('f.ts', "const m = 'async';\nasync function f() {}");
    expect(findings.map((f) => `${f.line}:${f.what}`)).toEqual(['2:async']);
  });

  it('keeps line numbers and string contents when stripping comments', () => {
    const src = "a /* x\ny */ b // c\n'//not a comment'";
    expect(stripComments(src).split('\n')).toEqual(['a     ', '     b     ', "'//not a comment'"]);
  });

  it('finds every kind of import specifier', () => {
    const src = [
      "import { a } from '../models/x.ts';",
      'import {',
      '  b,',
      "} from '../cli/y.ts';",
      "export { c } from './z.ts';",
      "import './side.ts';",
      "const m = import('../cli/lazy.ts');",
      "// import { d } from '../cli/commented.ts';",
    ].join('\n');
    expect(importSpecifiers(src)).toEqual([
      { line: 1, spec: '../models/x.ts' },
      { line: 4, spec: '../cli/y.ts' },
      { line: 5, spec: './z.ts' },
      { line: 6, spec: './side.ts' },
      { line: 7, spec: '../cli/lazy.ts' },
    ]);
    expect(resolveSpecifier('engine/stats/a.ts', '../../models/x.ts')).toBe('models/x.ts');
  });
});

describe('layers', () => {
  it('finds the engine sources (the scan is not vacuous)', () => {
    expect(listTs(ROOT, 'engine')).toContain('engine/simulation.ts');
  });

  it('engine/ imports nothing from models/, scenarios/, cli/, experiments/ or conformance/', () => {
    expect(
      forbiddenImports('engine', ['models', 'scenarios', 'cli', 'experiments', 'conformance']),
    ).toEqual([]);
  });

  it('models/ imports nothing from cli/ or conformance/', () => {
    expect(forbiddenImports('models', ['cli', 'conformance'])).toEqual([]);
  });

  it('nothing but conformance/ imports conformance/ (the top layer, with real servers)', () => {
    const dirs = ['experiments', 'cli', 'bench'];
    expect(dirs.flatMap((d) => forbiddenImports(d, ['conformance']))).toEqual([]);
  });

  it('code outside engine/ reaches the engine only through engine/index.ts', () => {
    const bad: string[] = [];
    for (const dir of ['models', 'experiments', 'cli', 'bench', 'conformance', 'playground']) {
      for (const file of listTs(ROOT, dir)) {
        for (const { line, spec } of importSpecifiers(read(ROOT, file))) {
          const target = resolveSpecifier(file, spec);
          if (target?.startsWith('engine/') && target !== 'engine/index.ts') {
            bad.push(`${file}:${line} imports ${spec}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('determinism rules', () => {
  it('engine/, models/ and experiments/ use no banned tokens outside comments', () => {
    const found = SIMULATION_PATH.flatMap((dir) =>
      listTs(ROOT, dir).flatMap((file) => findBannedTokens(file, read(ROOT, file))),
    ).map((f) => `${f.file}:${f.line}: ${f.what}`);
    expect(found).toEqual([]);
  });

  it('engine/index.ts names its exports (no export *)', () => {
    const code = stripComments(read(ROOT, 'engine/index.ts'));
    expect(code).not.toMatch(/export\s*\*/);
    expect(code).toMatch(/export \{ Simulation \}/);
  });
});

describe('size', () => {
  it(`every non-test .ts source file has fewer than ${MAX_LINES} lines`, () => {
    const rootFiles = listTs(ROOT, '.').filter((f) => !f.includes('/'));
    const files = [...SOURCE_DIRS.flatMap((dir) => listTs(ROOT, dir)), ...rootFiles];
    const tooLong = files
      .map((file) => ({ file, lines: read(ROOT, file).split('\n').length }))
      .filter((x) => x.lines >= MAX_LINES)
      .map((x) => `${x.file}: ${x.lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
