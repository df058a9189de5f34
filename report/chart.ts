import type { FaultMark } from './types.ts';

/** A Vega-Lite spec as plain data (compiled to Vega when the page is built). */
export type VlSpec = Record<string, unknown>;

/** One chart of a report: its id, title, a note under it, the series a reader should see. */
export interface ChartDef {
  readonly id: string;
  readonly title: string;
  readonly note?: string;
  /** Names that must appear in the rendered chart (legend or axis labels); checked by tests. */
  readonly series: readonly string[];
  readonly spec: VlSpec;
}

/** Width and height of a full-width chart, px (fits a 1280 px laptop screen with margins). */
export const WIDTH = 820;
/** Default chart height, px. */
export const HEIGHT = 210;

/** The x encoding of every time chart: simulated seconds. */
export const TIME_X = {
  field: 't',
  type: 'quantitative',
  title: 'simulated time (s)',
  axis: { grid: false },
} as const;

/**
 * Layers that mark the warm-up (grey band) and timeline events (red rules with labels, a light
 * band while an event lasts) on a time chart. Empty when there is nothing to mark.
 */
export function timeMarks(faults: readonly FaultMark[], warmup: number): VlSpec[] {
  const layers: VlSpec[] = [];
  if (warmup > 0) {
    layers.push({
      data: { values: [{ t: 0, end: warmup, label: 'warm-up' }] },
      mark: { type: 'rect', color: '#888', opacity: 0.12 },
      encoding: { x: TIME_X, x2: { field: 'end' } },
    });
  }
  if (faults.length > 0) {
    const values = faults.map((f, i) => ({ t: f.t, end: f.end ?? f.t, label: f.label, i }));
    // A rule at each event and, for events with a window, at its end (a second label row).
    const rules = [
      ...faults.map((f) => ({ t: f.t, label: f.label, row: 0 })),
      ...faults.flatMap((f) =>
        f.end === undefined || f.endLabel === undefined
          ? []
          : [{ t: f.end, label: f.endLabel, row: 1 }],
      ),
    ];
    layers.push(
      {
        data: { values },
        mark: { type: 'rect', color: '#d62728', opacity: 0.08 },
        encoding: { x: TIME_X, x2: { field: 'end' } },
      },
      {
        data: { values: rules },
        mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: TIME_X, tooltip: { field: 'label' } },
      },
      {
        data: { values: rules },
        transform: [{ calculate: '2 + 12 * datum.row', as: 'y' }],
        mark: {
          type: 'text',
          color: '#b01c1c',
          align: 'left',
          baseline: 'top',
          dx: 3,
          fontSize: 10,
        },
        encoding: {
          x: TIME_X,
          y: { field: 'y', type: 'quantitative', scale: null },
          text: { field: 'label' },
        },
      },
    );
  }
  return layers;
}

/** A time chart: the main layer(s) under the warm-up and fault marks, one shared x scale. */
export function timeChart(
  main: readonly VlSpec[],
  faults: readonly FaultMark[],
  warmup: number,
  height = HEIGHT,
): VlSpec {
  return {
    width: WIDTH,
    height,
    layer: [...timeMarks(faults, warmup), ...main],
  };
}
