// Streaming statistics, re-exported by name for engine/index.ts.
export {
  type ConfidenceInterval,
  confidenceInterval,
  studentTQuantile,
  studentTTail,
} from './confidence.ts';
export { LatencyHistogram, type LatencyHistogramJson, nearestRank } from './latency-histogram.ts';
export { TimeWeighted } from './time-weighted.ts';
export { Welford } from './welford.ts';
