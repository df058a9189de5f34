// Calls the stacksim command line in-process (no child process) and captures its output.
import { runCli } from '../cli/app.ts';
import type { CliContext } from '../cli/context.ts';
import type { ComponentKind } from '../models/core/component.ts';
import { COMPONENT_KINDS } from '../models/registry.ts';

/** Exit code and captured output of one in-process CLI call. */
export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `stacksim ARGS` in this process with the registered kinds (or `kinds`). */
export async function cliInProcess(
  args: readonly string[],
  kinds: readonly ComponentKind[] = COMPONENT_KINDS,
): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  let t = 0;
  const ctx: CliContext = {
    kinds,
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
    errIsTTY: false,
    clock: () => (t += 0.001),
    packageDir: process.cwd(),
    signal: { received: undefined },
  };
  const code = await runCli(args, ctx, 'test');
  return { code, stdout, stderr };
}
