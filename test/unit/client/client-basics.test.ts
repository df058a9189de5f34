import { describe, expect, it } from 'vitest';
import { Harness } from '../../helpers/client-harness.ts';

const LINK = [{ between: ['client', 'server'], latency: '10ms' }];

describe('client lifecycle against the echo server', () => {
  it('a closed loop with keep-alive does one handshake; without keep-alive one per request', () => {
    for (const keepAlive of [true, false]) {
      const h = new Harness(1, LINK);
      h.echo('server', { service: 5_000 });
      h.closed('client', {
        target: 'server',
        users: 1,
        thinkTime: '100ms',
        connection: { keepAlive, tls: '1.3' },
        stopAfter: '1s',
      });
      h.run();
      const r = h.result('client');
      expect(r.completions).toBe(r.counters.offered);
      expect(r.counters.handshakes).toBe(keepAlive ? 1 : r.counters.offered);
      // TLS 1.3 cold request: TCP 1 RTT + TLS 1 RTT + request 1 RTT + 5ms service.
      if (!keepAlive) expect(h.probes.get('client')!.latency.min).toBe(65_000);
      else expect(h.probes.get('client')!.latency.min).toBe(25_000);
    }
  });
});
