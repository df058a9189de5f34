// Browser runtime of a report page, bundled with vega by esbuild into dist/report-runtime.js and
// inlined into every report. It renders each <figure data-chart> from the JSON specs block and
// marks it data-rendered="ok" (or "error", with a console error) for readers and tests.
import { parse, View } from 'vega';

// The page's DOM, untyped: tsconfig has no DOM lib.
declare const document: any;

const block = document.getElementById('stacksim-specs');
const specs: Record<string, unknown> = block === null ? {} : JSON.parse(block.textContent);
const figures: any[] = Array.from(document.querySelectorAll('figure[data-chart]'));
const pending = figures.map(async (fig) => {
  const id: string = fig.dataset.chart;
  try {
    const spec = specs[id];
    if (spec === undefined) throw new Error(`no spec for chart ${id}`);
    const view = new View(parse(spec as Parameters<typeof parse>[0]), {
      renderer: 'svg',
      container: fig.querySelector('.view'),
      hover: true,
    });
    await view.runAsync();
    fig.dataset.rendered = 'ok';
  } catch (error) {
    fig.dataset.rendered = 'error';
    console.error(`chart ${id}:`, error);
  }
});
Promise.all(pending).then(() => {
  document.documentElement.dataset.charts = 'done';
});
