import type { PageQuery } from '../http/messages.ts';

/** Page-number buckets (1-based, inclusive upper bounds) the cost per page is reported by. */
const BOUNDS = [1, 4, 16, 64, Number.POSITIVE_INFINITY] as const;
const LABELS = ['p1', 'p2-4', 'p5-16', 'p17-64', 'p65+'] as const;

/** Mean service time of pages by page number and mode: what deep offset pages cost. */
export class PageCosts {
  private readonly sums = { offset: [0, 0, 0, 0, 0], cursor: [0, 0, 0, 0, 0] };
  private readonly counts = { offset: [0, 0, 0, 0, 0], cursor: [0, 0, 0, 0, 0] };

  /** Records one page's service time in µs. */
  record(q: PageQuery, micros: number): void {
    const n = q.page + 1;
    let b = 0;
    while (n > BOUNDS[b]!) b++;
    this.sums[q.mode][b]! += micros;
    this.counts[q.mode][b]! += 1;
  }

  /** Forgets everything (end of warm-up). */
  reset(): void {
    for (const m of ['offset', 'cursor'] as const) {
      this.sums[m].fill(0);
      this.counts[m].fill(0);
    }
  }

  /** Mean seconds per page by mode and page-number bucket (buckets without pages omitted). */
  summary(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const m of ['offset', 'cursor'] as const) {
      const row: Record<string, number> = {};
      this.counts[m].forEach((c, i) => {
        if (c > 0) row[LABELS[i]!] = Number((this.sums[m][i]! / c / 1e6).toPrecision(6));
      });
      if (Object.keys(row).length > 0) out[m] = row;
    }
    return out;
  }
}
