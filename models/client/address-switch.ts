import { type SimTime, toSeconds } from '../../engine/index.ts';
import type { Probe, ProbeExtras } from '../core/probe.ts';

/**
 * The address a client host first connected to through DNS and when it first used another
 * (a DNS failover reaching this host). Not reset by warm-up: the time is absolute, seconds of
 * simulated time. Results: extras.replica of each client replica, gathered per component as
 * extras.perReplica (see models/scenario/results.ts).
 */
export class AddressSwitch implements ProbeExtras {
  first: string | undefined = undefined;
  to: string | undefined = undefined;
  at: SimTime | undefined = undefined;

  reset(): void {}

  summary(): Record<string, unknown> {
    return {
      replica: {
        dnsFirstAddress: this.first ?? null,
        dnsSwitchedTo: this.to ?? null,
        dnsSwitchedAt: this.at === undefined ? null : toSeconds(this.at),
      },
    };
  }
}

/** Notes that a client connects to `address` (a DNS answer's first address) at `now`. */
export function noteAddress(probe: Probe, address: string, now: SimTime): void {
  const s = probe.extras instanceof AddressSwitch ? probe.extras : new AddressSwitch();
  probe.extras = s;
  if (s.first === undefined) s.first = address;
  else if (s.at === undefined && address !== s.first) {
    s.to = address;
    s.at = now;
  }
}
