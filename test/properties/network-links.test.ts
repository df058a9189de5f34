// Issue 15: the link faults moved beside the links (models/net/network.ts); without faults,
// delivery must be exactly what the network did before. Generated stacks get random links
// between components and replicas (testing/link-arbitraries.ts) and run twice: with the network
// as it is and with the link lookup as it was before the change (below, verbatim); the
// engine's fingerprint of every delivered event (time, actor, message) must be equal.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ActorRef, Simulation } from '../../engine/index.ts';
import { componentOf, type LinkState, Network } from '../../models/net/network.ts';
import { runScenario } from '../../models/scenario/build.ts';
import { scenarioArbitrary } from '../../testing/arbitraries.ts';
import { parseGenerated } from '../../testing/invariants.ts';
import { linksArbitrary } from '../../testing/link-arbitraries.ts';
import { assertScenarioProperty } from '../../testing/replay.ts';

interface NetworkInside {
  readonly byPair: Map<string, LinkState>;
  readonly cache: Map<number, LinkState>;
  readonly sim: Simulation;
  resolve(a: string, b: string): LinkState;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Network.link as it was before issue 15's fix (faults were written into the links). */
function linkBefore(this: Network, from: ActorRef, to: ActorRef): LinkState {
  const self = this as unknown as NetworkInside;
  // the "no link" sentinel: what a pair no link and no fault names resolves to
  const none = self.resolve('\u0001', '\u0002');
  const key = from * 1_048_576 + to;
  let state = self.cache.get(key);
  if (state === undefined) {
    const a = self.sim.idOf(from);
    const b = self.sim.idOf(to);
    state =
      self.byPair.get(pairKey(a, b)) ??
      self.byPair.get(pairKey(componentOf(a), b)) ??
      self.byPair.get(pairKey(a, componentOf(b))) ??
      self.byPair.get(pairKey(componentOf(a), componentOf(b))) ??
      none;
    self.cache.set(key, state);
  }
  return state;
}

/** A lookup that ignores replica links (a planted bug the property must catch). */
function linkGroupsOnly(this: Network, from: ActorRef, to: ActorRef): LinkState {
  const self = this as unknown as NetworkInside;
  const a = componentOf(self.sim.idOf(from));
  const b = componentOf(self.sim.idOf(to));
  return self.byPair.get(pairKey(a, b)) ?? self.resolve('\u0001', '\u0002');
}

/** The fingerprint of a run, with Network.link replaced by `link` when given. */
function fingerprint(raw: unknown, link?: typeof Network.prototype.link): string {
  const real = Network.prototype.link;
  if (link !== undefined) Network.prototype.link = link;
  try {
    return runScenario(parseGenerated(raw)).fingerprint;
  } finally {
    Network.prototype.link = real;
  }
}

const stacks = scenarioArbitrary({ maxRequests: 600, features: { faults: false } }).chain((g) =>
  linksArbitrary(g.scenario.components as Record<string, unknown>).map((links) => ({
    ...g.scenario,
    links: [...(g.scenario.links as unknown[]), ...links],
  })),
);

describe('the link rule without faults delivers exactly as the network did before', () => {
  test('generated stacks with component and replica links: same fingerprint, 60 scenarios', () => {
    assertScenarioProperty(
      'network-links',
      stacks,
      (s) => s,
      (s) => {
        const now = fingerprint(s);
        expect(now).not.toBe('');
        expect(now).toBe(fingerprint(s, linkBefore));
      },
      { numRuns: 60 },
    );
  });

  test('the check can fail: a lookup that ignores replica links changes the fingerprint', () => {
    const withReplicaLinks = fc
      .sample(stacks, { numRuns: 200, seed: 7 })
      .filter((s) =>
        (s.links as { between: string[]; latency: unknown }[]).some(
          (l) => l.between.some((id) => id.includes('[')) && l.latency !== '0ms',
        ),
      );
    expect(withReplicaLinks.length).toBeGreaterThan(0);
    const caught = withReplicaLinks
      .slice(0, 10)
      .some((s) => fingerprint(s) !== fingerprint(s, linkGroupsOnly));
    expect(caught).toBe(true);
  });
});
