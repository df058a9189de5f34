import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { scenarioJsonSchemaText } from '../../models/scenario/json-schema.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { writeFileAtomically } from '../io.ts';
import { outputFileError } from '../out-path.ts';

/**
 * `stacksim schema [--out FILE]`: prints the scenario JSON Schema on stdout, or writes it to
 * FILE (`npm run schema` writes docs/scenario.schema.json). `--stdout` is the default, kept
 * for older scripts.
 */
export function schemaCommand(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, {
    out: { kind: 'string', short: 'o' },
    stdout: { kind: 'boolean' },
  });
  if (parsed.positionals.length > 0) throw new UsageError('schema takes no FILE (use --out FILE)');
  const path = parsed.values.get('out');
  if (path !== undefined && parsed.flags.has('stdout'))
    throw new UsageError('give either --out FILE or --stdout');
  const text = scenarioJsonSchemaText(ctx.kinds);
  if (path === undefined) {
    ctx.out(text);
    return EXIT.ok;
  }
  const problem = outputFileError(path);
  if (problem !== undefined) throw new UsageError(`--out ${path}: ${problem}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomically(path, text);
  ctx.err(`wrote ${path}\n`);
  return EXIT.ok;
}
