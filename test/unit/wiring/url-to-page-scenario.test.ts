import { describe, expect, it } from 'vitest';
import { runScenarioFile } from './scenario-run.ts';

describe('scenarios/url-to-page.json', () => {
  const out = runScenarioFile('url-to-page');
  const c = out.components;
  const browser = c.browser!;

  it('every phase of the journey shows in the breakdown, and the phases add up to the latency', () => {
    const b = browser.breakdown!;
    for (const phase of ['dns', 'connect', 'tls', 'network', 'service', 'database']) {
      expect(b[phase]?.mean ?? 0, phase).toBeGreaterThan(0);
    }
    const sum = Object.values(b).reduce((a, p) => a + p.mean, 0);
    expect(sum).toBeCloseTo(browser.latency.mean, 4);
    // TCP and TLS 1.3 each cost one 40 ms round trip per new connection.
    expect(b.connect!.p99).toBeCloseTo(0.04, 3);
    expect(b.tls!.p99).toBeCloseTo(0.04, 3);
  });

  it('DNS walks browser → OS → resolver → root/TLD/authoritative', () => {
    expect(browser.counters.dnsBrowserHits).toBeGreaterThan(0);
    expect(browser.counters.dnsOsHits).toBeGreaterThan(0);
    expect(browser.counters.dnsQueries).toBeGreaterThan(0);
    const r = c.resolver!.counters;
    expect(r.rootQueries).toBe(1);
    expect(r.tldQueries).toBe(1);
    expect(r.authQueries).toBe(browser.counters.dnsQueries);
    // The first lookup pays the whole walk: well above one client–resolver round trip.
    expect(browser.breakdown!.dns!.p99).toBeGreaterThan(0.1);
  });

  it('each visit opens a new connection: one TLS handshake per visit at the proxy', () => {
    expect(browser.byStatus).toEqual({ '200': browser.completions });
    expect(c.proxy!.counters.tlsHandshakes).toBe(browser.counters.handshakes);
    expect(browser.counters.handshakes).toBeGreaterThanOrEqual(4);
  });
});
