import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReplication } from '../experiments/replications.ts';
import { COMPONENT_KINDS } from '../models/registry.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import { type Check, collectGarbage, type Figure, figure, runChild } from './measure.ts';

// Start-up: the CPU (user + system, process.cpuUsage at exit, read by a preloaded hook) of
// `node dist/stacksim.mjs run bench/workloads/mm1.json --duration 1111s -q`, about 1 000
// requests, in a fresh process, next to `node -e 0` with the same hook (what node itself costs
// here). Memory: the live heap after a full GC of a run holding 10 000 and 90 000 requests in
// flight (each waits 10 000 s of I/O in an app server), in fresh processes; the difference per
// 80 000 requests gives bytes per 1 000 in flight.
const STARTUP_RUNS = 7;
const STARTUP_TARGET_MS = 150;
const SMALL = 10_000;
const LARGE = 90_000;
const MEMORY_RUNS = 2;

const HOOK = `process.on('exit', () => {
  const u = process.cpuUsage();
  require('node:fs').writeSync(2, '\\nSTARTUP_CPU_US ' + (u.user + u.system) + '\\n');
});\n`;

/** A preload script that prints the process's CPU (user + system, µs) to stderr at exit. */
export function hookFile(dir = mkdtempSync(join(tmpdir(), 'stacksim-bench-'))): string {
  const file = join(dir, 'cpu-hook.cjs');
  writeFileSync(file, HOOK);
  return file;
}

/** CPU milliseconds of one `node --require HOOK ARGS...` process. */
export function childCpuMs(hook: string, args: readonly string[]): number {
  const out = spawnSync(process.execPath, ['--require', hook, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const m = /STARTUP_CPU_US (\d+)/.exec(out.stderr);
  if (out.status !== 0 || m === null) throw new Error(`start-up child failed: ${out.stderr}`);
  return Number(m[1]) / 1000;
}

function startup(): { stacksim: number[]; node: number[] } {
  const hook = hookFile();
  const cli = fileURLToPath(new URL('./stacksim.mjs', import.meta.url));
  const workload = fileURLToPath(new URL('../bench/workloads/mm1.json', import.meta.url));
  const stacksim: number[] = [];
  const node: number[] = [];
  for (let r = 0; r < STARTUP_RUNS; r++) {
    node.push(childCpuMs(hook, ['-e', '0']));
    stacksim.push(childCpuMs(hook, [cli, 'run', workload, '--duration', '1111s', '-q']));
  }
  return { stacksim, node };
}

/** An open-loop client into an app server where every request waits 10 000 s of I/O. */
function inflightScenario(requests: number): string {
  const rate = 10_000;
  return JSON.stringify({
    version: 1,
    name: 'in-flight memory',
    seed: 1,
    run: { duration: `${requests / rate}s`, warmup: '0s', window: '1s' },
    components: {
      src: {
        type: 'client.open',
        target: 'app',
        arrival: { process: 'poisson', rate: `${rate}/s` },
        timeout: '100000000s',
        connection: { tls: 'none', poolSize: 100_000 },
      },
      app: {
        type: 'app-server',
        workers: 100_000,
        backlog: 1_000_000,
        routes: [
          {
            method: 'GET',
            route: '/',
            steps: [{ io: { dist: 'constant', value: '10000s' } }],
          },
        ],
      },
    },
  });
}

interface InflightChild {
  readonly requests: number;
  readonly arrivals: number;
  readonly liveBytes: number;
}

function inflightChild(args: readonly string[]): InflightChild {
  const requests = Number(args[0]);
  const loaded = loadScenarioText(inflightScenario(requests), { kinds: COMPONENT_KINDS });
  if (!loaded.ok) throw new Error(`in-flight scenario: ${JSON.stringify(loaded.issues)}`);
  const run = startReplication(loaded.scenario, 0, { kinds: COMPONENT_KINDS });
  const result = run.finish();
  collectGarbage();
  const m = process.memoryUsage();
  const live = m.heapUsed + m.arrayBuffers;
  // keep the run reachable until after the measurement
  const arrivals = result.components.src?.arrivals ?? 0;
  if (run.progress().events < arrivals) throw new Error('in-flight run did not deliver');
  return { requests, arrivals, liveBytes: live };
}

/** Start-up and in-flight memory figures for the scenarios group. */
export async function startupFigures(options: {
  quick: boolean;
}): Promise<{ figures: Record<string, Figure>; checks: Check[] }> {
  const s = startup();
  const perThousand: number[] = [];
  const runs = options.quick ? 1 : MEMORY_RUNS;
  for (let r = 0; r < runs; r++) {
    const small = runChild('inflight-mem', [String(SMALL)], ['--expose-gc']) as InflightChild;
    const large = runChild('inflight-mem', [String(LARGE)], ['--expose-gc']) as InflightChild;
    const inFlight = large.arrivals - small.arrivals;
    perThousand.push(((large.liveBytes - small.liveBytes) / inFlight) * 1000);
  }
  const cpu = figure(s.stacksim, 'ms CPU');
  const figures: Record<string, Figure> = {
    'startup.stacksim run 1000 requests': cpu,
    'startup.node -e 0': figure(s.node, 'ms CPU'),
    'memory.per 1000 in-flight requests': figure(
      perThousand.map((b) => b / 1024),
      'KiB (live heap)',
    ),
  };
  return {
    figures,
    checks: [
      {
        name: 'start-up: stacksim run of ~1 000 requests (mm1.json, 1 111 s), CPU ms',
        target: `<= ${STARTUP_TARGET_MS}`,
        value: cpu.median,
        met: cpu.median <= STARTUP_TARGET_MS,
      },
    ],
  };
}

/** Child processes of the start-up measurements. */
export const startupChild = { 'inflight-mem': inflightChild };
