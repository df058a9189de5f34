import { compile } from 'vega-lite';
import type { ChartDef } from './chart.ts';

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: 'white',
  // labels that would overlap are thinned (greedy) and the outermost kept inside the axis
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    gridColor: '#eee',
    labelOverlap: 'greedy',
    labelSeparation: 6,
    labelFlush: true,
  },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'right' },
  view: { stroke: '#ddd' },
  line: { strokeWidth: 1.5 },
  range: { category: { scheme: 'tableau10' } },
};

/** A chart with its Vega spec (compiled from the Vega-Lite spec). */
export interface CompiledChart extends ChartDef {
  readonly vega: Record<string, unknown>;
}

/** Compiles a chart's Vega-Lite spec to Vega (no network: data is inline, `$schema` dropped). */
export function compileChart(chart: ChartDef): CompiledChart {
  const { spec } = compile({ ...chart.spec, config: CONFIG } as Parameters<typeof compile>[0]);
  const { $schema: _schema, ...vega } = spec as Record<string, unknown>;
  return { ...chart, vega };
}
