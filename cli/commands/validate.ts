import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { scenarioWarnings } from '../warnings.ts';
import { loadScenarioFile } from './load-file.ts';

/** `stacksim validate FILE…`: one line per valid file (and its warnings); every problem of the others. */
export function validateCommand(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, {});
  if (parsed.positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  let bad = false;
  for (const file of parsed.positionals) {
    const loaded = loadScenarioFile(file, ctx.kinds);
    if (!loaded.ok) {
      bad = true;
      for (const line of loaded.lines) ctx.err(`${line}\n`);
      continue;
    }
    const s = loaded.result.scenario;
    const n = Object.keys(s.components).length;
    ctx.out(`${file}: ok (${s.name}; ${n} component${n === 1 ? '' : 's'})\n`);
    for (const line of scenarioWarnings(file, s)) ctx.err(`${line}\n`);
  }
  return bad ? EXIT.badInput : EXIT.ok;
}
