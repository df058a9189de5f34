// Opens every generated report in headless Debian chromium from disk with the network cut off:
// every chart must render, expected series must be drawn, no console errors, no dialogs.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAll, tempDir, testOutput } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.log(`browser report test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!available)('reports in a browser (file://, offline)', () => {
  let browser: BrowserContext;
  let files: Record<string, string> = {};
  const shots = testOutput();

  beforeAll(async () => {
    files = await generateAll(tempDir());
    const profile = tempDir();
    mkdirSync(profile, { recursive: true });
    // a fresh profile (the --user-data-dir) per run
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
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
      const page = await browser.newPage();
      const network: string[] = [];
      const errors: string[] = [];
      const dialogs: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file://')) return route.continue();
        network.push(url);
        return route.abort();
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${file}`);
      await page.waitForSelector('html[data-charts="done"]', { timeout: 30_000 });
      const charts = await page.$$eval('figure[data-chart]', (figs) =>
        figs.map((f) => {
          const svg = f.querySelector('.view svg');
          return {
            id: f.getAttribute('data-chart'),
            rendered: f.getAttribute('data-rendered'),
            marks: svg === null ? 0 : svg.querySelectorAll('path, rect, line, circle, text').length,
            width: svg === null ? 0 : svg.getBoundingClientRect().width,
            series: JSON.parse(f.getAttribute('data-series') ?? '[]') as string[],
            text: svg?.textContent ?? '',
          };
        }),
      );
      expect(charts.length).toBeGreaterThan(0);
      for (const c of charts) {
        expect(c.rendered, `${c.id} rendered`).toBe('ok');
        expect(c.marks, `${c.id} has marks`).toBeGreaterThan(5);
        expect(c.width, `${c.id} has a size`).toBeGreaterThan(100);
        for (const s of c.series) expect(c.text, `${c.id} shows ${s}`).toContain(s);
      }
      expect(await page.$$eval('svg.stack g.node', (n) => n.length)).toBeGreaterThan(2);
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      expect(network, 'network requests').toEqual([]);
      expect(errors, 'console errors').toEqual([]);
      expect(dialogs, 'dialogs (script injection)').toEqual([]);
      if (name === 'faults-from-dir') {
        const ids = charts.map((c) => c.id);
        expect(ids).toEqual(
          expect.arrayContaining(['latency-users', 'throughput-users', 'waterfall']),
        );
        const latency = charts.find((c) => c.id === 'latency-users')!;
        expect(latency.text).toContain('slow db ×8');
        expect(latency.text).toContain('load users ×3');
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
