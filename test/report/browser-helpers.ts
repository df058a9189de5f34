// Shared by the browser report tests: a headless chromium with a fresh profile, and a check
// that opens one report from file:// with every other request aborted and counted.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { tempDir, text } from './helpers.ts';

/** Debian's chromium, as CI installs it. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether the browser tests can run here. */
export const chromiumAvailable = existsSync(CHROMIUM);

/** Launches headless chromium with a fresh --user-data-dir. */
export async function launchBrowser(): Promise<BrowserContext> {
  const profile = tempDir();
  mkdirSync(profile, { recursive: true });
  return chromium.launchPersistentContext(profile, {
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
}

/** A chart as rendered in the page. */
export interface RenderedChart {
  readonly id: string | null;
  readonly rendered: string | null;
  readonly marks: number;
  readonly width: number;
  readonly series: string[];
  readonly text: string;
}

/** What opening a report gave: the open page, its charts, and what must stay empty. */
export interface OpenedReport {
  readonly page: Page;
  readonly charts: RenderedChart[];
  readonly network: string[];
  readonly errors: string[];
  readonly dialogs: string[];
}

/** Opens `file` offline and waits until every chart has been drawn (or failed). */
export async function openReport(browser: BrowserContext, file: string): Promise<OpenedReport> {
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
  return { page, charts, network, errors, dialogs };
}

/** Every chart rendered with a size, marks and its expected series; nothing fetched or logged. */
export function expectClean(r: OpenedReport): void {
  expect(r.charts.length).toBeGreaterThan(0);
  for (const c of r.charts) {
    expect(c.rendered, `${c.id} rendered`).toBe('ok');
    expect(c.marks, `${c.id} has marks`).toBeGreaterThan(5);
    expect(c.width, `${c.id} has a size`).toBeGreaterThan(100);
    for (const s of c.series) expect(c.text, `${c.id} shows ${s}`).toContain(s);
  }
  expect(r.network, 'network requests').toEqual([]);
  expect(r.errors, 'console errors').toEqual([]);
  expect(r.dialogs, 'dialogs (script injection)').toEqual([]);
}

/** Saves a full-page screenshot under test-output/report/. */
export async function screenshot(r: OpenedReport, dir: string, name: string): Promise<void> {
  await r.page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

type Row = Record<string, unknown>;

/** The data rows of chart `id` as embedded in the report (its compiled Vega spec's datasets). */
export function chartRows(file: string, id: string): Row[] {
  const m = /<script type="application\/json" id="stacksim-specs">(.*?)<\/script>/s.exec(
    text(file),
  );
  if (m === null) throw new Error(`no spec block in ${file}`);
  const specs = JSON.parse(m[1]!) as Record<string, { data?: { values?: Row[] }[] }>;
  const spec = specs[id];
  if (spec === undefined) throw new Error(`no chart ${id} in ${file}`);
  return (spec.data ?? []).flatMap((d) => d.values ?? []);
}
