import { UsageError } from './args.ts';
import { cacheCurveCommand } from './commands/cache-curve.ts';
import { checkAlgorithmCommand } from './commands/check-algorithm.ts';
import { compareCommand } from './commands/compare.ts';
import { diffTraceCommand } from './commands/diff-trace.ts';
import type { CommandIo } from './commands/experiment-io.ts';
import { listCommand } from './commands/list.ts';
import { playgroundCommand } from './commands/playground.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { schemaCommand } from './commands/schema.ts';
import { sweepCommand } from './commands/sweep.ts';
import { validateCommand } from './commands/validate.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { COMMAND_HELP, MAIN_HELP } from './help.ts';
import { collectCommand } from './queue/collect-command.ts';
import { statusCommand } from './queue/status-command.ts';
import { workerCommand } from './queue/worker-command.ts';

const COMMANDS: Readonly<
  Record<string, (args: readonly string[], ctx: CliContext) => number | Promise<number>>
> = {
  run: runCommand,
  validate: validateCommand,
  schema: schemaCommand,
  list: listCommand,
  report: reportCommand,
  compare: (args, ctx) => compareCommand([...args], experimentIo(ctx)),
  sweep: (args, ctx) => sweepCommand([...args], experimentIo(ctx)),
  'diff-trace': diffTraceCommand,
  'cache-curve': cacheCurveCommand,
  'check-algorithm': checkAlgorithmCommand,
  worker: workerCommand,
  status: statusCommand,
  collect: collectCommand,
  playground: playgroundCommand,
};

/** Adapts the CLI context to the experiment commands' io (they run replications on workers). */
function experimentIo(ctx: CliContext): CommandIo {
  return {
    stdout: ctx.out,
    stderr: ctx.err,
    isTTY: ctx.errIsTTY,
    cwd: process.cwd(),
    now: () => ctx.clock() * 1000,
    kinds: ctx.kinds,
  };
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  ctx: CliContext,
  version: string,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    ctx.out(
      topic !== undefined && Object.hasOwn(COMMAND_HELP, topic) ? COMMAND_HELP[topic]! : MAIN_HELP,
    );
    return command === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    ctx.out(`stacksim ${version}\n`);
    return EXIT.ok;
  }
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (handler === undefined) {
    ctx.err(
      `stacksim: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see stacksim --help)\n`,
    );
    return EXIT.badInput;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.out(COMMAND_HELP[command]!);
    return EXIT.ok;
  }
  try {
    return await handler(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.err(`stacksim ${command}: ${error.message}\n\n${COMMAND_HELP[command]!}`);
      return EXIT.badInput;
    }
    throw error;
  }
}
