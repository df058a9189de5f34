import { type BenchGroup, type Check, type Figure, figure, ratios, runChild } from './measure.ts';
import { engineMm1 } from './mm1.ts';

// Peak RSS of M/M/1 on the engine for 10^6 and 10^7 customers, each in a fresh process:
// memory must follow what is in flight, not how many customers were simulated.
const SIZES = [1_000_000, 10_000_000] as const;
const RUNS = 3;

interface MemChild {
  readonly customers: number;
  readonly maxRssBytes: number;
  readonly meanSojourn: number;
}

function measureChild(args: readonly string[]): MemChild {
  const customers = Number(args[0]);
  if (!(customers > 0)) throw new Error('usage: --child mm1-mem CUSTOMERS');
  const meanSojourn = engineMm1(customers);
  return { customers, maxRssBytes: process.resourceUsage().maxRSS * 1024, meanSojourn };
}

function runMemory(): { figures: Record<string, Figure>; checks: Check[] } {
  const samples: number[][] = SIZES.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    SIZES.forEach((n, i) => {
      const out = runChild('mm1-mem', [String(n)]) as MemChild;
      samples[i]!.push(out.maxRssBytes / 2 ** 20);
    });
  }
  const small = figure(samples[0]!, 'MiB');
  const large = figure(samples[1]!, 'MiB');
  const ratio = figure(ratios(samples[1]!, samples[0]!), 'ratio');
  return {
    figures: {
      'memory.mm1.1e6.peakRss': small,
      'memory.mm1.1e7.peakRss': large,
      'memory.mm1.1e7/1e6': ratio,
    },
    checks: [
      {
        name: 'peak RSS 10^7 / 10^6 customers',
        target: 'within 10% (0.9 .. 1.1)',
        value: ratio.median,
        met: ratio.min >= 0.9 && ratio.max <= 1.1,
      },
    ],
  };
}

/** The memory group: peak RSS in fresh child processes. */
export const memoryGroup: BenchGroup = {
  name: 'memory',
  summary: 'peak RSS of M/M/1 for 10^6 and 10^7 customers, fresh process each',
  run: runMemory,
  children: { 'mm1-mem': measureChild },
};
