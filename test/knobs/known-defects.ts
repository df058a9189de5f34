// KNOWN DEFECTS: fields that should change results and do not, each pending a named issue.
// The knob test prints this list on every run and fails when an entry starts to have an effect
// (then the defect is fixed: move nothing, delete the entry).

/** Check key (as in inert.ts) → what is wrong and which issue fixes it. */
export const KNOWN_DEFECTS: Readonly<Record<string, string>> = {};
