// How a queued study ends a command early without failing it (no BullMQ import here).

/** Ends an experiment command with a message and an exit code (commandError prints it). */
export class StudyNotice extends Error {
  override readonly name = 'StudyNotice';
  /** Exit code: 0 after --detach, 130 after Ctrl-C. */
  readonly code: number;
  /** Where the message goes. */
  readonly stream: 'stdout' | 'stderr';
  constructor(message: string, code: number, stream: 'stdout' | 'stderr') {
    super(message);
    this.code = code;
    this.stream = stream;
  }
}
