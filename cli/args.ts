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
 * Parses `args` against `spec`: --name value, --name=value, -x value, boolean --flag, repeated
 * list options, and `--` ending options. Unknown options are usage errors.
 */
export function parseArgs(
  args: readonly string[],
  spec: Readonly<Record<string, OptionSpec>>,
): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(spec))
    if (s.short !== undefined) byShort.set(s.short, name);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
    } else if (arg.length === 2 && arg.startsWith('-') && arg !== '-') {
      name = byShort.get(arg.slice(1));
      if (name === undefined) throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (s === undefined || !Object.hasOwn(spec, name))
      throw new UsageError(`unknown option --${name}`);
    if (s.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      i++;
    }
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
