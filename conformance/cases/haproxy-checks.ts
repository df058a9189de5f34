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
/** slowstart: app1's share per second after it comes back, within this many points. */
const SHARE_TOL_PP = 8;

/** Which upstream served, or that the request failed (haproxy 502/503, stacksim 502/503). */
function label(o: RealOutcome | SimOutcome): string {
  return o.status >= 500 || o.status === 0 ? 'failed' : `${o.status} from ${o.upstream}`;
}

/** The stacksim side: roundrobin over app0, app1 with active checks; app1 down in the window. */
function checkScenario(
  rows: readonly Row[],
  failFrom: number,
  slowstart: number | undefined,
  periodMs: number,
): Record<string, unknown> {
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
      ...(slowstart === undefined
        ? {}
        : { slowStart: { window: `${slowstart}s`, ramp: 'haproxy' } }),
      activeCheck: {
        interval: `${Math.round(periodMs * 1000)}us`,
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
  return [await checkCase(binary, undefined), await checkCase(binary, 4)];
}

/** One run: checks alone, or with `slowstart` seconds of warm-up after app1 comes back. */
async function checkCase(binary: string, slowstart: number | undefined): Promise<CaseResult> {
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
        `default-server inter ${INTER}ms fall ${FALL} rise ${RISE}${slowstart === undefined ? '' : ` slowstart ${slowstart}s`}`,
      ],
      servers: [`app0 127.0.0.1:${ports[0]} check`, `app1 127.0.0.1:${ports[1]} check`],
    },
  ]);
  const timers: NodeJS.Timeout[] = [];
  try {
    await sleep(3 * INTER);
    const rows = sequential('/hc/0', slowstart === undefined ? 160 : 320, 25);
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
    // HAProxy re-arms a check once the last one ended, so its checks come every P ms, a little
    // over `inter`: stacksim checks every P ms too, with its app1 checks (at P/2 + k·P) put on
    // HAProxy's: app1's last check before it fails is one of stacksim's (the replay's zero is a whole number of periods and P/2 before it, at or before the first request).
    const all1 = app1.checks;
    const P = all1.length > 1 ? (all1[all1.length - 1]! - all1[0]!) / (all1.length - 1) : INTER;
    // the reference: app1's last check before it starts failing (nearest the transitions)
    const ref = Math.max(...all1.filter((c) => c - t0 <= FAIL_FROM)) - t0;
    const zero = ref - P / 2 - Math.ceil((ref - P / 2) / P) * P;
    const shift = -zero;
    const sent = rows.map((r, i) => ({
      ...r,
      t: Math.round((real[i]!.sentMs + shift) * 1000) / 1000,
    }));
    const sim = simulate(checkScenario(sent, FAIL_FROM + shift, slowstart, P), sent, 'app');
    // HAProxy's own check instants for app1 (schedule ms) around the window, for the report.
    const c1 = all1.map((c) => c - t0);
    // HAProxy took app1 out at its FALL-th failed check in a row, back at the RISE-th passed.
    const down = nthInARow(c1, app1.checkFailed, true, FALL);
    const up = nthInARow(c1, app1.checkFailed, false, RISE, down);
    const simDown = nextCheck(FAIL_FROM + shift, FALL, P) - shift;
    const simUp = nextCheck(FAIL_TO + shift, RISE, P) - shift;
    const feature =
      slowstart === undefined
        ? `check inter ${INTER}ms fall ${FALL} rise ${RISE} (app1 fails its check and resets requests from 1 s to 2.5 s)`
        : `slowstart ${slowstart}s after app1 comes back (check inter ${INTER}ms fall ${FALL} rise ${RISE}, roundrobin 1:1)`;
    const r = compareRows('haproxy', feature, rows, real, sim, label);
    const marks = `app1 marked down: haproxy ${fmt(down)}, stacksim ${fmt(simDown)}; up: haproxy ${fmt(up)}, stacksim ${fmt(simUp)}`;
    const driftNote = `HAProxy's checks came every ${P.toFixed(2)} ms (inter ${INTER} ms, re-armed after each check ends); stacksim checks at that period with its app1 checks on HAProxy's, so both see the same check instants give or take the jitter; a request within that of a transition can differ, and the round-robin rotation after it.`;
    if (slowstart === undefined) {
      // A request between the two sides' "up" instants goes to app0 on one side and app1 on
      // the other, and the round-robin rotation after it differs by one: an edge. Agreement is
      // counted until then; after it, who served is compared by share.
      const lo = Math.min(up ?? 0, simUp);
      const hi = Math.max(up ?? 0, simUp);
      const edge = rows.findIndex(
        (row, i) => label(real[i]!) !== label(sim[i]!) && row.t >= lo - 25 && row.t <= hi + 25,
      );
      const until = edge < 0 ? rows.length : edge;
      const before = rows.slice(0, until);
      const agreedBefore = before.filter((_, i) => label(real[i]!) === label(sim[i]!)).length;
      const share = (outs: readonly (RealOutcome | SimOutcome)[]) =>
        (100 * outs.slice(until).filter((o) => o.upstream === 'app1').length) /
        Math.max(1, rows.length - until);
      const gap = Math.abs(share(real) - share(sim));
      const close = (x: number | undefined, y: number) => x !== undefined && Math.abs(x - y) <= 50;
      return {
        ...r,
        kind: edge < 0 ? 'exact' : 'approximate',
        pass:
          edge < 0
            ? r.pass
            : agreedBefore >= 0.99 * until && gap <= 5 && close(down, simDown) && close(up, simUp),
        measure: `${marks}; failed requests: haproxy ${span(rows, real, 'failed')}, stacksim ${span(rows, sim, 'failed')}${edge < 0 ? '' : `; an edge at #${edge} (t=${rows[edge]!.t} ms, between the two up instants): ${agreedBefore}/${until} agree before it, app1's share after it haproxy ${share(real).toFixed(1)}%, stacksim ${share(sim).toFixed(1)}%`}`,
        disagreements: r.disagreements.slice(0, 2),
        note: driftNote,
      };
    }
    // app1's share of requests in each second after each side put it back (HAProxy's warmup
    // task raises the weight once a second from then).
    const steps = (outs: readonly (RealOutcome | SimOutcome)[], from: number | undefined) =>
      Array.from({ length: slowstart + 1 }, (_, k) => {
        if (from === undefined) return 0;
        const inWin = rows.flatMap((row, i) =>
          row.t >= from + k * 1000 && row.t < from + (k + 1) * 1000 ? [i] : [],
        );
        const n = inWin.filter((i) => outs[i]!.upstream === 'app1').length;
        return inWin.length === 0 ? 0 : (100 * n) / inWin.length;
      });
    const a = steps(real, up);
    const b = steps(sim, simUp);
    const gap = Math.max(...a.map((x, k) => Math.abs(x - b[k]!)));
    return {
      ...r,
      kind: 'approximate',
      measure: `app1's share of requests in each second after it came back: haproxy ${a.map((x) => x.toFixed(0)).join('/')}%, stacksim ${b.map((x) => x.toFixed(0)).join('/')}% (weights 1/16, 5/16, 9/16, 13/16 of app0's, then equal); largest gap ${gap.toFixed(1)} pp, tolerance ${SHARE_TOL_PP} pp; ${marks}`,
      pass: gap <= SHARE_TOL_PP && up !== undefined,
      disagreements: r.disagreements.slice(0, 3),
      note: `HAProxy's slowstart weight is ⌊(16k + S)/S⌋/16 of the weight in the k-th second after the server came back (its warmup task recomputes it once a second); stacksim slowStart ramp haproxy. Which request goes where also follows the fwrr positions after each weight change, so the comparison is by share per second (per-request agreement for information). ${driftNote}`,
    };
  } finally {
    for (const t of timers) clearTimeout(t);
    await haproxy.stop();
    await Promise.all([app0.close(), app1.close()]);
  }
}

/** stacksim's `n`-th app1 check at or after `from` (app1's checks at P/2 + k·P). */
function nextCheck(from: number, n: number, P: number): number {
  const k = Math.ceil((from - P / 2) / P);
  return P / 2 + (k + n - 1) * P;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${Math.round(ms)} ms`;
}

/**
 * The instant (of `times`) of the `n`-th check in a row whose failed flag is `failed`, after
 * `after` (ms), or undefined.
 */
function nthInARow(
  times: readonly number[],
  failed: readonly boolean[],
  want: boolean,
  n: number,
  after = Number.NEGATIVE_INFINITY,
): number | undefined {
  let run = 0;
  for (let k = 0; k < times.length; k++) {
    if (times[k]! <= after) continue;
    run = failed[k] === want ? run + 1 : 0;
    if (run === n) return times[k];
  }
  return undefined;
}
