// The scenarios the knob test perturbs: every bundled scenario (shortened, and compressed in time
// where its timeline or TTLs need it), every variant of them as a scenario of its own, and a
// fixed sample of generated scenarios (testing/arbitraries.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ScenarioRun } from '../../models/scenario/build.ts';
import type { Scenario } from '../../models/scenario/format.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { applyOverrides, type Override } from '../../models/scenario/overrides.ts';
import { FEATURES, type Feature, scenarioArbitrary } from '../../testing/arbitraries.ts';

/** One scenario of the corpus: a label and its raw (file-format) object. */
export interface CorpusEntry {
  readonly label: string;
  readonly raw: Record<string, unknown>;
  /**
   * For a variant: the paths it sets. Only fields under them are checked there (the rest is
   * the base scenario's, already checked in the base).
   */
  readonly focus?: readonly (readonly string[])[];
}

/** Measured time and warm-up for a bundled scenario without its own setting below. */
const DURATION = { cap: 2_000_000, text: '2s' };
const WARMUP = { cap: 1_000_000, text: '1s' };

/**
 * Scenarios whose timeline, TTLs or control loops act after the default short run: their
 * instants and periods are brought forward (same mechanisms, smaller times). Paths as `--set`.
 */
const SPECIAL: Readonly<Record<string, readonly Override[]>> = {
  autoscale: [
    { path: 'run.duration', value: '30s' },
    { path: 'timeline.0.at', value: '2s' },
    { path: 'components.lb.autoscale.interval', value: '2s' },
    { path: 'components.lb.autoscale.cooldown', value: '6s' },
    { path: 'components.lb.autoscale.provisioningDelay', value: '6s' },
    { path: 'components.lb.slowStart.window', value: '3s' },
  ],
  'cache-cold-restart': [
    { path: 'run.duration', value: '3s' },
    { path: 'run.warmup', value: '1s' },
    { path: 'timeline.0.at', value: '1s' },
  ],
  'dns-failover': [
    { path: 'run.duration', value: '40s' },
    { path: 'components.users.arrival.rate', value: '5/s' },
    { path: 'components.auth.soaMinimum', value: '20s' },
    { path: 'components.auth.records.0.ttl', value: '10s' },
    { path: 'components.auth.records.0.changes.0.at', value: '5s' },
    { path: 'timeline.0.at', value: '20s' },
    { path: 'timeline.0.for', value: '10s' },
  ],
  'lb-failover': [
    { path: 'run.duration', value: '10s' },
    { path: 'timeline.0.at', value: '2s' },
    { path: 'timeline.0.for', value: '5s' },
    { path: 'components.lb.slowStart.window', value: '3s' },
  ],
  'retry-collapse': [{ path: 'run.duration', value: '40s' }],
  'async-jobs': [
    { path: 'run.duration', value: '12s' },
    { path: 'run.warmup', value: '1s' },
    { path: 'timeline.0.at', value: '2s' },
    { path: 'timeline.0.for', value: '6s' },
  ],
  'adaptive-concurrency': [
    { path: 'run.duration', value: '20s' },
    { path: 'run.warmup', value: '2s' },
  ],
  'metastable-throttle': [
    { path: 'run.duration', value: '30s' },
    { path: 'run.warmup', value: '2s' },
    { path: 'timeline.0.at', value: '5s' },
  ],
  'circuit-breaker': [
    { path: 'run.duration', value: '12s' },
    { path: 'timeline.0.at', value: '2s' },
    { path: 'timeline.0.for', value: '6s' },
    { path: 'components.breaker.breaker.waitDurationInOpenState', value: '2s' },
  ],
  'retry-storm': [
    { path: 'run.duration', value: '10s' },
    { path: 'run.warmup', value: '1s' },
  ],
  overload: [
    { path: 'run.duration', value: '1s' },
    { path: 'run.warmup', value: '500ms' },
  ],
  'cache-policies': [
    { path: 'run.duration', value: '1s' },
    { path: 'run.warmup', value: '1s' },
  ],
  'cache-layers': [
    { path: 'run.duration', value: '3s' },
    { path: 'run.warmup', value: '1s' },
    { path: 'components.usersEu.browserCache.capacity', value: '200' },
    { path: 'components.usersUs.browserCache.capacity', value: '200' },
    { path: 'components.edge.capacity', value: '500' },
    { path: 'components.edge.ttl', value: '2s' },
    { path: 'components.app.localCache.capacity', value: '200' },
    { path: 'components.app.localCache.ttl', value: '1s' },
    { path: 'components.app.routes.0.maxAge', value: '1s' },
    { path: 'components.app.routes.0.steps.1.onMiss.0.ttl', value: '2s' },
    { path: 'components.redis.capacity', value: '2000' },
  ],
  'cache-stampede': [
    { path: 'run.duration', value: '3s' },
    { path: 'components.usersNone.arrival.rate', value: '1000/s' },
    { path: 'components.usersLock.arrival.rate', value: '1000/s' },
    { path: 'components.usersXfetch.arrival.rate', value: '1000/s' },
    { path: 'components.edgeNone.ttl', value: '1s' },
    { path: 'components.edgeLock.ttl', value: '1s' },
    { path: 'components.edgeXfetch.ttl', value: '1s' },
  ],
  'rate-limit-compare': [
    { path: 'run.duration', value: '5s' },
    { path: 'run.warmup', value: '1s' },
    { path: 'components.clients.arrival.off', value: '2s' },
  ],
  'url-to-page': [],
  // a variant's own settings follow its scenario's (key `scenario~variant`)
  'login-bruteforce~login-limit': [
    { path: 'components.app.middleware.0.rateLimit.lockout.window', value: '80ms' },
    { path: 'components.app.middleware.0.rateLimit.lockout.duration', value: '1s' },
  ],
};

/** Event budget per run: a perturbation that explodes the load stops here (still a change). */
export const MAX_EVENTS = 600_000;

const DURATION_RE = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;
const UNIT_US: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  h: 3600e6,
};
function micros(v: unknown): number {
  const m = typeof v === 'string' ? DURATION_RE.exec(v) : null;
  return m === null ? 0 : Number(m[1]) * UNIT_US[m[2]!]!;
}

function shorten(name: string, raw: Record<string, unknown>, variant = ''): Override[] {
  const own = SPECIAL[`${name}~${variant}`] ?? [];
  const special = SPECIAL[name];
  if (special !== undefined) return [...special, ...own];
  const run = raw.run as Record<string, unknown>;
  const out: Override[] = [];
  if (micros(run.duration) > DURATION.cap) out.push({ path: 'run.duration', value: DURATION.text });
  if (micros(run.warmup) > WARMUP.cap) out.push({ path: 'run.warmup', value: WARMUP.text });
  return [...out, ...own];
}

function applied(
  raw: unknown,
  overrides: readonly Override[],
  what: string,
): Record<string, unknown> {
  const r = applyOverrides(raw, overrides);
  if (!r.ok) throw new Error(`${what}: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.value as Record<string, unknown>;
}

/** The bundled scenarios, shortened, each followed by its variants (label `name~variant`). */
export function bundledCorpus(dir = 'scenarios'): CorpusEntry[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: CorpusEntry[] = [];
  for (const name of names) {
    const file = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    const base = applied(file, shorten(name, file), name);
    out.push({ label: name, raw: base });
    const variants = (file.variants ?? {}) as Record<string, Record<string, unknown>>;
    for (const [vname, set] of Object.entries(variants)) {
      if (Object.keys(set).length === 0) continue;
      const overrides = Object.entries(set).map(([path, value]) => ({
        path,
        value: JSON.stringify(value),
      }));
      const raw = applied(base, overrides, `${name} variant ${vname}`);
      // the variant is now the scenario; its experiment fields stay with the base file
      for (const k of ['variants', 'baseline', 'sweep', 'capacity']) delete raw[k];
      const variant = applied(raw, shorten(name, file, vname), vname);
      const same = { ...base };
      for (const k of ['variants', 'baseline', 'sweep', 'capacity']) delete same[k];
      if (JSON.stringify(variant) === JSON.stringify(same)) continue; // the baseline variant
      const focus = Object.keys(set).map((path) => path.split('.'));
      out.push({ label: `${name}~${vname}`, raw: variant, focus });
    }
  }
  return out;
}

/** A fixed sample of generated scenarios: six with every feature, ten with features drawn. */
export function generatedCorpus(): CorpusEntry[] {
  const all = Object.fromEntries(FEATURES.map((f) => [f, true])) as Record<Feature, boolean>;
  const every = fc.sample(scenarioArbitrary({ features: all }), {
    seed: 17,
    numRuns: 6,
  });
  const drawn = fc.sample(scenarioArbitrary(), { seed: 18, numRuns: 10 });
  return [...every, ...drawn].map((g, i) => ({
    label: `generated-${i}`,
    raw: g.scenario as Record<string, unknown>,
  }));
}

/** Validates a raw scenario; undefined when it does not validate (the perturbation is skipped). */
export function validated(raw: unknown): Scenario | undefined {
  const r = validateScenario(raw);
  if (!r.ok) return undefined;
  const run = r.scenario.run;
  return {
    ...r.scenario,
    run: { ...run, maxEvents: Math.min(run.maxEvents ?? MAX_EVENTS, MAX_EVENTS) },
  };
}

/** What a user sees of one run, as text: every component's results and per-window series. */
export interface Observed {
  readonly text: string;
  readonly events: number;
}

/** Runs one replication and returns its observable results. */
export function observe(scenario: Scenario): Observed {
  const run = new ScenarioRun(scenario);
  const r = run.finish();
  return {
    text: JSON.stringify({
      completed: r.completed,
      duration: r.duration,
      components: r.components,
      series: run.series(),
    }),
    events: r.events,
  };
}
