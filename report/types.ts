import type { CapacityResult } from '../experiments/capacity.ts';
import type { ReplicationResults } from '../experiments/replications.ts';
import type { ExperimentReport } from '../experiments/summary.ts';
import type { KeptTrace } from '../models/core/trace-collector.ts';
import type { ComponentSeries } from '../models/scenario/results.ts';

/** A component of the stack diagram. */
export interface StackNode {
  readonly id: string;
  readonly type: string;
  readonly replicas: number;
}

/** A reference between components: `from` sends requests (or queries) to `to`. */
export interface StackEdge {
  readonly from: string;
  readonly to: string;
  readonly carriesRequests: boolean;
}

/** The stack as a graph: components, their references, and the scenario's network links. */
export interface StackGraph {
  readonly nodes: readonly StackNode[];
  readonly edges: readonly StackEdge[];
  readonly links: readonly {
    readonly between: readonly [string, string];
    readonly label: string;
  }[];
}

/** A timeline event placed on the time axes (seconds of simulated time from 0, warm-up included). */
export interface FaultMark {
  readonly t: number;
  /** End of the event's window, when it has one. */
  readonly end?: number;
  readonly label: string;
  /** Label of the end of the window (e.g. 'restart app[1]'), drawn as a second rule. */
  readonly endLabel?: string;
  /** End of the time axis (warm-up + duration): labels near it are drawn to the left of their rule. */
  readonly axisEnd?: number;
}

/** What the header of every report shows. */
export interface ScenarioInfo {
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  /** Measured duration and warm-up, seconds. */
  readonly duration: number;
  readonly warmup: number;
  readonly replications: number;
  /** Width of a time-series window, seconds. */
  readonly window: number;
}

/** CDF points [seconds, cumulative fraction] per component (from merged latency histograms). */
export type CdfByComponent = Readonly<Record<string, readonly (readonly [number, number])[]>>;

/** Everything a run report is made from. */
export interface RunReportInput {
  readonly kind: 'run';
  readonly info: ScenarioInfo;
  readonly results: ReplicationResults;
  /** Replication 0's per-window series (the plotted one). */
  readonly series: readonly ComponentSeries[];
  readonly cdf: CdfByComponent;
  readonly graph: StackGraph;
  readonly faults: readonly FaultMark[];
  readonly traces?: readonly KeptTrace[];
}

/** Everything a comparison report is made from. */
export interface CompareReportInput {
  readonly kind: 'compare';
  readonly info: ScenarioInfo;
  readonly report: ExperimentReport;
  /** Per cell index, pooled CDF per component. */
  readonly cdf: Readonly<Record<string, CdfByComponent>>;
  readonly graph: StackGraph;
}

/** Everything a sweep report is made from: the grid's cells and/or a capacity search. */
export interface SweepReportInput {
  readonly kind: 'sweep';
  readonly info: ScenarioInfo;
  readonly parameters: readonly string[];
  readonly report?: ExperimentReport;
  readonly capacity?: CapacityResult;
  readonly graph: StackGraph;
}

/** Any report input. */
export type ReportInput = RunReportInput | CompareReportInput | SweepReportInput;
