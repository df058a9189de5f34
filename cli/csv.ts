import type { ComponentSeries } from '../models/scenario/results.ts';

/** Quotes a CSV cell when needed and defuses spreadsheet formulas (= + - @ tab CR start). */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header of timeseries.csv. */
export const TIMESERIES_HEADER = 'replication,component,window_start_s,window_end_s,metric,value';

/**
 * timeseries.csv: one row per replication, component, window and metric, from the probes'
 * window series (replicas merged). Times are simulated seconds from the start of the run.
 */
export function timeseriesCsv(perReplication: readonly (readonly ComponentSeries[])[]): string {
  const lines = [TIMESERIES_HEADER];
  perReplication.forEach((series, rep) => {
    for (const s of series) {
      for (const [metric, values] of Object.entries(s.metrics)) {
        values.forEach((v, i) => {
          const start = s.start + i * s.window;
          lines.push(
            [
              rep,
              csvCell(s.component),
              round(start),
              round(start + s.window),
              csvCell(metric),
              round(v),
            ].join(','),
          );
        });
      }
    }
  });
  return `${lines.join('\n')}\n`;
}

function round(v: number): string {
  return String(Number(v.toPrecision(12)));
}
