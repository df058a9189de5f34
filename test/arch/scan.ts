import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Tokens banned from the simulation path (engine/, models/, experiments/), as regexes. */
export const BANNED_TOKENS: readonly (readonly [string, RegExp])[] = [
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['Date', /\bDate\b/],
  ['performance', /\bperformance\b/],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  ['setImmediate', /\bsetImmediate\b/],
  ['queueMicrotask', /\bqueueMicrotask\b/],
  ['Promise', /\bPromise\b/],
  ['async', /\basync\b/],
  ['await', /\bawait\b/],
  ['localeCompare', /\blocaleCompare\b/],
  ['WeakRef', /\bWeakRef\b/],
  ['process.', /\bprocess\s*\./],
  ['console', /\bconsole\b/],
];

const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';']);

/**
 * Replaces every comment with spaces, keeping newlines so line numbers survive. Understands
 * string, template (with nested `${}` code) and simple regex literals, so `//` inside them is
 * not taken for a comment.
 */
export function stripComments(src: string): string {
  const out: string[] = [];
  const templateDepth: number[] = []; // brace depth at which each open `${` returns to a template
  let braces = 0;
  let lastCode = '';
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) out.push(src[k] === '\n' ? '\n' : ' ');
  };
  const copyQuoted = (quote: string): void => {
    const start = i++;
    while (i < src.length && src[i] !== quote && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
    i++;
    out.push(src.slice(start, i));
  };
  const copyTemplate = (): void => {
    const start = i;
    while (i < src.length && src[i] !== '`') {
      if (src[i] === '\\') i += 2;
      else if (src[i] === '$' && src[i + 1] === '{') {
        i += 2;
        templateDepth.push(braces);
        out.push(src.slice(start, i));
        return;
      } else i++;
    }
    i++;
    out.push(src.slice(start, i));
  };
  while (i < src.length) {
    const c = src[i]!;
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      copyQuoted(c);
      lastCode = 'x';
    } else if (c === '`') {
      i++;
      out.push('`');
      copyTemplate();
      lastCode = 'x';
    } else if (c === '/' && REGEX_PRECEDERS.has(lastCode)) {
      const start = i++;
      let inClass = false;
      while (i < src.length && src[i] !== '\n') {
        const ch = src[i]!;
        if (ch === '\\') i++;
        else if (ch === '[') inClass = true;
        else if (ch === ']') inClass = false;
        else if (ch === '/' && !inClass) break;
        i++;
      }
      i++;
      out.push(src.slice(start, i));
      lastCode = 'x';
    } else {
      if (c === '{') braces++;
      if (c === '}') {
        if (templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === braces) {
          templateDepth.pop();
          out.push('}');
          i++;
          copyTemplate();
          lastCode = 'x';
          continue;
        }
        braces--;
      }
      out.push(c);
      if (!/\s/.test(c)) lastCode = /[\w$)\]]/.test(c) ? 'x' : c;
      i++;
    }
  }
  return out.join('');
}

/** A rule broken at a place in a file. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

/**
 * Blanks the contents of single- and double-quoted string literals (quotes kept), so a config
 * value such as 'async' (a concurrency model name) is not taken for the keyword.
 */
export function blankQuotedStrings(code: string): string {
  return code.replace(
    /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g,
    (m) => `${m[0]}${' '.repeat(m.length - 2)}${m[0]}`,
  );
}

/** Banned tokens in `src` outside comments and string literals, with 1-based line numbers. */
export function findBannedTokens(file: string, src: string): Finding[] {
  const findings: Finding[] = [];
  blankQuotedStrings(stripComments(src))
    .split('\n')
    .forEach((text, index) => {
      for (const [name, pattern] of BANNED_TOKENS) {
        if (pattern.test(text)) findings.push({ file, line: index + 1, what: name });
      }
    });
  return findings;
}

/** Every module specifier in `src` (static, re-export, side-effect and dynamic imports). */
export function importSpecifiers(src: string): { line: number; spec: string }[] {
  const code = stripComments(src);
  const found: { line: number; spec: string }[] = [];
  const pattern = /\b(?:from|import)\s*\(?\s*(['"])([^'"\n]+)\1/g;
  for (const m of code.matchAll(pattern)) {
    const line = code.slice(0, m.index).split('\n').length;
    found.push({ line, spec: m[2]! });
  }
  return found;
}

/** Resolves a relative specifier from `file` (repo-relative, posix) to a repo-relative path. */
export function resolveSpecifier(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(file), spec));
}

/** All .ts files under `dir` of `root`, as sorted repo-relative posix paths. */
export function listTs(root: string, dir: string): string[] {
  const result: string[] = [];
  const walk = (abs: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) result.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(join(root, dir));
  return result.sort();
}

/** Reads a repo-relative file. */
export function read(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}
