/** The knob mapping printed in docs/conformance.md: our field ↔ the product's directive. */
export const KNOBS: readonly (readonly [string, string, string])[] = [
  ['nginx', 'rate-limiter `algorithm: leaky-meter` `rate`', '`limit_req_zone … rate=10r/s`'],
  ['nginx', 'leaky-meter `burst`', '`limit_req … burst=N`'],
  ['nginx', 'leaky-meter `nodelay: true`', '`limit_req … nodelay`'],
  ['nginx', 'leaky-meter `delay: N`', '`limit_req … delay=N`'],
  ['nginx', 'rate-limiter `status`', '`limit_req_status` / `limit_conn_status` (default 503)'],
  ['nginx', 'rate-limiter `key: clientIp`', '`$binary_remote_addr` (with `set_real_ip_from`)'],
  ['nginx', 'rate-limiter `algorithm: concurrency` `limit`', '`limit_conn zone N`'],
  [
    'nginx',
    'load-balancer `algorithm: smooth-weighted-round-robin`',
    '`upstream` default (round robin)',
  ],
  ['nginx', 'load-balancer backend `weight`', '`server … weight=N`'],
  ['nginx', 'load-balancer `algorithm: least-connections`', '`least_conn`'],
  [
    'nginx',
    'load-balancer `passive.maxFails` / `passive.failTimeout`',
    '`server … max_fails=N fail_timeout=T`',
  ],
  ['nginx', 'load-balancer `retry.on`', '`proxy_next_upstream error timeout http_502 …`'],
  ['nginx', 'load-balancer `timeout`', '`proxy_read_timeout` (⇒ 504)'],
  ['haproxy', 'load-balancer `algorithm: round-robin`', '`balance static-rr` (equal weights)'],
  ['haproxy', 'load-balancer `algorithm: static-rr`', '`balance static-rr` (weighted map)'],
  ['haproxy', 'load-balancer `algorithm: fast-weighted-round-robin`', '`balance roundrobin`'],
  ['haproxy', 'load-balancer backend `weight`', '`server … weight N`'],
  [
    'haproxy',
    'load-balancer `algorithm: {name: least-connections, ties: haproxy}`',
    '`balance leastconn`',
  ],
  [
    'haproxy',
    'load-balancer `algorithm: sticky`',
    '`cookie SERVERID insert` + `server … cookie sN`',
  ],
];
