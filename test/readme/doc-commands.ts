// The commands README.md and docs/*.md tell a user to type: every line of a ```sh block
// (trailing "# comments" removed). A ```sh setup block holds the clone's set-up commands
// (npm install, npm start, npm test), which need the repository, not the package. A ```sh queue
// block holds commands that need a Redis server (workers, --queue); test/distributed/ runs those
// against a private redis-server, so they are listed here but not run by the README test; a
// ```sh serve block starts a server that runs until Ctrl-C (the playground), which
// test/playground/ drives in Chromium instead.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One command and where it is written. */
export interface DocCommand {
  readonly file: string;
  readonly line: number;
  readonly command: string;
  /** From a ```sh setup block (run in a clone, not in the package). */
  readonly setup: boolean;
  /** From a ```sh queue block (needs Redis: run by test/distributed/). */
  readonly queue?: boolean;
  /** From a ```sh serve block (a server until Ctrl-C: run by test/playground/). */
  readonly serve?: boolean;
}

/** The commands of one Markdown text, in order. */
export function docCommands(file: string, markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  let block: 'sh' | 'setup' | 'queue' | 'serve' | 'other' | undefined;
  markdown.split('\n').forEach((text, i) => {
    const fence = /^```\s*(\S*)\s*(\S*)/.exec(text);
    if (fence !== null) {
      if (block !== undefined) block = undefined;
      else if (fence[1] === 'sh')
        block =
          fence[2] === 'setup' || fence[2] === 'queue' || fence[2] === 'serve' ? fence[2] : 'sh';
      else block = 'other';
      return;
    }
    if (block === 'other' || block === undefined) return;
    const command = text.replace(/\s+#\s.*$/, '').trim();
    if (command === '' || command.startsWith('#')) return;
    if (block === 'queue') out.push({ file, line: i + 1, command, setup: false, queue: true });
    else if (block === 'serve') out.push({ file, line: i + 1, command, setup: false, serve: true });
    else out.push({ file, line: i + 1, command, setup: block === 'setup' });
  });
  return out;
}

/** README.md and every docs/**.md file, relative to `root`, sorted. */
export function docFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.md')) files.push(join(dir, entry.name));
    }
  };
  walk('docs');
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every documented command under `root`. */
export function allDocCommands(root: string): DocCommand[] {
  return docFiles(root).flatMap((f) => docCommands(f, readFileSync(join(root, f), 'utf8')));
}

/** The value after `--name` (or `-x`) in `words`. */
function option(words: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < words.length - 1; i++) if (names.includes(words[i]!)) return words[i + 1];
  return undefined;
}

/**
 * The files a stacksim command promises to write (paths relative to its working directory):
 * run/compare/sweep --out DIR with their contract files, --report FILE, --csv FILE, --plots DIR
 * (a folder of SVGs: "DIR/*.svg"), report DIR's report.html or -o FILE, schema --out FILE, and
 * a shell redirect `> FILE`.
 */
export function promisedFiles(command: string): string[] {
  const words = command.split(/\s+/);
  const at = words.findIndex((w) => w === 'stacksim' || w.endsWith('stacksim.mjs'));
  const sub = at < 0 ? undefined : words[at + 1];
  const files: string[] = [];
  const out = option(words, '--out', '-o');
  const redirect = words.indexOf('>');
  if (redirect >= 0 && words[redirect + 1] !== undefined) files.push(words[redirect + 1]!);
  const report = option(words, '--report');
  if (report !== undefined) files.push(report);
  const csv = option(words, '--csv');
  if (csv !== undefined) files.push(csv);
  const plots = option(words, '--plots');
  if (plots !== undefined) files.push(join(plots, '*.svg'));
  if (sub === 'run' && out !== undefined) {
    files.push(
      ...['results.json', 'timeseries.csv', 'scenario.resolved.json'].map((f) => join(out, f)),
    );
    if (words.includes('--trace-requests')) files.push(join(out, 'trace.json'));
  }
  if (sub === 'compare' && out !== undefined) files.push(join(out, 'compare.json'));
  if (sub === 'sweep' && out !== undefined) {
    const capacity = words.includes('--capacity');
    if (capacity) files.push(join(out, 'capacity.json'));
    if (!capacity || words.includes('--with-sweep')) files.push(join(out, 'sweep.csv'));
    if (!capacity) files.push(join(out, 'sweep.json'));
  }
  if (sub === 'report') files.push(out ?? join(words[at + 2]!, 'report.html'));
  if (sub === 'schema' && out !== undefined) files.push(out);
  return files;
}
