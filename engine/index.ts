// The engine's public surface. Models and tools import from here only; no `export *`.
export type { ActorRef, Behavior, Context, Handler, Message, TimerHandle } from './actor.ts';
export { START } from './actor.ts';
export type {
  Distribution,
  LognormalParams,
  LognormalQuantiles,
  NormalOptions,
} from './distributions/index.ts';
export {
  constant,
  DistributionError,
  empirical,
  empiricalCdf,
  erlang,
  exponential,
  gamma,
  generalizedHarmonic,
  lognormal,
  lognormalFromQuantiles,
  normal,
  pareto,
  uniform,
  weibull,
  zipf,
} from './distributions/index.ts';
export { SimulationError } from './errors.ts';
export { Fingerprint, hashString } from './fingerprint.ts';
export {
  erfc,
  logGamma,
  normalCdf,
  normalQuantile,
  normalTail,
  regularizedBeta,
} from './math/special.ts';
export type { EventQueue, QueueKind } from './queue.ts';
export { createQueue, HeapJsQueue, TypedHeapQueue } from './queue.ts';
export type { Rng } from './rng.ts';
export { createStream, deriveSeed } from './rng.ts';
export type { RunOptions, RunOutcome, SimulationOptions, StopReason } from './simulation.ts';
export { Simulation } from './simulation.ts';
export type {
  ConfidenceInterval,
  LatencyHistogramJson,
} from './stats/index.ts';
export {
  confidenceInterval,
  LatencyHistogram,
  nearestRank,
  studentTQuantile,
  studentTTail,
  TimeWeighted,
  Welford,
} from './stats/index.ts';
export type { SimTime } from './time.ts';
export { fromMillis, fromSeconds, MICROS_PER_SECOND, toSeconds } from './time.ts';
export type { TraceDivergence, TraceRecord } from './trace.ts';
export { firstDivergence, TraceRecorder } from './trace.ts';
