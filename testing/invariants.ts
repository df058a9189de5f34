// Invariants every run of a valid scenario must satisfy, checked on one generated scenario.
// Used by test/properties/stacks.test.ts and the soak runner (scripts/soak.ts).
import type { ActorRef, SimTime } from '../engine/index.ts';
import { type RunResult, type RunScenarioOptions, ScenarioRun } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';
import { validateScenario } from '../models/scenario/load.ts';
import { runResultSchema } from '../models/scenario/results-schema.ts';
import { LimiterWatch } from './limiter-bounds.ts';

/** One broken invariant: which one and what was seen. */
export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

/** A run plus what was observed while it ran. */
export interface ObservedRun {
  readonly result: RunResult;
  /** Largest cache occupancy − capacity seen after any event (≤ 0 when the bound held). */
  readonly cacheExcess: number;
  /** Events delivered at an earlier time than the event before them. */
  readonly clockReversals: number;
  readonly events: number;
}

interface CacheLike {
  readonly cache?: { readonly size: number } | undefined;
  readonly config?: { readonly capacity?: number | undefined };
}

/**
 * Runs a validated scenario with a trace hook that checks, after every event, that time did
 * not go back and that the cache of the actor that just ran holds at most its capacity.
 */
export function observeRun(
  scenario: Scenario,
  options: RunScenarioOptions = {},
  instrument?: (run: ScenarioRun) => void,
): ObservedRun {
  let last: SimTime = -1;
  let reversals = 0;
  let excess = Number.NEGATIVE_INFINITY;
  let previous: string | undefined;
  let run: ScenarioRun | undefined;
  const caches = new Set<string>();
  for (const [id, c] of Object.entries(scenario.components)) {
    const type = (c as { type: string }).type;
    if (type === 'kv-store' || type === 'http-cache') caches.add(id);
  }
  const checkCache = (actorId: string) => {
    if (run === undefined) return;
    const component = actorId.replace(/\[\d+\]$/, '');
    if (!caches.has(component)) return;
    const sim = run.built.sim;
    const ref: ActorRef | undefined = sim.find(actorId);
    if (ref === undefined) return;
    const s = sim.stateOf<CacheLike>(ref);
    const cap = s.config?.capacity;
    if (cap !== undefined && s.cache !== undefined) excess = Math.max(excess, s.cache.size - cap);
  };
  let events = 0;
  const trace = (time: SimTime, actorId: string, type: string) => {
    events++;
    if (time < last) reversals++;
    last = time;
    if (previous !== undefined) checkCache(previous);
    previous = actorId;
    options.trace?.(time, actorId, type);
  };
  run = new ScenarioRun(scenario, { ...options, trace });
  instrument?.(run);
  const result = run.finish();
  if (previous !== undefined) checkCache(previous);
  return { result, cacheExcess: excess, clockReversals: reversals, events };
}

/** Every number in a JSON value, with its path. */
function* numbers(value: unknown, path: string): Generator<[string, number]> {
  if (typeof value === 'number') yield [path, value];
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* numbers(value[i], `${path}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* numbers(v, `${path}/${k}`);
  }
}

const isClient = (type: string) => type === 'client.open' || type === 'client.closed';

/**
 * Checks one observed run: clock, caches, results schema, finite non-negative numbers, request
 * conservation at clients (a drained run: offered = Σ byStatus = completions), per-component
 * flow (completions ≤ arrivals) and Little's law (L = λW; exact when the component drained).
 */
export function runViolations(observed: ObservedRun, drained: boolean): Violation[] {
  const out: Violation[] = [];
  const add = (invariant: string, detail: string) => out.push({ invariant, detail });
  const r = observed.result;
  if (observed.clockReversals > 0) add('clock', `${observed.clockReversals} reversals`);
  if (observed.cacheExcess > 0)
    add('cache-cap', `occupancy exceeded capacity by ${observed.cacheExcess}`);
  const parsed = runResultSchema.safeParse(JSON.parse(JSON.stringify(r)));
  if (!parsed.success)
    add('schema', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  for (const [path, v] of numbers(r, '')) {
    if (!Number.isFinite(v) || v < 0) add('numbers', `${path} = ${v}`);
  }
  if (r.events > 0 && r.fingerprint.length === 0) add('fingerprint', 'empty fingerprint');
  for (const [id, c] of Object.entries(r.components)) {
    const statusSum = Object.values(c.byStatus).reduce((a, b) => a + b, 0);
    if (statusSum !== c.completions)
      add('flow', `${id}: Σ byStatus ${statusSum} ≠ completions ${c.completions}`);
    if (c.completions > c.arrivals)
      add('flow', `${id}: completions ${c.completions} > arrivals ${c.arrivals}`);
    if (c.latency.count !== c.completions)
      add('flow', `${id}: latency count ${c.latency.count} ≠ completions ${c.completions}`);
    if (isClient(c.type) && drained) {
      const offered = c.counters.offered ?? 0;
      if (offered !== statusSum || c.arrivals !== c.completions)
        add(
          'ends-once',
          `${id}: offered ${offered}, arrivals ${c.arrivals}, Σ byStatus ${statusSum}`,
        );
    }
    // Little's law: mean in system = throughput × mean latency. Each request still inside at the
    // end adds at most one (time-averaged) unit to L that λW does not count.
    const L = c.inSystem.mean;
    const lw = c.throughput * c.latency.mean;
    const open = c.arrivals - c.completions;
    const tol = 1e-9 * Math.max(1, L) + open;
    if (Math.abs(L - lw) > tol)
      add('little', `${id}: L ${L} vs λW ${lw} (in flight at end ${open})`);
    if (c.utilisation > 1 + 1e-9) add('util', `${id}: utilisation ${c.utilisation}`);
    const l = c.latency;
    if (l.count > 0 && !(l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max))
      add('percentiles', `${id}: ${JSON.stringify(l)}`);
  }
  return out;
}

/** Validates a generated scenario file; throws with the issues when it is not valid. */
export function parseGenerated(raw: unknown): Scenario {
  const v = validateScenario(raw);
  if (!v.ok) throw new Error(`generated scenario is invalid: ${JSON.stringify(v.issues)}`);
  return v.scenario;
}

/**
 * Everything checked on one generated scenario: the run's invariants, every local rate
 * limiter within its bound (testing/limiter-bounds.ts), determinism (a second
 * run gives identical results JSON) and, when `otherSeed` is given, that a different seed
 * changes the fingerprint of a run with random arrivals.
 */
export function scenarioViolations(raw: unknown, drained = true): Violation[] {
  const scenario = parseGenerated(raw);
  const watch = new LimiterWatch();
  const first = observeRun(scenario, {}, (run) => watch.attach(run, scenario));
  const out = runViolations(first, drained);
  for (const detail of watch.violations()) out.push({ invariant: 'limiter-bound', detail });
  const again = observeRun(scenario).result;
  if (JSON.stringify(again) !== JSON.stringify(first.result))
    out.push({ invariant: 'determinism', detail: 'same seed gave different results JSON' });
  const poisson = Object.values(scenario.components).some(
    (c) => (c as { arrival?: { process?: string } }).arrival?.process === 'poisson',
  );
  const offered = Object.values(first.result.components)
    .filter((c) => isClient(c.type))
    .reduce((a, c) => a + (c.counters.offered ?? 0), 0);
  if (poisson && offered >= 5) {
    const other = observeRun(scenario, { seed: (scenario.seed + 1) % 2 ** 32 }).result;
    if (other.fingerprint === first.result.fingerprint)
      out.push({ invariant: 'seed', detail: 'a different seed gave the same fingerprint' });
  }
  return out;
}
