import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { siteServer } from '../cli/commands/playground.ts';
import { startReplication } from '../experiments/replications.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import { type BenchGroup, type Check, type Figure, figure, ratios } from './measure.ts';

// The playground's engine in Chromium's Web Worker against Node on the same machine, side by
// side: scenarios/checkout.json with no warm-up and 60 s simulated, run alternately in the
// worker (the page's own worker.js, driven by the page's message protocol) and on this thread
// (the same slice loop), five pairs after one warm-up each. Also the page's JavaScript payload
// (dist/playground, built by build.mjs), raw and gzip-compressed.
const SIMULATED_SECONDS = 60;
const PAIRS = 5;
const CHROMIUM = '/usr/bin/chromium';
const SITE = new URL('../dist/playground/', import.meta.url);
const SCENARIO = new URL('../scenarios/checkout.json', import.meta.url);
const SLICE_EVENTS = 50_000;
const KIB = 1024;

interface Sample {
  readonly requests: number;
  readonly events: number;
  readonly wallSeconds: number;
  readonly fingerprint: string;
}

/** checkout.json's text with the warm-up removed and `seconds` measured. */
function scenarioText(seconds: number): string {
  const raw = JSON.parse(readFileSync(SCENARIO, 'utf8'));
  raw.run = { ...raw.run, warmup: '0s', duration: `${seconds}s` };
  return JSON.stringify(raw);
}

/** One replication in Node, with the worker's slice loop. */
function nodeRun(text: string): Sample {
  const loaded = loadScenarioText(text);
  if (!loaded.ok) throw new Error(`checkout.json: ${JSON.stringify(loaded.issues)}`);
  const clock = () => performance.now() / 1000;
  const started = clock();
  const run = startReplication(loaded.scenario, 0, { wallClock: clock });
  while (!run.advance(SLICE_EVENTS)) {
    // the worker posts progress here
  }
  const r = run.finish();
  const wallSeconds = clock() - started;
  return {
    requests: r.components.shoppers?.arrivals ?? 0,
    events: r.events,
    wallSeconds,
    fingerprint: r.fingerprint,
  };
}

// Runs in the page: one module worker, one request at a time; the worker's own wall time.
const PAGE_HELPER = `window.__benchRun = (text) => new Promise((resolve, reject) => {
  const w = (window.__benchWorker ??= new Worker('worker.js', { type: 'module' }));
  w.onerror = (e) => reject(new Error(e.message));
  w.onmessage = (e) => {
    const r = e.data;
    if (r.kind === 'progress') return;
    if (r.kind !== 'done') return reject(new Error(JSON.stringify(r)));
    const j = JSON.parse(r.output.json);
    resolve({ requests: j.runs[0].components.shoppers.arrivals, events: j.events,
      wallSeconds: r.output.wallSeconds, fingerprint: j.runs[0].fingerprint });
  };
  w.postMessage({ kind: 'run', id: 1, text, options: { mode: 'run' } });
});`;

function payload(): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  let raw = 0;
  let gz = 0;
  for (const f of ['app.js', 'worker.js', 'report-runtime.js']) {
    const bytes = readFileSync(new URL(f, SITE));
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += g;
    out[`browser.payload ${f}`] = figure([bytes.length / KIB], 'KiB');
    out[`browser.payload ${f} gzip`] = figure([g / KIB], 'KiB');
  }
  out['browser.payload total JS'] = figure([raw / KIB], 'KiB');
  out['browser.payload total JS gzip'] = figure([gz / KIB], 'KiB');
  return out;
}

async function runGroup(): Promise<{ figures: Record<string, Figure>; checks: Check[] }> {
  if (!existsSync(CHROMIUM) || !existsSync(new URL('index.html', SITE))) {
    const why = existsSync(CHROMIUM)
      ? 'dist/playground missing (npm run build)'
      : `${CHROMIUM} missing`;
    return {
      figures: {},
      checks: [{ name: `browser group skipped: ${why}`, target: 'runs', value: 0, met: false }],
    };
  }
  // not bundled: playwright-core stays a dev dependency loaded from node_modules
  const pw = 'playwright-core';
  const { chromium } = (await import(pw)) as typeof import('playwright-core');
  const server = siteServer(SITE.pathname);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'bench-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.evaluate(PAGE_HELPER);
    const inBrowser = (text: string) =>
      page.evaluate(`window.__benchRun(${JSON.stringify(text)})`) as Promise<Sample>;
    const warm = scenarioText(5);
    nodeRun(warm);
    await inBrowser(warm);
    const text = scenarioText(SIMULATED_SECONDS);
    const node: Sample[] = [];
    const chrome: Sample[] = [];
    for (let i = 0; i < PAIRS; i++) {
      node.push(nodeRun(text));
      chrome.push(await inBrowser(text));
    }
    const rate = (xs: Sample[]) => xs.map((x) => x.requests / x.wallSeconds);
    const ratio = figure(ratios(rate(chrome), rate(node)), 'ratio');
    const prints = new Set([...node, ...chrome].map((x) => x.fingerprint));
    return {
      figures: {
        'browser.checkout requests (Node)': figure(rate(node), 'simulated requests/s'),
        'browser.checkout requests (Chromium worker)': figure(rate(chrome), 'simulated requests/s'),
        'browser.checkout Chromium / Node': ratio,
        ...payload(),
      },
      checks: [
        {
          name: "checkout simulated requests/s in Chromium's worker / Node, side by side (issue #23)",
          target: '>= 0.8',
          value: ratio.median,
          met: ratio.median >= 0.8,
        },
        {
          name: 'checkout fingerprint in Chromium equals Node (distinct fingerprints)',
          target: '1',
          value: prints.size,
          met: prints.size === 1,
        },
      ],
    };
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}

/** The browser group: the playground's worker against Node, and the page's JS payload. */
export const browserGroup: BenchGroup = {
  name: 'browser',
  summary: `checkout.json ${SIMULATED_SECONDS} s simulated in Chromium's worker vs Node, ${PAIRS} pairs; page JS payload`,
  run: runGroup,
};
