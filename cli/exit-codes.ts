/** Process exit codes of the stacksim command line (documented in `stacksim --help`). */
export const EXIT = {
  ok: 0,
  runFailure: 1,
  badInput: 2,
  budget: 3,
  interrupted: 130,
  terminated: 143,
} as const;
