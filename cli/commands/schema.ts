import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { scenarioJsonSchemaText } from '../../models/scenario/json-schema.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { writeFileAtomically } from '../io.ts';

/** Default place of the JSON Schema, relative to the working directory. */
export const SCHEMA_PATH = 'docs/scenario.schema.json';

/** `stacksim schema [--out FILE | --stdout]`: writes the scenario JSON Schema. */
export function schemaCommand(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, {
    out: { kind: 'string', short: 'o' },
    stdout: { kind: 'boolean' },
  });
  if (parsed.positionals.length > 0) throw new UsageError('schema takes no FILE (use --out FILE)');
  const text = scenarioJsonSchemaText(ctx.kinds);
  if (parsed.flags.has('stdout')) {
    ctx.out(text);
    return EXIT.ok;
  }
  const path = parsed.values.get('out') ?? SCHEMA_PATH;
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomically(path, text);
  ctx.out(`wrote ${path}\n`);
  return EXIT.ok;
}
