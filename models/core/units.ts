import { z } from 'zod';

const DURATION_UNITS: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
};
const RATE_UNITS: Readonly<Record<string, number>> = { s: 1, min: 1 / 60, m: 1 / 60, h: 1 / 3600 };
const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
  KiB: 1_024,
  MiB: 1_048_576,
  GiB: 1_073_741_824,
};
const MULTIPLIERS: Readonly<Record<string, number>> = { '': 1, k: 1_000, K: 1_000, M: 1_000_000 };

/** The accepted forms, quoted in error messages so a user can fix the value. */
export const DURATION_FORMS = '"250us", "20ms", "1.5s", "10m", "1h"';
/** The accepted rate forms. */
export const RATE_FORMS = '"800/s", "5k/min", "30/h"';
/** The accepted size forms. */
export const SIZE_FORMS = '"512B", "10KB", "1.5MB", "4KiB"';

// One canonical form each, with no spaces ("20ms", not "20 ms"): the CLI and the JSON Schema's
// `pattern` (editors) accept exactly the same strings (docs/scenario-format.md, Units).
const DURATION_RE = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|min|h)$/;
const RATE_RE = /^(\d+(?:\.\d+)?)([kKM]?)\/(s|min|m|h)$/;
const SIZE_RE = /^(\d+(?:\.\d+)?)(B|KB|MB|GB|KiB|MiB|GiB)$/;
/** The JSON Schema `pattern` of duration strings (the parser's regular expression). */
export const DURATION_PATTERN = DURATION_RE.source;
/** The JSON Schema `pattern` of rate strings. */
export const RATE_PATTERN = RATE_RE.source;
/** The JSON Schema `pattern` of size strings. */
export const SIZE_PATTERN = SIZE_RE.source;

/** Parses "20ms"-style text to whole microseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (m === null) return undefined;
  const value = Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** Parses "800/s"-style text to events per second; undefined when not a rate. */
export function parseRate(text: string): number | undefined {
  const m = RATE_RE.exec(text);
  if (m === null) return undefined;
  const value = Number(m[1]) * MULTIPLIERS[m[2]!]! * RATE_UNITS[m[3]!]!;
  return Number.isFinite(value) ? value : undefined;
}

/** Parses "10KB"-style text to bytes; undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const m = SIZE_RE.exec(text);
  if (m === null) return undefined;
  const value = Number(m[1]) * SIZE_UNITS[m[2]!]!;
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** The hint for a unit string that only fails for its spaces ("20 ms" ⇒ "20ms"). */
function spaceHint(text: string, parse: (text: string) => number | undefined): string {
  const squeezed = text.replace(/\s+/g, '');
  return squeezed !== text && parse(squeezed) !== undefined
    ? ` (no spaces: write "${squeezed}")`
    : '';
}

function unitString(
  kind: string,
  forms: string,
  parse: (text: string) => number | undefined,
  allowZero: boolean,
  pattern: string,
) {
  return z
    .string({ error: `expected a ${kind} with a unit, like ${forms}` })
    .transform((text, ctx) => {
      const value = parse(text);
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a ${kind} with a unit, like ${forms}; got "${text}"${spaceHint(text, parse)}`,
        });
        return z.NEVER;
      }
      if (!allowZero && value <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a ${kind} greater than zero; got "${text}"`,
        });
        return z.NEVER;
      }
      return value;
    })
    .meta({ type: 'string', pattern, description: `${kind} with a unit, like ${forms}` });
}

/** A positive duration such as "20ms", parsed to whole microseconds. */
export const duration = () =>
  unitString('duration', DURATION_FORMS, parseDuration, false, DURATION_PATTERN);
/** A duration that may be zero ("0ms"), parsed to whole microseconds. */
export const durationOrZero = () =>
  unitString('duration', DURATION_FORMS, parseDuration, true, DURATION_PATTERN);
/** A positive rate such as "800/s", parsed to events per second. */
export const rate = () => unitString('rate', RATE_FORMS, parseRate, false, RATE_PATTERN);
/** A size such as "10KB", parsed to bytes (zero allowed). */
export const size = () => unitString('size', SIZE_FORMS, parseSize, true, SIZE_PATTERN);

/** A percentage 0–100 (number), parsed to a fraction 0–1. */
export const percent = () =>
  z
    .number({ error: 'expected a percentage from 0 to 100' })
    .min(0, { error: 'expected a percentage from 0 to 100' })
    .max(100, { error: 'expected a percentage from 0 to 100' })
    .transform((p) => p / 100);

/** A probability 0–1. */
export const probability = () =>
  z
    .number({ error: 'expected a probability from 0 to 1' })
    .min(0, { error: 'expected a probability from 0 to 1' })
    .max(1, { error: 'expected a probability from 0 to 1' });

/** A positive whole number (counts, workers, capacities). */
export const positiveInt = (max = 1_000_000_000) =>
  z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .min(1, { error: 'expected a positive integer' })
    .max(max, { error: `expected a positive integer at most ${max}` });

/** A whole number >= 0. */
export const nonNegativeInt = (max = 1_000_000_000) =>
  z
    .number({ error: 'expected an integer >= 0' })
    .int({ error: 'expected an integer >= 0' })
    .min(0, { error: 'expected an integer >= 0' })
    .max(max, { error: `expected an integer at most ${max}` });
