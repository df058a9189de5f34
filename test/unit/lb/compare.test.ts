// lb-compare: one run per balancing algorithm, printing p50/p99. With the real client and
// app-server kinds registered it runs scenarios/lb-compare.json with the algorithm overridden;
// until then it runs the same shape on the test actors (10 servers, one 3x slower, ~90% load).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBalancerSchema } from '../../../models/lb/config.ts';
import { findKind } from '../../../models/registry.ts';
import { runScenario } from '../../../models/scenario/build.ts';
import { scenarioSchema } from '../../../models/scenario/format.ts';
import { lbBench } from '../../helpers/lb-harness.ts';

const VARIANTS = [
  'round-robin',
  'least-connections',
  'power-of-d-choices',
  'peak-ewma',
  'consistent-hash',
];
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../scenarios/${name}.json`, import.meta.url), 'utf8'));

describe('scenario files', () => {
  it.each(['lb-compare', 'lb-failover', 'autoscale'])(
    '%s: the load-balancer config parses',
    (name) => {
      const { type, ...lb } = load(name).components.lb;
      expect(type).toBe('load-balancer');
      expect(loadBalancerSchema.safeParse(lb).success).toBe(true);
    },
  );
});

describe('lb-compare', () => {
  const realKinds = findKind('client.open') !== undefined && findKind('app-server') !== undefined;

  it.runIf(realKinds)('scenario file: p50/p99 per algorithm', () => {
    const rows: string[] = [];
    for (const algorithm of VARIANTS) {
      const raw = load('lb-compare');
      raw.components.lb.algorithm = algorithm;
      raw.run.duration = '30s';
      const result = runScenario(scenarioSchema().parse(raw));
      const lat = result.components.users?.latency ?? result.components.lb!.latency;
      rows.push(
        `${algorithm.padEnd(20)} p50 ${(lat.p50 * 1e3).toFixed(1)} ms  p99 ${(lat.p99 * 1e3).toFixed(1)} ms`,
      );
    }
    console.log(rows.join('\n'));
  });

  it('test actors: adaptive algorithms beat round robin at the tail when one server is slow', () => {
    const p99: Record<string, number> = {};
    const rows: string[] = [];
    for (const algorithm of VARIANTS) {
      const b = lbBench({
        seed: 3,
        n: 10,
        ratePerServer: 840,
        meanService: 1000,
        until: 8e6,
        warmup: 1e6,
        slow: { 3: 3 },
        lb: { algorithm },
      });
      b.sim.run({ until: 8e6 });
      const h = b.source.hist;
      p99[algorithm] = h.percentile(99) / 1000;
      rows.push(
        `${algorithm.padEnd(20)} p50 ${(h.percentile(50) / 1000).toFixed(2)} ms  p99 ${p99[algorithm]!.toFixed(2)} ms`,
      );
    }
    console.log(rows.join('\n'));
    for (const a of ['least-connections', 'power-of-d-choices', 'peak-ewma']) {
      expect(p99[a]!).toBeLessThan(p99['round-robin']! / 5);
    }
  });
});
