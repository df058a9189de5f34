// Shared by the playground browser tests: the site built into a temp folder and served on
// 127.0.0.1 by the CLI's own static server, and a few page actions (pick, set options, run,
// download) done the way a person does them: menu, fields, buttons, keys.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { siteServer } from '../../cli/commands/playground.ts';
import { ROOT, tempDir } from '../report/helpers.ts';

/** Builds the playground (playground/build.mjs) into a fresh temp folder; returns the folder. */
export function buildSite(): string {
  const dir = join(tempDir(), 'site');
  execFileSync(process.execPath, ['playground/build.mjs', dir], { cwd: ROOT, stdio: 'pipe' });
  return dir;
}

/** Serves `dir` on a free port of 127.0.0.1; returns the base URL and the server. */
export async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = siteServer(dir);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/** Opens the page and waits until it is ready (menu filled, editor up). */
export async function openPlayground(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-state="idle"]', { timeout: 30_000 });
}

/** Picks a bundled scenario from the menu and waits for its text in the editor. */
export async function pick(page: Page, file: string): Promise<void> {
  await page.selectOption('#scenario-menu', file);
  const name = JSON.parse(readFileSync(join(ROOT, 'scenarios', file), 'utf8')).name as string;
  const needle = JSON.stringify(`"name": "${name}"`);
  await page.waitForFunction(
    `document.querySelector('.cm-content')?.textContent?.includes(${needle})`,
  );
}

/** Fills the option fields (empty string: the scenario's own value). */
export async function setOptions(
  page: Page,
  o: { seed?: string; replications?: string; maxEvents?: string; mode?: 'run' | 'compare' },
): Promise<void> {
  if (o.seed !== undefined) await page.fill('#seed', o.seed);
  if (o.replications !== undefined) await page.fill('#replications', o.replications);
  if (o.maxEvents !== undefined) await page.fill('#max-events', o.maxEvents);
  if (o.mode !== undefined) await page.selectOption('#mode', o.mode);
}

/** Clicks Run and waits for the run to end; returns the status line. */
export async function runAndWait(page: Page, timeout = 300_000): Promise<string> {
  await page.click('#run');
  await page.waitForSelector('body[data-state="done"], #status.bad', { timeout });
  return (await page.textContent('#status')) ?? '';
}

/** Clicks a download button and returns the downloaded file's text. */
export async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFileSync((await file.path())!, 'utf8');
}

/** A results JSON text without its wall-clock field (the only machine-dependent part). */
export function withoutWall(json: string): Record<string, unknown> {
  const { wall: _wall, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}
