// Messages between the playground page and its engine worker (plain data, structured-cloned).
import type { ScenarioIssue } from '../models/scenario/issues.ts';
import type { RunMode } from './share.ts';

/** Options of a run, applied as overrides exactly as the CLI's --seed, --replications, --set. */
export interface RunOptions {
  readonly seed?: number;
  readonly replications?: number;
  readonly maxEvents?: number;
  readonly mode: RunMode;
}

/** What the page asks the worker. */
export interface RunRequest {
  readonly kind: 'run';
  readonly id: number;
  readonly text: string;
  readonly options: RunOptions;
}

/** The files a finished run offers for download, and what the page shows. */
export interface RunOutput {
  readonly mode: RunMode;
  readonly name: string;
  /** results.json (run) or compare.json (compare), as the CLI prints it with --json. */
  readonly json: string;
  /** timeseries.csv (run) or the tidy rows (compare). */
  readonly csv: string;
  /** The self-contained HTML report (report/page.ts), also shown in a frame. */
  readonly reportHtml: string;
  /** The report's summary table (HTML from report/tables.ts) or the compare table (text). */
  readonly summaryHtml: string;
  readonly summaryText?: string;
  readonly events: number;
  readonly wallSeconds: number;
  readonly partial: boolean;
  readonly stoppedBy: string;
}

/** What the worker answers: progress while running, then exactly one of the others. */
export type WorkerReply =
  | {
      readonly kind: 'progress';
      readonly id: number;
      readonly fraction: number;
      readonly label: string;
    }
  | { readonly kind: 'done'; readonly id: number; readonly output: RunOutput }
  | { readonly kind: 'invalid'; readonly id: number; readonly issues: readonly ScenarioIssue[] }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
