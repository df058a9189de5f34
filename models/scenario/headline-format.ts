import { z } from 'zod';

/** Units a headline figure can be shown in ('' = a plain number). */
export const HEADLINE_UNITS = ['s', '%', 'x', '/s', 'count', 'replicas', ''] as const;

/** One headline figure: a metric of one component, with the words that say what it answers. */
export const headlineFigureSchema = z.strictObject({
  label: z
    .string()
    .min(1)
    .max(120)
    .describe('what the figure answers, in plain words (printed before the value)'),
  component: z
    .string()
    .min(1)
    .describe('the component id whose result holds the figure (e.g. "shoppers")'),
  metric: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
      error: 'expected a dotted path such as "latency.p99" or "ratios.hitRatio"',
    })
    .describe(
      'dotted path into the component result: latency.p99, ratios.hitRatio, status.503, counters.retries, recovery.0.seconds, extras.autoscale.steps, …',
    ),
  unit: z
    .enum(HEADLINE_UNITS)
    .optional()
    .describe(
      'how to show the value: s (seconds), %, x (a factor), /s, count, replicas; default from the metric',
    ),
});

/** The `report` block of a scenario: what the summary leads with. */
export const reportSchema = z
  .strictObject({
    headline: z
      .array(headlineFigureSchema)
      .min(1)
      .max(12)
      .describe('the figures that answer the scenario’s question; `run` prints them first'),
  })
  .describe('what the summary leads with');

/** A parsed headline figure. */
export type HeadlineFigure = z.output<typeof headlineFigureSchema>;

/** Issues for headline figures naming components the scenario does not have. */
export function checkHeadline(scenario: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const report = scenario.report as { headline?: readonly HeadlineFigure[] } | undefined;
  const components = (scenario.components ?? {}) as Record<string, unknown>;
  report?.headline?.forEach((f, i) => {
    if (!Object.hasOwn(components, f.component))
      ctx.addIssue({
        code: 'custom',
        path: ['report', 'headline', i, 'component'],
        message: `unknown component "${f.component}" (components: ${Object.keys(components).join(', ')})`,
      });
  });
}
