import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { appServerKind } from '../../models/server/app-server.ts';
import type { AppState } from '../../models/server/app-state.ts';
import { testStack } from '../helpers/poisson-source.ts';
import { referencePath } from '../helpers/reference.ts';

interface RefCase {
  readonly id: string;
  readonly params: { c?: number; K?: number; mu: number; lam: number; mc_samples?: number };
  readonly metric: string;
  readonly expected: number;
  readonly tolerance_hint: { rel: number; abs: number };
}

const REFERENCE: readonly RefCase[] = JSON.parse(readFileSync(referencePath(), 'utf8'));
const FULL = process.env.VALIDATE_FULL === '1';

/** The cases run in CI (a representative subset); VALIDATE_FULL=1 runs every queueing case. */
const CI_CASES = [
  'mm1-rho0.5-W',
  'mm1-rho0.5-T_p99',
  'mm1-rho0.9-W',
  'mm1-rho0.9-T_p99',
  'mmc-c2-rho0.5-P_wait',
  'mmc-c2-rho0.5-Wq',
  'mmc-c2-rho0.5-W',
  'mmc-c2-rho0.9-P_wait',
  'mmc-c2-rho0.9-Wq',
  'mmc-c2-rho0.9-W',
  'loss-c1-K1-a0.9',
  'loss-c4-K8-a3.6',
];

/** Requests simulated per system (after warm-up) in CI; the full run uses mc_samples. */
function samplesFor(c: RefCase): number {
  if (FULL) return c.params.mc_samples ?? 1_000_000;
  const heavy =
    c.params.K === undefined && c.params.lam / (c.params.mu * (c.params.c ?? 1)) >= 0.85;
  return heavy ? 600_000 : 300_000;
}

interface Measured {
  readonly n: number;
  readonly metrics: Readonly<Record<string, number>>;
}

const cache = new Map<string, Measured>();

/** Runs a Poisson source into an app server with c sync workers, exponential service 1/mu s. */
function simulate(c: RefCase): Measured {
  const { lam, mu } = c.params;
  const servers = c.params.c ?? 1;
  const backlog = c.params.K === undefined ? 1_000_000 : c.params.K - servers;
  const n = samplesFor(c);
  const key = `${lam}/${mu}/${servers}/${backlog}/${n}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const st = testStack(20_240_000 + cache.size);
  st.add(appServerKind, 'app', {
    workers: servers,
    backlog,
    overflow: 'refuse',
    workerTimeout: '1000h',
    routes: [
      { method: 'GET', route: '/', steps: [{ cpu: { dist: 'exponential', mean: `${1 / mu}s` } }] },
    ],
  });
  st.source('src', { ratePerSecond: lam, target: 'app' });
  const warmup = Math.round((0.05 * n * 1e6) / lam);
  st.sim.run({ until: warmup });
  const probe = st.probes.get('app')!;
  const state = st.sim.stateOf<AppState>(st.sim.find('app')!);
  probe.reset(st.sim.now);
  state.wait.reset();
  st.sim.run({ until: warmup + Math.round((n * 1e6) / lam) });
  const sec = (us: number) => us / 1e6;
  const blocked = probe.statuses.get(502) ?? 0;
  const admitted = probe.arrivals - blocked;
  const m: Measured = {
    n: probe.arrivals,
    metrics: {
      W: sec(probe.latency.mean),
      T_p50: sec(probe.latency.percentile(50)),
      T_p95: sec(probe.latency.percentile(95)),
      T_p99: sec(probe.latency.percentile(99)),
      Wq: sec(state.wait.mean),
      Wq_p99: sec(state.wait.percentile(99)),
      P_wait: (probe.counters.get('queued') ?? 0) / admitted,
      P_block: blocked / probe.arrivals,
    },
  };
  cache.set(key, m);
  return m;
}

const cases = REFERENCE.filter((c) =>
  FULL ? /^(mm1|mmc|mmck|loss)-/.test(c.id) : CI_CASES.includes(c.id),
);

describe('app server reproduces M/M/1, M/M/c (Erlang C) and M/M/c/K (Erlang B) results', () => {
  test('the CI subset exists in reference.json', () => {
    expect(cases.length).toBe(FULL ? cases.length : CI_CASES.length);
  });
  test.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { n, metrics } = simulate(c);
    const simulated = metrics[c.metric];
    expect(simulated, `metric ${c.metric}`).toBeDefined();
    // The hint is ~3 confidence half-widths for a run of mc_samples; half-widths scale as 1/sqrt(n).
    const scale = Math.max(1, Math.sqrt((c.params.mc_samples ?? 1_000_000) / n));
    const tolerance = (c.tolerance_hint.abs + c.tolerance_hint.rel * Math.abs(c.expected)) * scale;
    const line = `${c.id}: theory ${c.expected.toFixed(4)} simulated ${simulated!.toFixed(4)} ± ${tolerance.toFixed(4)} (n=${n})`;
    console.log(line);
    expect(Math.abs(simulated! - c.expected), line).toBeLessThanOrEqual(tolerance);
  });
});
