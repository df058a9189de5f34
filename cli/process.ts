import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentKind } from '../models/core/component.ts';
import pkg from '../package.json' with { type: 'json' };
import { runCli } from './app.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Runs the CLI for this process over `kinds`: argv, streams, a monotonic clock, and SIGINT/
 * SIGTERM turned into a flag the run loop checks between slices (so nothing half-written is
 * left; a second signal exits at once). Unexpected errors exit 1 with a one-line message (the
 * stack only with STACKSIM_DEBUG=1).
 */
export async function main(kinds: readonly ComponentKind[]): Promise<void> {
  const signal: CliContext['signal'] = { received: undefined };
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
    if (signal.received !== undefined)
      process.exit(name === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
    signal.received = name;
  };
  // `stacksim list | head -1`: a reader that closed the pipe ends the command quietly, as `ls`
  // does (the shell reports the reader's status); anything written after that is dropped.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT.ok);
      throw error;
    });
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const ctx: CliContext = {
    kinds,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    errIsTTY: process.stderr.isTTY === true,
    clock: () => performance.now() / 1000,
    packageDir: join(dirname(fileURLToPath(import.meta.url)), '..'),
    signal,
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), ctx, pkg.version);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`stacksim: internal error: ${message}\n`);
    if (process.env.STACKSIM_DEBUG === '1' && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = EXIT.runFailure;
  }
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
}
