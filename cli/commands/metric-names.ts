import type { ExperimentReport } from '../../experiments/summary.ts';

/** Metrics that exist whenever a run could have produced them (absent from a run means 0). */
const COUNT_PREFIX = /^(status\.\d{3}|counters\.[A-Za-z0-9_.-]+)$/;

/**
 * Why `--metrics` names something no cell of `report` has (a usage error listing the names that
 * exist), or undefined when every name is known. Status codes and counters a run never saw are
 * accepted: they are zero there, not misspelt.
 */
export function unknownMetrics(
  report: ExperimentReport,
  wanted: readonly string[],
): string | undefined {
  const known = new Set<string>();
  for (const cell of report.cells)
    for (const metrics of Object.values(cell.metrics))
      for (const name of Object.keys(metrics)) known.add(name);
  const unknown = wanted.filter((m) => !known.has(m) && !COUNT_PREFIX.test(m));
  if (unknown.length === 0) return undefined;
  const names = [...known].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `--metrics: unknown ${unknown.length === 1 ? 'name' : 'names'} ${unknown.map((m) => `"${m}"`).join(', ')}; this scenario's metrics are: ${names.join(', ')}`;
}
