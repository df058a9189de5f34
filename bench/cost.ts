import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { type BenchGroup, type Figure, figure } from './measure.ts';
import { runScenarioFile } from './scenarios.ts';

// Where a request's CPU goes, per component, without a profiler at hand: each scenario runs
// once under V8's sampling profiler (node:inspector, 100 µs interval), every sample's own time
// is charged to the source file its function came from (the bundle marks each file with a
// `// path.ts` line) and files are grouped by component. The shares are then applied to the
// CPU per request of unprofiled runs, giving ns per request per component. Attribution is by
// self time: a helper in models/core called by the app server counts as "core".
const CASES = [
  { name: 'checkout', file: new URL('../scenarios/checkout.json', import.meta.url), scale: 1 / 3 },
  {
    name: 'webstack',
    file: new URL('../bench/workloads/webstack.json', import.meta.url),
    scale: 0.05,
  },
] as const;
const UNPROFILED_RUNS = 3;

/** Component of a bundled source path (or of a V8 pseudo-function for GC and the like). */
export function componentOf(path: string): string {
  const rules: readonly (readonly [RegExp, string])[] = [
    [/^engine\//, 'engine (queue, slots, dispatch, timers, fingerprint)'],
    [/^models\/client\//, 'client'],
    [/^models\/server\/proxy/, 'proxy'],
    [/^models\/server\//, 'app server'],
    [/^models\/db\//, 'database'],
    [/^models\/lb\//, 'load balancer'],
    [/^models\/net\//, 'network (links)'],
    [/^models\/core\/(probe|trace)|^models\/scenario\/results/, 'probes and results'],
    [/^models\/core\//, 'core helpers (ids, calls, distributions)'],
    [/^models\/cache\//, 'caches'],
    [/^models\/http\//, 'http messages'],
    [/^models\//, 'other models'],
    [/node_modules\/seedrandom/, 'random numbers (seedrandom)'],
    [/node_modules\/heap-js/, 'heap-js (client pool)'],
    [/^\(garbage collector\)$/, 'garbage collection'],
  ];
  for (const [re, name] of rules) if (re.test(path)) return name;
  return 'other (node, builtins)';
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** (first line, source path) of every file in a bundle, in order. */
function fileMarkers(bundle: string): { line: number; path: string }[] {
  const out: { line: number; path: string }[] = [];
  const lines = bundle.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/.exec(lines[i]!);
    if (m !== null) out.push({ line: i, path: m[1]! });
  }
  return out;
}

function pathAt(markers: readonly { line: number; path: string }[], line: number): string {
  let lo = 0;
  let hi = markers.length - 1;
  let found = '';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (markers[mid]!.line <= line) {
      found = markers[mid]!.path;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function profiled(fn: () => void): Profile {
  const session = new Session();
  session.connect();
  let profile: Profile | undefined;
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  session.post('Profiler.start');
  fn();
  session.post('Profiler.stop', (err, out) => {
    if (err === null) profile = (out as unknown as { profile: Profile }).profile;
  });
  session.disconnect();
  if (profile === undefined) throw new Error('the profiler returned nothing');
  return profile;
}

/** Self time per component (shares summing to 1) of one profile. */
export function componentShares(profile: Profile): Map<string, number> {
  const bundleUrl = new URL(import.meta.url).href;
  const markers = fileMarkers(readFileSync(fileURLToPath(bundleUrl), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const time = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const f = node.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    const d = profile.timeDeltas[i] ?? 0;
    const path = f.url === bundleUrl ? pathAt(markers, f.lineNumber) : f.functionName;
    const c = componentOf(path);
    time.set(c, (time.get(c) ?? 0) + d);
    total += d;
  });
  for (const [k, v] of time) time.set(k, v / total);
  return time;
}

function runCost(): { figures: Record<string, Figure>; checks: [] } {
  const figures: Record<string, Figure> = {};
  for (const c of CASES) {
    runScenarioFile(c.file, 0.01); // warm-up
    const perRequest: number[] = [];
    for (let r = 0; r < UNPROFILED_RUNS; r++) {
      const run = runScenarioFile(c.file, c.scale);
      perRequest.push((run.cpuSeconds / run.requests) * 1e9);
    }
    const ns = figure(perRequest, 'ns CPU/request').median;
    figures[`cost.${c.name}.total`] = figure(perRequest, 'ns CPU/request');
    const shares = componentShares(profiled(() => runScenarioFile(c.file, c.scale)));
    const sorted = [...shares].sort((a, b) => b[1] - a[1]);
    for (const [component, share] of sorted) {
      figures[`cost.${c.name}.${component}`] = figure([share * ns], 'ns/request');
    }
  }
  return { figures, checks: [] };
}

/** The per-component cost group: ns of CPU per request per component for checkout and webstack. */
export const costGroup: BenchGroup = {
  name: 'cost',
  summary: 'ns of CPU per request per component (sampling profile × unprofiled CPU per request)',
  run: runCost,
};
