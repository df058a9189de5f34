/** Knob mapping for Redis and Varnish, printed in docs/conformance.md after KNOBS. */
export const CACHE_KNOBS: readonly (readonly [string, string, string])[] = [
  [
    'redis',
    'rate-limiter `store: { id, mode: atomic }` with `fixed-window`',
    '`INCR key` (+ `EXPIRE` on the first)',
  ],
  [
    'redis',
    'rate-limiter `store.mode: read-then-write` with `fixed-window`',
    '`GET key`, compare, `SET key n+1 EX …`',
  ],
  [
    'redis',
    'rate-limiter `sliding-log` `limit`/`window` with `store.mode: atomic`',
    'Lua `EVAL`: `ZREMRANGEBYSCORE key -inf now−W`, `ZCARD`, `ZADD key now id` when admitted, `PEXPIRE W`',
  ],
  [
    'redis',
    'rate-limiter `sliding-log` with `store.mode: read-then-write`',
    '`ZREMRANGEBYSCORE` + `ZCARD` (one pipeline), then `ZADD` + `PEXPIRE` when admitted (no MULTI)',
  ],
  [
    'redis',
    'rate-limiter `sliding-log` with `store.mode: multi`',
    '`MULTI` `ZREMRANGEBYSCORE`, `ZADD` (always), `ZCARD`, `PEXPIRE` `EXEC`; allowed iff ZCARD ≤ limit',
  ],
  [
    'redis',
    'rate-limiter `token-bucket` `rate`/`burst` with `store.mode: atomic`',
    'Lua `EVAL`: `HMGET key tokens ts`, refill, take one, `HSET`, `PEXPIRE` fill time',
  ],
  [
    'redis',
    'rate-limiter `token-bucket` with `store.mode: read-then-write`',
    '`HMGET key tokens ts`, decide in the client, `HSET` (always) + `PEXPIRE`',
  ],
  [
    'redis',
    'kv-store `latency` / a link to the kv-store',
    'command round trip (loopback + the client event loop)',
  ],
  ['redis', 'kv-store / cache `policy: redis-lru`', '`maxmemory-policy allkeys-lru`'],
  ['redis', 'kv-store / cache `policy: redis-lfu`', '`maxmemory-policy allkeys-lfu`'],
  ['redis', '`capacity` (keys)', '`maxmemory` (bytes; the keys that fit)'],
  ['redis', '`samples`', '`maxmemory-samples`'],
  ['redis', '`lfuLogFactor`', '`lfu-log-factor`'],
  ['redis', '`lfuDecayMinutes`', '`lfu-decay-time`'],
  [
    'varnish',
    'http-cache `ttl` (with `honorCacheControl: false`)',
    '`set beresp.ttl = …` in `vcl_backend_response`',
  ],
  [
    'varnish',
    'http-cache `staleWhileRevalidate`',
    '`set beresp.grace = …` (stale answer + one background fetch)',
  ],
  [
    'varnish',
    'http-cache `stampede: coalesce`',
    'the waiting list (always on; joins a background fetch past the grace too)',
  ],
];
