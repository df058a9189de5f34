import { z } from 'zod';

/** A user algorithm named in a scenario: a module path (relative to the scenario) and options. */
export const userModuleSchema = z.strictObject({
  module: z
    .string()
    .min(1)
    .describe(
      'a TypeScript/JavaScript module exporting create(options); trusted code (docs/extending.md)',
    ),
  options: z.record(z.string(), z.unknown()).default({}).describe('passed to create(options)'),
});
/** A parsed user-module reference. */
export type UserModule = z.output<typeof userModuleSchema>;

/** Makes one instance of a user algorithm (the CLI bundles and loads the module; models do no I/O). */
export type UserFactory = (options: Record<string, unknown>) => unknown;

/**
 * Wraps every method of a user algorithm so an exception names the module: the engine then
 * stops the run with the actor, message type, simulated time and this message.
 */
export function guardUserAlgorithm<T extends object>(module: string, impl: T): T {
  const out: Record<string, unknown> = {};
  // own fields and methods, and methods of a class instance's prototypes
  const keys = new Set<string>(Object.keys(impl));
  for (
    let p = Object.getPrototypeOf(impl);
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    for (const k of Object.getOwnPropertyNames(p)) if (k !== 'constructor') keys.add(k);
  }
  for (const key of keys) {
    const v = (impl as Record<string, unknown>)[key];
    if (typeof v !== 'function') {
      // fields read through to the instance; assignments (a cache policy's onEvict) reach it too
      Object.defineProperty(out, key, {
        get: () => (impl as Record<string, unknown>)[key],
        set: (value: unknown) => {
          (impl as Record<string, unknown>)[key] = value;
        },
        enumerable: true,
      });
      continue;
    }
    out[key] = (...args: unknown[]) => {
      try {
        return (v as (...a: unknown[]) => unknown).apply(impl, args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`algorithm module ${module} threw in ${key}(): ${message}`);
      }
    };
  }
  return out as T;
}

/**
 * One guarded instance of the user module `ref` through the factory lookup the CLI supplies;
 * `extra` (capacity, rng, …) is merged over the scenario's options.
 */
export function createUserAlgorithm<T extends object>(
  lookup: ((module: string) => UserFactory) | undefined,
  ref: UserModule,
  family: string,
  extra: Record<string, unknown> = {},
): T {
  const factory = lookup?.(ref.module);
  if (factory === undefined) {
    throw new RangeError(
      `the ${family} module ${ref.module} was not loaded (run the scenario with the stacksim CLI, or pass userAlgorithm when building from code)`,
    );
  }
  return guardUserAlgorithm(ref.module, factory({ ...ref.options, ...extra }) as T);
}
