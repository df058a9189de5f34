import { parseArgs as parseArgv } from 'node:util';

/** How a command's options are declared: long name → kind (and an optional short letter). */
export interface OptionSpec {
  readonly kind: 'boolean' | 'string' | 'list';
  readonly short?: string;
}

/** Parsed arguments: positionals in order and option values by long name. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `args` against `spec` with Node's own `util.parseArgs` (--name value, --name=value,
 * -x value, boolean --flag, repeated list options, `--` ending options), then applies our
 * rules with our messages: unknown options, a missing value, a value given to a flag and a
 * single-valued option given twice are usage errors.
 */
export function parseArgs(
  args: readonly string[],
  spec: Readonly<Record<string, OptionSpec>>,
): ParsedArgs {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
  > = {};
  for (const [name, s] of Object.entries(spec)) {
    options[name] = {
      type: s.kind === 'boolean' ? 'boolean' : 'string',
      ...(s.short === undefined ? {} : { short: s.short }),
      ...(s.kind === 'list' ? { multiple: true } : {}),
    };
  }
  const { tokens } = parseArgv({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const { name, rawName } = token;
    const s = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (s === undefined || (rawName.length === 2 && s.short !== rawName.slice(1)))
      throw new UsageError(`unknown option ${rawName}`);
    if (s.kind === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = token.value;
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (s.kind === 'string') {
      if (values.has(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, value);
    } else {
      const list = lists.get(name) ?? [];
      list.push(value);
      lists.set(name, list);
    }
  }
  return { positionals, flags, values, lists };
}
