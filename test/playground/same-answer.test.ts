// Same engine, same answer: every bundled scenario run in Chromium's worker (picked from the
// page's menu, run with the Run button, results JSON downloaded) equals `stacksim run --json` in
// Node, fingerprints included. Runs are shortened by the event budget field, which is the CLI's
// `--set run.maxEvents=N` (a scenario-level override, the same code path; short scenarios
// complete, long ones stop partial at the same event). Variants are compared the same way.
import { readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumAvailable, launchBrowser } from '../report/browser-helpers.ts';
import { ROOT, stacksim } from '../report/helpers.ts';
import {
  buildSite,
  download,
  openPlayground,
  pick,
  runAndWait,
  serve,
  setOptions,
  withoutWall,
} from './helpers.ts';

/** Event budget per replication for this test (checkout alone delivers 1.2 million events). */
const BUDGET = '300000';
const SCENARIOS = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort();

if (!chromiumAvailable)
  console.log(
    `playground same-answer test skipped: ${CHROMIUM} not found (apt-get install chromium)`,
  );

describe.skipIf(!chromiumAvailable)('the playground computes what the CLI computes', () => {
  let browser: BrowserContext;
  let server: Server;
  let page: Page;

  beforeAll(async () => {
    const served = await serve(buildSite());
    server = served.server;
    browser = await launchBrowser();
    page = await browser.newPage();
    await openPlayground(page, served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it(`every bundled scenario (${SCENARIOS.length}): results JSON and fingerprints equal stacksim run --json`, async () => {
    expect(SCENARIOS.length).toBeGreaterThan(10);
    const partial: string[] = [];
    for (const file of SCENARIOS) {
      const cli = await stacksim([
        'run',
        join(ROOT, 'scenarios', file),
        '--json',
        '--set',
        `run.maxEvents=${BUDGET}`,
      ]);
      expect([0, 3], `${file}: ${cli.err}`).toContain(cli.code);
      const node = withoutWall(cli.out);
      await pick(page, file);
      await setOptions(page, { maxEvents: BUDGET, mode: 'run' });
      const status = await runAndWait(page);
      expect(status, file).toMatch(/done|PARTIAL/);
      const browserResults = withoutWall(await download(page, '#dl-json'));
      const prints = (r: Record<string, unknown>) =>
        (r.runs as { fingerprint: string }[]).map((x) => x.fingerprint);
      expect(prints(browserResults), `${file} fingerprints`).toEqual(prints(node));
      expect(browserResults, `${file} results`).toEqual(node);
      if (node.partial === true) {
        partial.push(file);
        expect(status, file).toContain('PARTIAL results (stopped by the maxEvents budget)');
      }
    }
    // the budget must leave some scenarios complete, or the test would only compare partial runs
    expect(partial.length).toBeLessThan(SCENARIOS.length);
    // and some must hit it, so the budget's partial results are compared too
    expect(partial).toContain('checkout.json');
  }, 1_800_000);

  it('compare of variants (lb-compare, 2 replications each) equals stacksim compare --json', async () => {
    const file = 'lb-compare.json';
    const cli = await stacksim([
      'compare',
      join(ROOT, 'scenarios', file),
      '--json',
      '--workers',
      '1',
      '--replications',
      '2',
      '--set',
      'run.maxEvents=100000',
    ]);
    expect(cli.code, cli.err).toBe(0);
    await pick(page, file);
    await setOptions(page, { replications: '2', maxEvents: '100000', mode: 'compare' });
    expect(await runAndWait(page)).toMatch(/^lb-compare: /);
    const json = await download(page, '#dl-json');
    expect(JSON.parse(json)).toEqual(JSON.parse(cli.out));
    expect(await page.textContent('#summary pre')).toContain('round-robin');
  }, 600_000);
});
