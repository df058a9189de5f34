import { parse, View } from 'vega';
import type { CompiledChart } from './compile.ts';

/** Renders each chart to a standalone SVG string headlessly (no browser, no canvas). */
export async function chartSvgs(
  charts: readonly CompiledChart[],
): Promise<{ readonly id: string; readonly svg: string }[]> {
  const out: { id: string; svg: string }[] = [];
  for (const c of charts) {
    const view = new View(parse(c.vega as Parameters<typeof parse>[0]), { renderer: 'none' });
    out.push({ id: c.id, svg: await view.toSVG() });
    view.finalize();
  }
  return out;
}
