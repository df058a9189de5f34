/** Where a run is, for the progress bar. */
export interface ProgressState {
  readonly replication: number;
  readonly replications: number;
  /** Simulated µs done and total in this replication. */
  readonly now: number;
  readonly end: number;
  /** Events delivered over all replications so far. */
  readonly events: number;
}

/**
 * A one-line progress bar on stderr: shown only when enabled (stderr is a TTY and not --quiet)
 * and the run has taken longer than a second; redrawn at most ten times a second.
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private readonly write: (text: string) => void;
  private readonly clock: () => number;
  private readonly start: number;
  private lastDraw = 0;
  private shown = false;

  constructor(enabled: boolean, write: (text: string) => void, clock: () => number) {
    this.enabled = enabled;
    this.write = write;
    this.clock = clock;
    this.start = clock();
  }

  /** Redraws the bar if it is due. */
  update(p: ProgressState): void {
    if (!this.enabled) return;
    const t = this.clock();
    const elapsed = t - this.start;
    if (elapsed < 1 || t - this.lastDraw < 0.1) return;
    this.lastDraw = t;
    const within = p.end > 0 ? Math.min(1, p.now / p.end) : 1;
    const fraction = (p.replication + within) / p.replications;
    const width = 24;
    const filled = Math.round(fraction * width);
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : 0;
    const rate = p.events / elapsed;
    const rep = p.replications > 1 ? ` rep ${p.replication + 1}/${p.replications}` : '';
    const line =
      `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%` +
      `${rep} sim ${(p.now / 1e6).toFixed(1)}s/${(p.end / 1e6).toFixed(1)}s` +
      ` ${(rate / 1e6).toFixed(2)}M ev/s ETA ${eta.toFixed(0)}s`;
    this.write(`\r${line}\u001b[K`);
    this.shown = true;
  }

  /** Clears the bar (if it was drawn). */
  clear(): void {
    if (this.shown) this.write('\r\u001b[K');
    this.shown = false;
  }
}
