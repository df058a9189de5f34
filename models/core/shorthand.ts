import { z } from 'zod';

/**
 * Schemas that also accept a bare name for `{ "name": … }` ("round-robin" for
 * `{ "name": "round-robin" }`). The parser does it with z.preprocess, which the generated JSON
 * Schema cannot see; models/scenario/json-schema.ts reads this registry to offer the names too.
 */
export const nameShorthands = z.registry<{ readonly names: readonly string[] }>();

/** `schema`, also accepting any of `names` as a string meaning `{ name }`. */
export function withNameShorthand<T extends z.ZodType>(schema: T, names: readonly string[]) {
  const wrapped = z.preprocess((v) => (typeof v === 'string' ? { name: v } : v), schema);
  nameShorthands.add(wrapped, { names });
  return wrapped;
}
