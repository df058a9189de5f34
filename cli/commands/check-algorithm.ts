import { createStream } from '../../engine/index.ts';
import type { CacheKey, EvictionPolicy } from '../../models/cache/policy.ts';
import type { Balancer } from '../../models/lb/algorithm.ts';
import type { LimiterAlgorithm } from '../../models/ratelimit/algorithm.ts';
import { balancerContract, balancerFingerprint } from '../../testing/contracts/balancer.ts';
import {
  type CapacityOptions,
  cachePolicyContract,
  cachePolicyFingerprint,
} from '../../testing/contracts/cache-policy.ts';
import { limiterContract, limiterFingerprint } from '../../testing/contracts/limiter.ts';
import type { ContractProperty } from '../../testing/contracts/property.ts';
import {
  type LoadedModule,
  loadAlgorithmModule,
  ModuleLoadError,
  staticDeterminismCheck,
} from '../algorithm-module.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** Help of `stacksim check-algorithm`. */
export const CHECK_ALGORITHM_USAGE = `Usage: stacksim check-algorithm FILE --family balancer|limiter|cache-policy [options]

Bundles the module FILE (TypeScript or JavaScript; it exports create(options) returning the
algorithm, see docs/extending.md) and runs the family's contract suite against it: the same
properties every built-in algorithm passes. Prints each property as pass or FAIL with the
shrunk counterexample, a determinism check (two runs of a fixed workload, same fingerprint)
and a static check for wall-clock time and Math.random in the bundled code.

Options:
  --family F            balancer | limiter | cache-policy
  --options JSON        options passed to create() (default {})
  --not-keyed           limiter: an adaptive (not per-key) limiter; skip the per-key properties
  --admission           cache-policy: the policy may decline newcomers

Exit: 0 all passed, 1 a property failed, 2 bad usage or a module that cannot be loaded.

Examples:
  stacksim check-algorithm examples/algorithms/least-loaded.ts --family balancer
  stacksim check-algorithm examples/algorithms/lru-map.ts --family cache-policy
`;

const FAMILIES = ['balancer', 'limiter', 'cache-policy'] as const;
type Family = (typeof FAMILIES)[number];

interface Suite {
  readonly properties: ContractProperty[];
  readonly fingerprint: () => string;
}

function shapeError(
  m: LoadedModule,
  what: string,
  methods: readonly string[],
  value: unknown,
): void {
  const o = value as Record<string, unknown> | null;
  const missing = methods.filter((k) => typeof o?.[k] !== 'function');
  if (o === null || typeof o !== 'object' || missing.length > 0) {
    throw new ModuleLoadError(
      `${m.name}: create() must return a ${what} with ${methods.join(', ')}; missing ${missing.join(', ') || 'an object'}`,
    );
  }
}

function suiteOf(
  family: Family,
  m: LoadedModule,
  options: Record<string, unknown>,
  flags: ReadonlySet<string>,
): Suite {
  switch (family) {
    case 'balancer': {
      const make = () => m.create(options) as Balancer;
      shapeError(m, 'balancer', ['pick'], make());
      return { properties: balancerContract(make), fingerprint: () => balancerFingerprint(make) };
    }
    case 'limiter': {
      const make = () => m.create(options) as LimiterAlgorithm;
      shapeError(m, 'limiter', ['decide', 'size'], make());
      return {
        properties: limiterContract(make, { keyed: !flags.has('not-keyed') }),
        fingerprint: () => limiterFingerprint(make),
      };
    }
    case 'cache-policy': {
      const make = (cap: CapacityOptions, trace: ArrayLike<CacheKey>) =>
        m.create({
          ...options,
          ...cap,
          rng: createStream(1, 'user-policy', m.name),
          trace,
        }) as EvictionPolicy;
      shapeError(
        m,
        'cache policy',
        ['get', 'has', 'admit', 'delete', 'clear'],
        make({ capacity: 10 }, []),
      );
      return {
        properties: cachePolicyContract(make, flags.has('admission')),
        fingerprint: () => cachePolicyFingerprint(make),
      };
    }
  }
}

/** `stacksim check-algorithm FILE --family F`: the family's contract suite against a user module. */
export async function checkAlgorithmCommand(
  args: readonly string[],
  ctx: CliContext,
): Promise<number> {
  const parsed = parseArgs(args, {
    family: { kind: 'string' },
    options: { kind: 'string' },
    'not-keyed': { kind: 'boolean' },
    admission: { kind: 'boolean' },
  });
  if (parsed.positionals.length !== 1)
    throw new UsageError('check-algorithm needs exactly one FILE');
  const family = parsed.values.get('family');
  if (family === undefined || !(FAMILIES as readonly string[]).includes(family)) {
    throw new UsageError(`--family must be one of ${FAMILIES.join(', ')}`);
  }
  let options: Record<string, unknown> = {};
  const text = parsed.values.get('options');
  if (text !== undefined) {
    try {
      options = JSON.parse(text);
    } catch {
      throw new UsageError('--options must be a JSON object');
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options))
      throw new UsageError('--options must be a JSON object');
  }
  const file = parsed.positionals[0]!;
  let suite: Suite;
  let module: LoadedModule;
  try {
    module = await loadAlgorithmModule(file);
    suite = suiteOf(family as Family, module, options, parsed.flags);
  } catch (error) {
    if (error instanceof ModuleLoadError) {
      ctx.err(`stacksim check-algorithm: ${error.message}\n`);
      return EXIT.badInput;
    }
    ctx.err(
      `stacksim check-algorithm: ${file}: create() threw: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.badInput;
  }
  ctx.out(`check-algorithm ${file} (${family})\n`);
  let failed = 0;
  let total = 0;
  const report = (ok: boolean, name: string, detail: string[] = []) => {
    total++;
    if (!ok) failed++;
    ctx.out(`  ${ok ? 'pass' : 'FAIL'}  ${name}\n`);
    for (const d of detail) ctx.out(`        ${d}\n`);
  };
  for (const p of suite.properties) {
    const v = p.check();
    report(
      v.ok,
      p.name,
      v.ok ? [] : [`counterexample: ${v.counterexample}`, `error: ${v.message}`],
    );
  }
  try {
    const a = suite.fingerprint();
    const b = suite.fingerprint();
    report(
      a === b,
      `determinism: two runs of a fixed workload give the same fingerprint`,
      a === b
        ? [`fingerprint ${a}`]
        : [
            `fingerprints ${a} and ${b} differ (state shared between instances, or unseeded randomness?)`,
          ],
    );
  } catch (error) {
    report(false, 'determinism: two runs of a fixed workload give the same fingerprint', [
      `error: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const banned = staticDeterminismCheck(module.code);
  report(banned.length === 0, 'static check: no wall clock, timers or Math.random', banned);
  ctx.out(`${total - failed} of ${total} checks passed\n`);
  return failed === 0 ? EXIT.ok : EXIT.runFailure;
}
