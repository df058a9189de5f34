// `stacksim collect ID --out DIR`: runs a submitted study's coordinator again from what Redis
// holds (waiting for jobs still running, submitting later rounds) and writes its output folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, UsageError } from '../args.ts';
import { compareCommand } from '../commands/compare.ts';
import type { CommandIo } from '../commands/experiment-io.ts';
import { sweepCommand } from '../commands/sweep.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { BUILD_IDENTITY, keys } from './connection.ts';
import { openRedis, withRedis } from './status-command.ts';
import { type StudySpec, specArgv } from './study.ts';

/** Usage text of `stacksim collect`. */
export const COLLECT_USAGE = `Usage: stacksim collect ID --out DIR [--queue redis://HOST:PORT]

Waits for a submitted study (sweep or compare --queue … --detach) and writes its output folder,
the same bytes as the local run. Runs later rounds (warm-up, precision, capacity probes) as
needed; Ctrl-C leaves the study resumable. Collected results leave Redis.
`;

/** `stacksim collect` (the exit code of the study's command; 2 for an unknown study). */
export function collectCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  return withRedis('collect', ctx, () => collect(args, ctx));
}

async function collect(args: readonly string[], ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { queue: { kind: 'string' }, out: { kind: 'string' } });
  const id = a.positionals[0];
  if (id === undefined || a.positionals.length > 1) throw new UsageError('expected one study id');
  const outArg = a.values.get('out');
  if (outArg === undefined) throw new UsageError('--out DIR is required');
  const { redis, url } = await openRedis(a.values.get('queue'));
  let study: Record<string, string>;
  try {
    study = await redis.hgetall(keys.study(id));
  } finally {
    redis.disconnect();
  }
  if (study.spec === undefined) {
    ctx.err(`stacksim collect: no study ${id} in Redis\n`);
    return EXIT.badInput;
  }
  if (study.state === 'collected') {
    ctx.err(
      `stacksim collect: study ${id} was already collected and its results left Redis; run its command again\n`,
    );
    return EXIT.badInput;
  }
  if (study.identity !== BUILD_IDENTITY) {
    ctx.err(
      `stacksim collect: study ${id} was made by build ${study.identity}, this is ${BUILD_IDENTITY}\n`,
    );
    return EXIT.badInput;
  }
  const spec = JSON.parse(study.spec) as StudySpec;
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-collect-'));
  try {
    const file = join(dir, spec.file);
    writeFileSync(file, spec.text);
    const argv = specArgv(spec, file, resolve(process.cwd(), outArg), url);
    const io: CommandIo = {
      stdout: ctx.out,
      stderr: ctx.err,
      isTTY: ctx.errIsTTY,
      cwd: process.cwd(),
      now: () => ctx.clock() * 1000,
      kinds: ctx.kinds,
    };
    return spec.command === 'sweep' ? await sweepCommand(argv, io) : await compareCommand(argv, io);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
