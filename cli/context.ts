import type { ComponentKind } from '../models/core/component.ts';

/** What a command needs from the outside world; main.ts fills it from the process. */
export interface CliContext {
  readonly kinds: readonly ComponentKind[];
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal (progress bar). */
  readonly errIsTTY: boolean;
  /** Wall-clock seconds (monotonic). */
  readonly clock: () => number;
  /** Directory of the installed package (for scenarios/ when the cwd has none). */
  readonly packageDir: string;
  /** Set when SIGINT or SIGTERM arrived; commands stop at the next slice. */
  readonly signal: { received: 'SIGINT' | 'SIGTERM' | undefined };
}
