// Reports of the bundled load-balancer scenarios (issue 10), shortened, opened offline in
// chromium: lb-failover must show the crash of app[1] and its return in the data and on the
// time axes; lb-compare must show its five variants in the table, the bars and the CDFs.
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  chartRows,
  chromiumAvailable,
  expectClean,
  launchBrowser,
  openReport,
  screenshot,
} from './browser-helpers.ts';
import { ensureRuntime, ROOT, stacksim, tempDir, testOutput } from './helpers.ts';

if (!chromiumAvailable)
  console.log(`lb report test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const FAILOVER = join(ROOT, 'scenarios/lb-failover.json');
const COMPARE = join(ROOT, 'scenarios/lb-compare.json');
// lb-failover shortened: 10 s warm-up, app[1] down from 20 s to 30 s, run ends at 40 s.
const SHORT_FAILOVER = [
  '--set',
  'run.duration=30s',
  '--set',
  'timeline=[{"action":"crash","at":"10s","target":"app[1]","for":"10s"}]',
];
const CRASH = 20;
const RESTART = 30;
const VARIANTS = ['round-robin', 'least-connections', 'p2c', 'peak-ewma', 'consistent-hash'];

type Row = Record<string, unknown>;
const values = (rows: Row[], series: string) =>
  rows.filter((r) => r.series === series).map((r) => ({ t: r.t as number, v: r.v as number }));

describe.skipIf(!chromiumAvailable)('load-balancer reports in a browser', () => {
  let browser: BrowserContext;
  const files: Record<string, string> = {};
  const shots = testOutput();

  beforeAll(async () => {
    ensureRuntime();
    const dir = tempDir();
    const runs: [string, string[]][] = [
      ['lb-failover', ['run', FAILOVER, '-q', '--replications', '1', ...SHORT_FAILOVER]],
      [
        'lb-failover-no-retry',
        [
          'run',
          FAILOVER,
          '-q',
          '--replications',
          '1',
          ...SHORT_FAILOVER,
          '--set',
          'components.lb.retry.tries=1',
        ],
      ],
      [
        'lb-failover-compare',
        ['compare', FAILOVER, '--workers', '1', '--replications', '2', ...SHORT_FAILOVER],
      ],
      [
        'lb-compare',
        [
          'compare',
          COMPARE,
          '--workers',
          '1',
          '--replications',
          '2',
          '--set',
          'run.duration=6s',
          '--set',
          'run.warmup=2s',
        ],
      ],
    ];
    for (const [name, args] of runs) {
      files[name] = join(dir, `${name}.html`);
      const r = await stacksim([...args, '--report', files[name]!]);
      if (r.code !== 0) throw new Error(`stacksim ${args.join(' ')} → ${r.code}: ${r.err}`);
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lb-failover run: balancer failures and retries start at the crash, checks see the return', async () => {
    const file = files['lb-failover']!;
    const r = await openReport(browser, file);
    await screenshot(r, shots, 'lb-failover');
    expectClean(r);
    const ids = r.charts.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(['latency-users', 'throughput-users', 'counters-lb', 'counters-app']),
    );
    for (const id of ['latency-users', 'counters-lb']) {
      const c = r.charts.find((x) => x.id === id)!;
      expect(c.text, `${id} marks the crash`).toContain('crash app[1]');
      expect(c.text, `${id} marks the return`).toContain('restart app[1]');
    }
    const lb = chartRows(file, 'counters-lb');
    for (const name of ['backend_failures', 'retries']) {
      const v = values(lb, name);
      expect(v.length).toBeGreaterThan(30);
      expect(
        v.filter((x) => x.t < CRASH).every((x) => x.v === 0),
        `${name} before`,
      ).toBe(true);
      const during = v.filter((x) => x.t >= CRASH && x.t < CRASH + 6);
      expect(Math.max(...during.map((x) => x.v)), `${name} after the crash`).toBeGreaterThan(10);
    }
    // active checks bring app[1] back only after it restarted
    const up = values(lb, 'check_up');
    expect(up.filter((x) => x.t < RESTART).every((x) => x.v === 0)).toBe(true);
    expect(up.filter((x) => x.t >= RESTART).some((x) => x.v > 0)).toBe(true);
    const refused = values(chartRows(file, 'counters-app'), 'refusedWhileDown');
    expect(refused.filter((x) => x.t < CRASH).every((x) => x.v === 0)).toBe(true);
    expect(refused.filter((x) => x.t >= CRASH && x.t < RESTART).some((x) => x.v > 0)).toBe(true);
    // per-window percentiles at the client cover the whole run
    const lat = chartRows(file, 'latency-users').filter((x) => 'p99' in x);
    expect(lat.length).toBe(40);
    await r.page.close();
  });

  it('lb-failover without retries: the users get 5xx only while app[1] is down and undetected', async () => {
    const file = files['lb-failover-no-retry']!;
    const r = await openReport(browser, file);
    await screenshot(r, shots, 'lb-failover-no-retry');
    expectClean(r);
    const rows = chartRows(file, 'throughput-users').filter((x) => '5xx' in x);
    const bad = rows.map((x) => ({ t: x.t as number, v: x['5xx'] as number }));
    expect(bad.length).toBe(40);
    expect(bad.filter((x) => x.t < CRASH).every((x) => x.v === 0)).toBe(true);
    expect(
      Math.max(...bad.filter((x) => x.t >= CRASH && x.t < CRASH + 6).map((x) => x.v)),
    ).toBeGreaterThan(10);
    expect(bad.filter((x) => x.t >= RESTART).every((x) => x.v === 0)).toBe(true);
    await r.page.close();
  });

  it('lb-failover compare: variants and the balancer counters per variant', async () => {
    const r = await openReport(browser, files['lb-failover-compare']!);
    await screenshot(r, shots, 'lb-failover-compare');
    expectClean(r);
    const variants = await r.page.$$eval('tr[data-variant]', (t) =>
      t.map((x) => x.getAttribute('data-variant')),
    );
    expect(variants).toEqual(['active', 'passive', 'active-no-retry']);
    const lb = await r.page.$$eval('table[data-counters="lb"] tbody tr', (rows) =>
      rows.map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
    );
    expect(lb.map((row) => row[0])).toEqual(['active', 'passive', 'active-no-retry']);
    const head = await r.page.$$eval('table[data-counters="lb"] thead th', (t) =>
      t.map((x) => x.textContent ?? ''),
    );
    const col = (name: string) => head.indexOf(name);
    expect(col('detections')).toBeGreaterThan(0);
    expect(col('retries')).toBeGreaterThan(0);
    // the active checks detect the crash once; without retries nothing is retried
    expect(lb[0]![col('detections')]).toMatch(/^1\b/);
    expect(lb[2]![col('retries')]).toBe('–');
    await r.page.close();
  });

  it('lb-compare: five variants in the table, the CI bars and the overlaid CDFs', async () => {
    const r = await openReport(browser, files['lb-compare']!);
    await screenshot(r, shots, 'lb-compare');
    expectClean(r);
    const rows = await r.page.$$eval('tr[data-variant]', (t) =>
      t.map((x) => x.getAttribute('data-variant')),
    );
    expect(rows).toEqual(VARIANTS);
    const ids = r.charts.map((c) => c.id);
    expect(ids).toEqual([
      'compare-latency.mean',
      'compare-latency.p99',
      'compare-throughput',
      'compare-errorRatio',
      'compare-cdf',
    ]);
    for (const c of r.charts) expect(c.series, c.id ?? '').toEqual(VARIANTS);
    // the CI whiskers are drawn: one errorbar group per variant with two ticks
    const bars = await r.page.$$eval(
      '#chart-compare-latency\\.mean .view svg path',
      (p) => p.length,
    );
    expect(bars).toBeGreaterThanOrEqual(VARIANTS.length * 2);
    await r.page.close();
  });
});
