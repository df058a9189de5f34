import { type CaseResult, compareRows } from '../compare.ts';
import { drive, type RealOutcome } from '../driver.ts';
import { startHaproxy } from '../haproxy.ts';
import { replayClient, scenario } from '../scenarios.ts';
import type { Row } from '../schedule.ts';
import { freePort, sleep } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';
import { Upstream } from '../upstream.ts';
import { sequential } from './nginx-upstream.ts';

/** Check interval, fall and rise, and the window (ms of the schedule) app1 fails in. */
const INTER = 200;
const FALL = 2;
const RISE = 3;
const FAIL_FROM = 1000;
const FAIL_TO = 2500;

/** Which upstream served, or that the request failed (haproxy 502/503, stacksim 502/503). */
function label(o: RealOutcome | SimOutcome): string {
  return o.status >= 500 || o.status === 0 ? 'failed' : `${o.status} from ${o.upstream}`;
}

/** The stacksim side: roundrobin over app0, app1 with active checks; app1 down in the window. */
function checkScenario(rows: readonly Row[], failFrom: number): Record<string, unknown> {
  const routes = [
    { method: 'GET', route: '/hc/0', steps: [] },
    { method: 'GET', route: '/health', steps: [] },
  ];
  const s = scenario('haproxy-checks', rows, {
    clients: replayClient(rows, 'lb'),
    lb: {
      type: 'load-balancer',
      algorithm: 'fast-weighted-round-robin',
      backends: ['app0', 'app1'],
      errors: 'haproxy',
      retry: { on: [] },
      // HAProxy marks nothing from traffic errors (no `observe`): NGINX-style passive off
      passive: { maxFails: 0 },
      activeCheck: {
        interval: `${INTER}ms`,
        timeout: '1s',
        rise: RISE,
        fall: FALL,
        route: '/health',
      },
    },
    app0: { type: 'app-server', workers: 1000, routes },
    app1: { type: 'app-server', workers: 1000, routes },
  });
  const at = Math.round(failFrom * 1000);
  return {
    ...s,
    timeline: [
      { action: 'crash', at: `${at}us`, target: 'app1', for: `${(FAIL_TO - FAIL_FROM) * 1000}us` },
    ],
  };
}

/** First and last instant (ms) of rows whose label matches, as text. */
function span(rows: readonly Row[], outs: readonly (RealOutcome | SimOutcome)[], want: string) {
  const ts = rows.flatMap((r, i) => (label(outs[i]!) === want ? [r.t] : []));
  return ts.length === 0 ? 'none' : `${ts.length} (${ts[0]}–${ts[ts.length - 1]} ms)`;
}

/**
 * HAProxy active health checks (`check inter 200ms fall 2 rise 3`, `option httpchk`): app1
 * resets every request and fails its check from 1 s to 2.5 s; who served each request, and
 * when app1 was taken out and put back, against stacksim's activeCheck. stacksim's checks are
 * put on HAProxy's: the replay's zero is the instant of an app0 check just before the schedule.
 */
export async function haproxyCheckCases(binary: string): Promise<CaseResult[]> {
  let failing = false;
  const app0 = new Upstream({ name: 'app0' });
  const app1 = new Upstream({
    name: 'app1',
    act: () => (failing ? { kind: 'reset' } : { kind: 'ok', delayMs: 0 }),
  });
  const ports = [await freePort(), await freePort()];
  await app0.listen(ports[0]!);
  await app1.listen(ports[1]!);
  const port = await freePort();
  const haproxy = await startHaproxy(binary, port, [
    {
      name: 'hc',
      prefix: '/hc/',
      lines: [
        'balance roundrobin',
        'option httpchk GET /health',
        `default-server inter ${INTER}ms fall ${FALL} rise ${RISE}`,
      ],
      servers: [`app0 127.0.0.1:${ports[0]} check`, `app1 127.0.0.1:${ports[1]} check`],
    },
  ]);
  const timers: NodeJS.Timeout[] = [];
  try {
    await sleep(3 * INTER);
    const rows = sequential('/hc/0', 160, 25);
    let t0 = 0;
    const real = await drive(rows, {
      port,
      sequential: true,
      onStart: (t) => {
        t0 = t;
        const lead = t - performance.now();
        timers.push(
          setTimeout(() => {
            failing = true;
            app1.unhealthy = true;
          }, lead + FAIL_FROM),
          setTimeout(() => {
            failing = false;
            app1.unhealthy = false;
          }, lead + FAIL_TO),
        );
      },
    });
    // The replay's zero: the last app0 check at or before the schedule's start.
    const c0 = Math.max(...app0.checks.filter((c) => c <= t0 + 1));
    const shift = t0 - c0;
    const sent = rows.map((r, i) => ({
      ...r,
      t: Math.round((real[i]!.sentMs + shift) * 1000) / 1000,
    }));
    const sim = simulate(checkScenario(sent, FAIL_FROM + shift), sent, 'app');
    // HAProxy's own check instants for app1 (schedule ms) around the window, for the report.
    const c1 = app1.checks.map((c) => c - t0);
    const down = c1.filter((c) => c >= FAIL_FROM)[FALL - 1];
    const up = c1.filter((c) => c >= FAIL_TO)[RISE - 1];
    const simDown = nextCheck(FAIL_FROM + shift, FALL) - shift;
    const simUp = nextCheck(FAIL_TO + shift, RISE) - shift;
    const drift = c1.length > 1 ? (c1[c1.length - 1]! - c1[0]!) / (c1.length - 1) - INTER : 0;
    const r = compareRows(
      'haproxy',
      `check inter ${INTER}ms fall ${FALL} rise ${RISE} (app1 fails its check and resets requests from 1 s to 2.5 s)`,
      rows,
      real,
      sim,
      label,
    );
    return [
      {
        ...r,
        measure: `app1 marked down: haproxy ${fmt(down)}, stacksim ${fmt(simDown)}; up: haproxy ${fmt(up)}, stacksim ${fmt(simUp)}; failed requests: haproxy ${span(rows, real, 'failed')}, stacksim ${span(rows, sim, 'failed')}`,
        note: `stacksim's checks run every ${INTER} ms from the replay's zero, put on an app0 check of HAProxy's; HAProxy re-arms each check after the last one ended, so its checks drift by ${drift.toFixed(2)} ms per interval, and a request within that of a transition can differ.`,
      },
    ];
  } finally {
    for (const t of timers) clearTimeout(t);
    await haproxy.stop();
    await Promise.all([app0.close(), app1.close()]);
  }
}

/** stacksim's `n`-th app1 check at or after `from` (app1's checks at INTER/2 + k·INTER). */
function nextCheck(from: number, n: number): number {
  const k = Math.ceil((from - INTER / 2) / INTER);
  return INTER / 2 + (k + n - 1) * INTER;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${Math.round(ms)} ms`;
}
