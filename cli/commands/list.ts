import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonText } from '../../models/scenario/json-text.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

function firstSentence(text: string): string {
  const line = text.split('\n')[0]!.trim();
  const dot = line.search(/\.(\s|$)/);
  return dot < 0 ? line : line.slice(0, dot + 1);
}

/** `stacksim list [DIR]`: the scenarios in scenarios/ with one line each. */
export function listCommand(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, {});
  if (parsed.positionals.length > 1) throw new UsageError('list takes at most one DIR');
  const dir =
    parsed.positionals[0] ??
    (existsSync('scenarios') ? 'scenarios' : join(ctx.packageDir, 'scenarios'));
  if (!existsSync(dir)) {
    ctx.err(`stacksim: no scenarios directory at ${dir}\n`);
    return EXIT.badInput;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(0, ...files.map((f) => f.length));
  for (const f of files) {
    const json = parseJsonText(readFileSync(join(dir, f), 'utf8'));
    let line = '(not valid JSON)';
    if (json.ok && json.value !== null && typeof json.value === 'object') {
      const v = json.value as { name?: unknown; description?: unknown };
      const name = typeof v.name === 'string' ? v.name : '(no name)';
      const desc = typeof v.description === 'string' ? ` — ${firstSentence(v.description)}` : '';
      line = `${name}${desc}`;
    }
    ctx.out(`${join(dir, f).padEnd(width + dir.length + 1)}  ${line}\n`);
  }
  if (files.length === 0) ctx.out(`(no scenarios in ${dir})\n`);
  return EXIT.ok;
}
