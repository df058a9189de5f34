// Opens every generated report in headless Debian chromium from disk with the network cut off:
// every chart must render, expected series must be drawn, no console errors, no dialogs.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  chromiumAvailable,
  expectClean,
  launchBrowser,
  openReport,
  screenshot,
} from './browser-helpers.ts';
import { generateAll, tempDir, testOutput } from './helpers.ts';

if (!chromiumAvailable)
  console.log(`browser report test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!chromiumAvailable)('reports in a browser (file://, offline)', () => {
  let browser: BrowserContext;
  let files: Record<string, string> = {};
  const shots = testOutput();

  beforeAll(async () => {
    files = await generateAll(tempDir());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const names = [
    'checkout',
    'quickstart',
    'faults-from-dir',
    'compare',
    'sweep',
    'capacity',
    'xss',
  ];
  for (const name of names) {
    it(`${name}: every chart renders offline with its series`, async () => {
      const file = files[name];
      expect(file, `${name} report generated`).toBeDefined();
      const r = await openReport(browser, file!);
      const { page, charts } = r;
      expect(await page.$$eval('svg.stack g.node', (n) => n.length)).toBeGreaterThan(2);
      await screenshot(r, shots, name);
      expectClean(r);
      if (name === 'faults-from-dir') {
        const ids = charts.map((c) => c.id);
        expect(ids).toEqual(
          expect.arrayContaining(['latency-users', 'throughput-users', 'waterfall']),
        );
        const latency = charts.find((c) => c.id === 'latency-users')!;
        expect(latency.text).toContain('slow db ×8');
        expect(latency.text).toContain('load users ×3');
        expect(latency.text).toContain('end slow db ×8');
      }
      if (name === 'checkout' || name === 'faults-from-dir') {
        // the summary table fits a 1 400 px window: nothing hidden behind a scroll bar
        await page.setViewportSize({ width: 1400, height: 900 });
        const widths = await page.$$eval('table.summary', (ts) =>
          ts.map((t) => [t.parentElement!.scrollWidth, t.parentElement!.clientWidth]),
        );
        expect(widths.length).toBeGreaterThan(0);
        for (const [scroll, client] of widths) expect(scroll).toBeLessThanOrEqual(client!);
        // the waterfall explains every stretch of an attempt: network spans are drawn
        const waterfall = charts.find((c) => c.id === 'waterfall')!;
        expect(waterfall.series).toContain('network');
      }
      if (name === 'xss') {
        const h1 = await page.$eval('h1', (e) => e.textContent);
        expect(h1).toBe('<img src=x onerror=alert(1)>');
        expect(await page.$$eval('img', (i) => i.length)).toBe(0);
        const desc = await page.$eval('.desc', (e) => e.textContent);
        expect(desc).toContain('</script><script>alert(2)</script>');
      }
      await page.close();
    });
  }
});
