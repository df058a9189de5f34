// Takes the screenshots of docs/playground.md with Debian's chromium (run after `npm run build`):
//   node playground/screenshots.mjs [OUTDIR]   (default docs/img)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'docs/img';
const server = spawn(process.execPath, ['dist/stacksim.mjs', 'playground', '--port', '0']);
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (d) => {
    text += d;
    const m = /http:\/\/\S+/.exec(text);
    if (m) resolve(m[0]);
  });
  server.on('exit', () => reject(new Error('server exited')));
});
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'shots-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-state="idle"]');
  await page.waitForFunction(
    `document.querySelector('.cm-content')?.textContent?.includes('"name": "checkout"')`,
  );
  await page.click('#run');
  await page.waitForSelector('body[data-state="done"]', { timeout: 300_000 });
  await page.frameLocator('#report').locator('html[data-charts="done"]').waitFor();
  await page.screenshot({ path: join(out, 'playground-run.png') });
  // completion of a component type
  await page.locator('.cm-line', { hasText: '"type": "client.open"' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('"type": "');
  await page.keyboard.press('Control+Space');
  await page.waitForSelector('.cm-tooltip-autocomplete');
  await page.screenshot({
    path: join(out, 'playground-complete.png'),
    clip: { x: 0, y: 80, width: 640, height: 520 },
  });
  await page.keyboard.press('Escape');
  await page.reload();
  await page.waitForSelector('body[data-state="idle"]');
  await page.waitForFunction(
    `document.querySelector('.cm-content')?.textContent?.includes('"warmup"')`,
  );
  // hover docs from the schema
  await page
    .locator('.cm-line', { hasText: '"target": "web"' })
    .hover({ position: { x: 60, y: 8 } });
  await page.waitForSelector('.schema-hover');
  await page.screenshot({
    path: join(out, 'playground-hover.png'),
    clip: { x: 0, y: 300, width: 640, height: 260 },
  });
  await page.mouse.move(900, 700);
  // a typo, marked by our validator
  await page.locator('.cm-line', { hasText: '"warmup": "5s"' }).click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('"warmpu": "5s"');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#problems li');
  await page.locator('.cm-lintRange-error').first().hover();
  await page
    .waitForSelector('.cm-tooltip-lint, .cm-tooltip-hover', { timeout: 5000 })
    .catch(() => undefined);
  await page.screenshot({
    path: join(out, 'playground-error.png'),
    clip: { x: 0, y: 80, width: 640, height: 720 },
  });
} finally {
  await browser.close();
  server.kill('SIGINT');
}
