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
 * One line per `series` over simulated time, holding each bucket's value `v` until the next
 * (step-after). `y` adds to the quantitative y encoding; `encoding` adds or replaces channels.
 */
export function stepLines(
  rows: readonly object[],
  y: VlSpec,
  options: { strokeWidth?: number; color?: VlSpec; encoding?: VlSpec } = {},
): VlSpec {
  return {
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: options.strokeWidth ?? 1.3 },
    encoding: {
      x: TIME_X,
      y: { field: 'v', type: 'quantitative', ...y },
      color: { field: 'series', type: 'nominal', title: null, ...options.color },
      ...options.encoding,
    },
  };
}

/**
 * Layers that mark the warm-up (grey band) and timeline events (a light band while an event
 * lasts, under the data; red rules with labels at its start and end, over the data so that a
 * stacked area cannot hide them). Empty when there is nothing to mark.
 */
export function timeMarks(
  faults: readonly FaultMark[],
  warmup: number,
): { under: VlSpec[]; over: VlSpec[] } {
  const under: VlSpec[] = [];
  const over: VlSpec[] = [];
  if (warmup > 0) {
    under.push({
      data: { values: [{ t: 0, end: warmup, label: 'warm-up' }] },
      mark: { type: 'rect', color: '#888', opacity: 0.12 },
      encoding: { x: TIME_X, x2: { field: 'end' } },
    });
  }
  if (faults.length === 0) return { under, over };
  const values = faults.map((f, i) => ({ t: f.t, end: f.end ?? f.t, label: f.label, i }));
  // A rule at each event and, for events with a window, at its end (a second label row).
  // A label in the last 15% of the axis is drawn left of its rule, so it stays in the plot
  // (and off the legend).
  const axisEnd = Math.max(...faults.map((f) => f.axisEnd ?? f.end ?? f.t));
  const right = (t: number) => t > 0.85 * axisEnd;
  const rules = [
    ...faults.map((f) => ({ t: f.t, label: f.label, row: 0, right: right(f.t) })),
    ...faults.flatMap((f) =>
      f.end === undefined || f.endLabel === undefined
        ? []
        : [{ t: f.end, label: f.endLabel, row: 1, right: right(f.end) }],
    ),
  ];
  const text = (extra: VlSpec): VlSpec[] =>
    [false, true]
      .filter((r) => rules.some((x) => x.right === r))
      .map((r) => ({
        data: { values: rules.filter((x) => x.right === r) },
        transform: [{ calculate: '2 + 12 * datum.row', as: 'y' }],
        mark: {
          type: 'text',
          align: r ? 'right' : 'left',
          baseline: 'top',
          dx: r ? -3 : 3,
          fontSize: 10,
          ...extra,
        },
        encoding: {
          x: TIME_X,
          y: { field: 'y', type: 'quantitative', scale: null },
          text: { field: 'label' },
        },
      }));
  under.push({
    data: { values },
    mark: { type: 'rect', color: '#d62728', opacity: 0.08 },
    encoding: { x: TIME_X, x2: { field: 'end' } },
  });
  over.push(
    {
      data: { values: rules },
      mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { x: TIME_X, tooltip: { field: 'label' } },
    },
    // a white halo under each label keeps it readable over lines and areas
    ...text({ color: '#fff', stroke: '#fff', strokeWidth: 3, strokeOpacity: 0.85 }),
    ...text({ color: '#b01c1c' }),
  );
  return { under, over };
}

/** A time chart: the data between the marks under and over it (see timeMarks), one x scale. */
export function timeChart(
  main: readonly VlSpec[],
  faults: readonly FaultMark[],
  warmup: number,
  height = HEIGHT,
): VlSpec {
  const marks = timeMarks(faults, warmup);
  return {
    width: WIDTH,
    height,
    layer: [...marks.under, ...main, ...marks.over],
  };
}
