import { z } from 'zod';
import type { Balancer } from '../algorithm.ts';
import { smoothWeightedRoundRobin } from './smooth-weighted-round-robin.ts';

/** Config of NGINX's `ip_hash`. */
export const ipHashSchema = z.strictObject({ name: z.literal('ip-hash') });
/** Parsed ip-hash config. */
export type IpHashConfig = z.output<typeof ipHashSchema>;

/** The first three octets of the client address (clientIp read as the IPv4 address a.b.c.d). */
export function ipOctets(clientIp: number): [number, number, number] {
  const ip = clientIp >>> 0;
  return [(ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255];
}

/**
 * NGINX `ip_hash` (ngx_http_upstream_ip_hash_module): the hash starts at 89 and takes each of
 * the first three octets of the client's IPv4 address as hash = (hash·113 + octet) mod 6271;
 * w = hash mod (sum of configured weights) picks the backend whose weight range holds w, in
 * configured order. A backend that may not be picked (down, marked failed, already tried)
 * makes it hash the three octets again from the current hash, up to 20 times; after that it
 * falls back to smooth weighted round robin, as NGINX does. Clients of one /24 go to one backend.
 */
export function ipHash(): Balancer {
  const fallback = smoothWeightedRoundRobin();
  return {
    name: 'ip-hash',
    cost: 'O(n)',
    pick(view, req, rng) {
      if (view.eligible.length === 0) return -1;
      let total = 0;
      for (let i = 0; i < view.n; i++) total += view.baseWeight(i);
      const octets = ipOctets(req.clientIp);
      let hash = 89;
      for (let tries = 0; tries <= 20; tries++) {
        for (const o of octets) hash = (hash * 113 + o) % 6271;
        let w = hash % total;
        let p = 0;
        while (p < view.n - 1 && w >= view.baseWeight(p)) {
          w -= view.baseWeight(p);
          p++;
        }
        if (view.isEligible(p)) return p;
      }
      return fallback.pick(view, req, rng);
    },
  };
}
