// Cost per routing decision of every balancing algorithm with 10, 100 and 10 000 backends.
// Standalone: npx esbuild bench/lb.ts --bundle --platform=node --format=esm --outfile=dist/bench-lb.mjs && node dist/bench-lb.mjs
import { createStream } from '../engine/index.ts';
import type { HttpRequest } from '../models/http/messages.ts';
import { newPhases } from '../models/http/messages.ts';
import type { Balancer } from '../models/lb/algorithm.ts';
import { BASE_ALGORITHMS, balancerFor } from '../models/lb/algorithms/index.ts';
import { BackendSet } from '../models/lb/backend-set.ts';
import {
  type BenchGroup,
  byName,
  type NamedFigure,
  namedFigure,
  type RunOptions,
} from './measure.ts';

/** One benchmark figure with the algorithm's cost class, e.g. 'O(n)' for full scans. */
export interface BenchFigure extends NamedFigure {
  readonly cost?: string;
}

const SIZES = [10, 100, 10_000] as const;
const RUNS = 5;

function requests(count: number): HttpRequest[] {
  return Array.from({ length: count }, (_, k) => ({
    id: k,
    origin: k,
    attempt: 0,
    client: 'bench',
    clientIp: (k * 2_654_435_761) >>> 0,
    method: 'GET',
    route: '/item',
    className: 'default',
    key: (k * 40_503) >>> 0,
    user: k,
    tier: 'free',
    idempotent: true,
    headers: { session: k % 1000 },
    size: 0,
    intendedAt: 0,
    phases: newPhases(),
    spans: undefined,
  }));
}

/** ns per pick over `picks` decisions; every pick opens a request and about one closes. */
function timeRun(
  b: Balancer,
  set: BackendSet,
  reqs: readonly HttpRequest[],
  picks: number,
  seed: number,
) {
  const rng = createStream(seed, 'bench', 'lb');
  // a ring buffer of open requests: each pick opens one; beyond 2n open, the oldest closes
  const cap = 2 * set.n;
  const open = new Int32Array(cap);
  let head = 0;
  let size = 0;
  const t0 = performance.now();
  for (let k = 0; k < picks; k++) {
    set.now = k;
    const i = b.pick(set, reqs[k % reqs.length]!, rng);
    set.open(i);
    if (size === cap) {
      const j = open[head]!;
      set.close(j);
      b.onEnd?.(j, k, 1000, true);
      head = (head + 1) % cap;
      size--;
    }
    open[(head + size) % cap] = i;
    size++;
  }
  const ns = ((performance.now() - t0) * 1e6) / picks;
  for (let q = 0; q < size; q++) set.close(open[(head + q) % cap]!);
  return ns;
}

/** Runs the benchmark and returns one figure per (algorithm, backend count). */
export async function run(
  sizes: readonly number[] = SIZES,
  runs: number = RUNS,
): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const reqs = requests(4096);
  for (const name of [...BASE_ALGORITHMS, 'sticky']) {
    for (const n of sizes) {
      const set = new BackendSet(
        Array.from({ length: n }, (_, i) => ({
          id: `app[${i}]`,
          weight: 1 + (i % 3),
          backup: false,
          maxconn: 0,
        })),
      );
      const b = balancerFor(
        name === 'sticky' ? { name: 'sticky', ttl: '1h', fallback: 'round-robin' } : name,
      );
      const picks = b.cost === 'O(n)' ? Math.max(2_000, Math.round(2e6 / n)) : 200_000;
      timeRun(b, set, reqs, Math.min(picks, 5_000), 0); // warm-up: builds rings and tables
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) samples.push(timeRun(b, set, reqs, picks, r + 1));
      figures.push({ ...namedFigure(`lb.${name}.n${n}`, 'ns/decision', samples), cost: b.cost });
    }
  }
  return figures;
}

/** The lb group: ns per routing decision (--quick: 10 and 100 backends, 3 runs). */
export const lbGroup: BenchGroup = {
  name: 'lb',
  summary: 'ns per routing decision, every balancing algorithm, 10 / 100 / 10 000 backends',
  run: async (options: RunOptions) => {
    const list = options.quick ? await run([10, 100], 3) : await run();
    // The cost class goes into the unit, so the report's table shows it.
    const labelled = list.map(({ cost, ...f }) => ({
      ...f,
      unit: `${f.unit}${cost === undefined ? '' : ` ${cost}`}`,
    }));
    return { figures: byName(labelled), checks: [] };
  },
};

const invoked = typeof process !== 'undefined' && /bench-lb\.m?js$/.test(process.argv[1] ?? '');
if (invoked) {
  const figures = await run();
  for (const f of figures) {
    console.log(
      `${f.name.padEnd(40)} ${f.cost?.padEnd(9)} median ${f.median.toFixed(0).padStart(7)} ns  [${f.min.toFixed(0)}–${f.max.toFixed(0)}]`,
    );
  }
}
