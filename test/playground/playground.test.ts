// The playground in Debian's chromium (playwright-core), served on 127.0.0.1 by the CLI's static
// server: pick checkout and run it, a typo marked at its line (as `stacksim validate` says), a
// shared link that reproduces the run in a new page, and a long run cancelled from the keyboard.
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFragment } from '../../playground/share.ts';
import { CHROMIUM, chromiumAvailable, launchBrowser } from '../report/browser-helpers.ts';
import { stacksim, tempDir, testOutput } from '../report/helpers.ts';
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

if (!chromiumAvailable)
  console.log(`playground browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!chromiumAvailable)('playground in a browser', () => {
  let browser: BrowserContext;
  let server: Server;
  let url = '';
  const errors: string[] = [];
  const outside: string[] = [];
  const shots = testOutput();

  const newPage = async (): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.setViewportSize({ width: 1280, height: 900 });
    return page;
  };

  beforeAll(async () => {
    ({ url, server } = await serve(buildSite()));
    browser = await launchBrowser();
    // offline: anything not from the served folder is aborted and counted
    await browser.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(url)) return route.continue();
      outside.push(u);
      return route.abort();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('picks checkout.json, runs it and shows the figures, summary and charts of the run', async () => {
    const page = await newPage();
    await openPlayground(page, url);
    await pick(page, 'checkout.json');
    const status = await runAndWait(page);
    expect(status).toMatch(/^checkout: done/);
    const json = await download(page, '#dl-json');
    const results = JSON.parse(json);
    expect(results.completed).toBe(true);
    // headline figures: events of the run, plus whatever headline the results carry
    const events = await page.textContent('dd[data-figure="events"]');
    expect(events).toBe(results.events.toLocaleString('en-US'));
    for (const item of [results.headline ?? results.report?.headline ?? []].flat())
      if (item?.label !== undefined)
        expect(await page.textContent('#headline')).toContain(String(item.label));
    const rows = await page.$$eval('#summary tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((td) => td.textContent)),
    );
    expect(rows.map((r) => r[0])).toEqual(['app', 'db', 'shoppers', 'web']);
    const shoppers = rows.find((r) => r[0] === 'shoppers')!;
    const arrivals = results.runs[0].components.shoppers.arrivals;
    // the report's table prints 4 significant digits
    expect(Number(shoppers[2]!.replace(/[, ]/g, ''))).toBe(Number(arrivals.toPrecision(4)));
    // the report's own charts, drawn in the frame
    const frame = page.frameLocator('#report');
    await frame.locator('html[data-charts="done"]').waitFor({ timeout: 60_000 });
    const rendered = await frame
      .locator('figure[data-chart]')
      .evaluateAll((fs) => fs.map((f) => f.getAttribute('data-rendered')));
    expect(rendered.length).toBeGreaterThan(3);
    expect(rendered.every((r) => r === 'ok')).toBe(true);
    const csv = await download(page, '#dl-csv');
    expect(csv.split('\n')[0]).toBe(
      'replication,component,window_start_s,window_end_s,metric,value',
    );
    const html = await download(page, '#dl-html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>checkout</h1>');
    await page.screenshot({ path: join(shots, 'playground-checkout.png') });
    expect(errors).toEqual([]);
    expect(outside, 'requests outside the site').toEqual([]);
    await page.close();
  });

  it('marks a misspelt field at its line, with the message `stacksim validate` prints', async () => {
    const page = await newPage();
    await openPlayground(page, url);
    await pick(page, 'checkout.json');
    await page.locator('.cm-line', { hasText: '"warmup": "5s"' }).click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('"warmpu": "5s"');
    await page.keyboard.press('Escape'); // close the completion list
    const item = page.locator('#problems li');
    await item.first().waitFor({ timeout: 10_000 });
    const lines = await item.evaluateAll((ls) =>
      ls.map((l) => ({ line: l.getAttribute('data-line'), text: l.textContent })),
    );
    // the shared link carries the editor's exact text: validate that with the CLI
    await page.click('#share');
    const link = await page.inputValue('#share-link');
    const decoded = decodeFragment(new URL(link).hash);
    if (!decoded.ok) throw new Error(decoded.message);
    const text = decoded.state.scenario;
    const line = text.split('\n').findIndex((l) => l.includes('"warmpu"')) + 1;
    expect(line).toBeGreaterThan(1);
    const file = join(tempDir(), 'typo.json');
    writeFileSync(file, text);
    const cli = await stacksim(['validate', file]);
    expect(cli.code).toBe(2);
    const cliLines = cli.err.trim().split('\n');
    expect(lines).toEqual(
      cliLines.map((l) => ({
        line: String(line),
        text: `line ${line}: ${l.slice(file.length + 2)}`,
      })),
    );
    expect(lines[0]!.text).toContain('/run/warmpu: unknown key "warmpu"');
    // underlined in the text and flagged in the gutter of that line
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toContain('warmpu');
    await page.locator('.cm-gutter-lint .cm-lint-marker-error').first().waitFor();
    // Tab leaves the editor (keyboard users are never stuck in it)
    await page.locator('.cm-content').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate("document.activeElement.closest('.cm-editor') === null")).toBe(true);
    // Run refuses with the same problem instead of a blank page
    expect(await runAndWait(page)).toContain('problem');
    await page.screenshot({ path: join(shots, 'playground-typo.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('completes component types and shows schema docs on hover', async () => {
    const page = await newPage();
    await openPlayground(page, url);
    await pick(page, 'checkout.json');
    await page.locator('.cm-line', { hasText: '"type": "client.open"' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('"type": "');
    await page.keyboard.press('Control+Space');
    const list = page.locator('.cm-tooltip-autocomplete li');
    await list.first().waitFor();
    const options = await list.allTextContents();
    expect(options.join(' ')).toContain('"load-balancer"');
    expect(options.join(' ')).toContain('"client.open"');
    await page.keyboard.press('Escape');
    await page
      .locator('.cm-line', { hasText: '"target": "web"' })
      .hover({ position: { x: 60, y: 8 } });
    await page.locator('.schema-hover').waitFor();
    expect(await page.textContent('.schema-hover')).toContain('component the requests go to');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a shared link opens in a new page with the same scenario and options, and gives the same results', async () => {
    const page = await newPage();
    await openPlayground(page, url);
    await pick(page, 'quickstart.json');
    await setOptions(page, { seed: '11', replications: '2' });
    expect(await runAndWait(page)).toMatch(/done/);
    const first = await download(page, '#dl-json');
    await page.click('#share');
    const link = await page.inputValue('#share-link');
    expect(link).toMatch(/#v=0\.1\.0&s=/);
    const other = await newPage();
    await openPlayground(other, link);
    expect(await other.inputValue('#seed')).toBe('11');
    expect(await other.inputValue('#replications')).toBe('2');
    expect(await other.inputValue('#scenario-menu')).toBe('quickstart.json');
    expect(await runAndWait(other)).toMatch(/done/);
    const second = await download(other, '#dl-json');
    expect(withoutWall(second)).toEqual(withoutWall(first));
    expect(JSON.parse(second).seed).toBe(11);
    expect(JSON.parse(second).runs.length).toBe(2);
    // a link from another engine version says so
    const old = await newPage();
    await openPlayground(old, link.replace('#v=0.1.0', '#v=0.0.9'));
    expect(await old.textContent('#notice')).toContain('made with stacksim 0.0.9');
    expect(errors).toEqual([]);
    await Promise.all([page.close(), other.close(), old.close()]);
  });

  it('cancels a long run with Escape, keeps nothing, and runs again afterwards', async () => {
    const page = await newPage();
    await openPlayground(page, url);
    await pick(page, 'checkout.json');
    await setOptions(page, { replications: '200' });
    await page.focus('#run');
    await page.keyboard.press('Enter');
    await page.waitForFunction("Number(document.getElementById('progress').value) > 0");
    expect(await page.isEnabled('#cancel')).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('body[data-state="cancelled"]');
    expect(await page.textContent('#status')).toContain('Cancelled');
    expect(await page.isHidden('#results')).toBe(true);
    expect(await page.isEnabled('#run')).toBe(true);
    await pick(page, 'url-to-page.json');
    expect(await runAndWait(page)).toMatch(/^url-to-page: done/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
