import { z } from 'zod';
import type { BackendView, Balancer } from '../algorithm.ts';

/** Config of least connections (NGINX `least_conn`, HAProxy `leastconn`). */
export const leastConnectionsSchema = z.strictObject({
  name: z.literal('least-connections'),
  ties: z
    .enum(['rotate', 'nginx', 'haproxy'])
    .default('rotate')
    .describe(
      'among backends tied on in-flight/weight: rotate = start each scan one past the last; nginx = least_conn: smooth weighted round robin over the tied; haproxy = leastconn: the one whose count changed longest ago',
    ),
});

/**
 * Full scan for the fewest in-flight requests per unit of weight (inflight / weight). Ties go
 * round robin by starting each scan one position after the previous one (`rotate`), or as
 * NGINX's least_conn breaks them (`nginx`): the first best in index order, and when several
 * tie, smooth weighted round robin over the tied ones (their current weights grow by their
 * weights, the largest wins and pays back the total). O(n).
 */
export function leastConnections(
  config: { readonly ties?: 'rotate' | 'nginx' | 'haproxy' } = {},
): Balancer {
  if (config.ties === 'nginx') return nginxLeastConn();
  if (config.ties === 'haproxy') return haproxyLeastConn();
  let start = 0;
  return {
    name: 'least-connections',
    cost: 'O(n)',
    pick(view: BackendView): number {
      const e = view.eligible;
      const m = e.length;
      if (m === 0) return -1;
      if (start >= m) start = 0;
      let best = -1;
      let bestScore = Number.POSITIVE_INFINITY;
      for (let k = 0; k < m; k++) {
        const i = e[(start + k) % m]!;
        const score = view.inflight(i) / view.weight(i);
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      start++;
      return best;
    },
  };
}

/** NGINX least_conn (ngx_http_upstream_get_least_conn_peer), cross-multiplied like the C code. */
function nginxLeastConn(): Balancer {
  let current = new Float64Array(0);
  return {
    name: 'least-connections',
    cost: 'O(n)',
    pick(view: BackendView): number {
      if (current.length !== view.n) current = new Float64Array(view.n);
      const e = view.eligible;
      let best = -1;
      let many = false;
      for (const i of e) {
        if (best < 0) {
          best = i;
          continue;
        }
        const a = view.inflight(i) * view.weight(best);
        const b = view.inflight(best) * view.weight(i);
        if (a < b) {
          best = i;
          many = false;
        } else if (a === b) many = true;
      }
      if (best < 0 || !many) return best;
      const first = best;
      let total = 0;
      for (const i of e) {
        if (i < first) continue;
        if (view.inflight(i) * view.weight(first) !== view.inflight(first) * view.weight(i))
          continue;
        current[i]! += view.weight(i);
        total += view.weight(i);
        if (current[i]! > current[best]!) best = i;
      }
      current[best]! -= total;
      return best;
    },
  };
}

/**
 * HAProxy leastconn (lb_fwlc.c): servers sit in a tree keyed by served × EWGHT_MAX / eweight
 * (eweight = weight × 16); a server is requeued, behind the others of equal key, each time its
 * count changes, so among equals the one whose count changed longest ago wins.
 */
function haproxyLeastConn(): Balancer {
  let order = new Float64Array(0);
  let seq = 0;
  const touch = (i: number) => {
    order[i] = seq++;
  };
  return {
    name: 'least-connections',
    cost: 'O(n)',
    pick(view: BackendView): number {
      if (order.length !== view.n) {
        order = new Float64Array(view.n);
        for (let i = 0; i < view.n; i++) order[i] = i - view.n;
      }
      let best = -1;
      let bestKey = Number.POSITIVE_INFINITY;
      for (const i of view.eligible) {
        const key = Math.trunc(
          (view.inflight(i) * 4096) / Math.max(1, Math.round(view.weight(i) * 16)),
        );
        if (key < bestKey || (key === bestKey && order[i]! < order[best]!)) {
          bestKey = key;
          best = i;
        }
      }
      return best;
    },
    onStart(i) {
      if (i < order.length) touch(i);
    },
    onEnd(i) {
      if (i < order.length) touch(i);
    },
  };
}
