import { z } from 'zod';
import type { ActorRef } from '../../engine/index.ts';
import { durationOrZero, positiveInt } from '../core/units.ts';

/**
 * Hedged requests (The Tail at Scale; gRPC hedgingPolicy): send the call to one member, and
 * if no answer came after `delay` (or the observed `delayPercentile` of answers), send a copy to
 * the next member, up to `maxAttempts` copies; the first answer wins, and with `cancel` the
 * other copies are withdrawn from their servers. `delay` 0 sends every copy at once (full
 * redundancy, Gardner et al. 2015). `budget` caps the extra copies as a share of calls.
 */
export const hedgeSchema = z.strictObject({
  upstream: z.string().min(1).describe('the group of equivalent servers the copies go to'),
  maxAttempts: positiveInt(16).default(2).describe('copies of a call at most (gRPC maxAttempts)'),
  delay: durationOrZero()
    .default(0)
    .describe('wait before each further copy (gRPC hedgingDelay); 0: all at once'),
  delayPercentile: z
    .number()
    .gt(0)
    .lt(100)
    .optional()
    .describe(
      'use this percentile of observed answer times as the delay once 100 answers are known',
    ),
  cancel: z
    .boolean()
    .default(true)
    .describe('withdraw the other copies when the first answer arrives'),
  budget: z
    .number()
    .min(0)
    .max(16)
    .optional()
    .describe('extra copies at most this share of calls (e.g. 0.05); omitted: no cap'),
});
/** A parsed hedge config. */
export type HedgeConfig = z.output<typeof hedgeSchema>;

/** The message a hedge sends to withdraw a copy (the `tag` it was sent with). */
export interface CancelMessage {
  readonly type: 'http.cancel';
  readonly tag: number;
  readonly from: ActorRef;
}
