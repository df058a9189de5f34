// The ONE list of fields that legitimately change nothing in the knob test's corpus, each with
// the reason. A key is a check key printed by the test (`type:field`, `field=value` for one
// value of an enum, `field (drop)` for dropping an optional object); a key ending in `*` covers
// every check that starts with what precedes it. The test fails on an entry that matches no
// check or whose field does change results (then the entry is wrong: delete it).

/** Check key → why it has no effect in the corpus. */
export const INERT: Readonly<Record<string, string>> = {
  // metadata
  $schema: 'editor hint (path of the JSON Schema); never read by the simulator',
  description: 'metadata: free text shown by `stacksim list`',
  name: 'metadata: the scenario name, copied into results as a label',
  'report*':
    'presentation: which figures `run` prints first (results.headline); no simulated result depends on it (test/unit/experiments/headline.test.ts checks the figures)',
  'client.open:mix[].name': 'label of a mix entry (names it in reports); not sent with requests',
  'client.closed:mix[].name': 'label of a mix entry (names it in reports); not sent with requests',
  'app-server:routes[].etag':
    'an opaque validator: whether a route has one matters, its value is only compared with itself',

  // experiment fields: read by compare/sweep/capacity, not by one replication
  'variants*':
    'experiment field (`stacksim compare`); every variant is expanded into a scenario of its own, whose fields are checked there',
  'baseline*': 'experiment field: which variant the others are compared with',
  'sweep*': 'experiment field (`stacksim sweep`); the swept fields are checked as fields',
  'capacity*': 'experiment field (`stacksim capacity`); not read by one replication',
  'run.replications': 'the number of replications; the knob test runs one replication',
  'run.maxEvents': 'a budget: changes nothing unless a run reaches it (no corpus run does)',

  // defaults: the perturbation gives the value the field has when absent
  'load-balancer:algorithm(round-robin) (drop)':
    'round-robin is the default algorithm, so dropping it changes nothing',
  'app-server:routes[].steps[].parallel[].onMiss (drop)':
    'the corpus only has `onMiss: []`, which is the default',
  'load-balancer:algorithm.name=fast-weighted-round-robin':
    "with equal weights (all of the corpus) HAProxy's roundrobin order is the round-robin sequence",
  'load-balancer:algorithm.name=static-rr':
    "with equal weights (all of the corpus) HAProxy's static-rr order is the round-robin sequence",
  'load-balancer:algorithm.name=smooth-weighted-round-robin':
    'with equal weights (all of the corpus) smooth weighted round robin picks the round-robin sequence',
  'load-balancer:algorithm(sticky).fallback=fast-weighted-round-robin':
    "with equal weights (all of the corpus) HAProxy's roundrobin order is the round-robin sequence",
  'load-balancer:algorithm(sticky).fallback=static-rr':
    "with equal weights (all of the corpus) HAProxy's static-rr order is the round-robin sequence",
  'load-balancer:algorithm(sticky).fallback=smooth-weighted-round-robin':
    'with equal weights (all of the corpus) smooth weighted round robin picks the round-robin sequence',
  'app-server:routes[].steps[].onMiss[].op=get':
    'a database `get` is a point query, and these miss-path calls are point queries already',
  'app-server:routes[].steps[].onMiss[].onMiss[].op=get':
    'a database `get` is a point query, and these miss-path calls are point queries already',
  'client.open:mix[].tiers.free':
    'each mix entry of the corpus has a single tier, and tier weights are relative',
  'client.open:mix[].tiers.pro':
    'each mix entry of the corpus has a single tier, and tier weights are relative',
  'client.open:mix[].tiers.enterprise':
    'each mix entry of the corpus has a single tier, and tier weights are relative',
  'client.open:mix[].size':
    'request body size only adds transfer time on links with a `bandwidth`; no corpus link has one',
  'client.closed:mix[].size':
    'request body size only adds transfer time on links with a `bandwidth`; no corpus link has one',

  // timeouts and failure paths the short corpus runs never reach
  'client.open:dns.timeout': 'every DNS answer arrives well within the timeout',
  'client.closed:dns.timeout': 'every DNS answer arrives well within the timeout',
  'dns-resolver:queryTimeout': 'authoritative servers answer well within the query timeout',
  'dns-authoritative:soaMinimum':
    'the negative-answer TTL: the corpus only asks for names that exist',
  'http-cache:upstreamTimeout': 'origins answer well within the timeout',
  'load-balancer:timeout': 'backends answer well within the timeout',
  'load-balancer:timeoutQueue': 'no balancer queue of the corpus waits that long',
  'proxy:connectTimeout': 'upstream connections open well within the timeout',
  'proxy:readTimeout': 'upstreams answer well within the timeout',
  'rate-limiter:store.timeout': 'the shared counter store answers well within the timeout',
  'rate-limiter:store.failure=closed': 'the shared counter store never fails in the corpus',
  'app-server:routes[].steps[].onMiss[].timeout': 'store calls answer well within the timeout',
  'app-server:routes[].steps[].parallel[].timeout': 'store calls answer well within the timeout',
  'app-server:pools.*.waitTimeout':
    'no request waits that long for a pooled connection in the corpus runs',
  'app-server:pools.*.timeoutStatus': 'used only when a pool wait times out (never in the corpus)',
  'app-server:workerTimeout': 'no corpus request holds a worker that long',
  'app-server:respawnDelay': 'used only after workerTimeout kills a worker (never in the corpus)',
  'app-server:overflow=503':
    "'refuse' and '503' differ only when a backlog overflows; no 'refuse' backlog of the corpus does (the other way round changes autoscale)",
  'client.closed:connection.poolSize':
    'each user of a closed loop has one request in flight, and no corpus client has more users than half its pool',
  'client.open:connection.maxStreams':
    'retry-collapse sets it far above any in-flight count (Brooker’s clients have no connection limit), so doubling or halving it changes nothing',
  'client.open:retries.honourRetryAfter':
    "no component on a retrying client's path sends Retry-After in the corpus",
  'client.open:retries.backoff (drop)':
    'generated clients retry rarely, and the default backoff is as short as theirs (10–100 ms)',
  'client.open:retries.backoff.base':
    'generated clients retry rarely; their backoff base is not what decides the outcome',
  'client.open:retries.backoff.cap':
    'generated clients retry rarely, and their exponential backoff (10 ms × 2^n) does not reach the cap',
  'client.closed:retries.backoff.cap':
    'generated clients retry rarely, and their exponential backoff (10 ms × 2^n) does not reach the cap',
  'client.open:retries.on (drop)':
    'the default retry conditions include the ones listed where this is dropped',
  'load-balancer:retry.on (drop)': 'the default balancer retry conditions are the listed ones',
  'load-balancer:retry.on[]=error': 'a crashed backend fails with an error either way on that path',
  'load-balancer:autoscale(utilisation).scaleDownStep':
    'the load only rises in the autoscale run, so it never scales down',
  'rate-limiter:tiers.pro(token-bucket).burst':
    'legitimate pro keys stay under their limit (the point of rate-limit-tiers), so it never binds',
  'rate-limiter:tiers.pro(token-bucket).rate':
    'legitimate pro keys stay under their limit (the point of rate-limit-tiers), so it never binds',
  'rate-limiter:tiers.enterprise(token-bucket).burst':
    'legitimate enterprise keys stay under their limit (the point of rate-limit-tiers), so it never binds',
  'rate-limiter:tiers.enterprise(token-bucket).rate':
    'legitimate enterprise keys stay under their limit (the point of rate-limit-tiers), so it never binds',
  'rate-limiter:algorithm(adaptive-concurrency).max':
    'the AIMD limit of rate-limit-compare stays well below max',

  // corpus contexts where the mechanism is present but its setting does not decide anything
  'app-server:localCache.policy=fifo':
    'in cache-layers the browser and edge caches absorb repeated keys: the in-process cache sees mostly one-time keys (29 hits in 4 927 lookups), the same hits under FIFO and LRU',
  'app-server:routes[].steps[].ttl':
    'the generated cache-aside TTLs (13–30 s in this sample) outlast the requests, which stop within 4 s',
  'client.open:mix[].keys(uniform).n':
    'no uniform-key client of a base scenario reaches anything keyed: no cache, a key hash only in the lb-compare consistent-hash variant, and a database buffer cache is a hit probability (bufferHitRatio), not keyed',
  'client.open:dns.osCache':
    "in dns-failover the record TTL (10 s) is below the browser's DNS cap, so browser and OS caches expire together",
  'app-server:middleware[].rateLimit(leaky-meter)*':
    'the generated gates with this algorithm never bind in this sample (their app servers see a few dozen requests)',
  'app-server:middleware[].rateLimit(leaky-queue).capacity':
    'the generated gates with this algorithm never fill their queue in this sample (their app servers see a few dozen requests)',
  'app-server:middleware[].rateLimit(leaky-queue).key (drop)':
    'the generated gates with this algorithm never bind in this sample (their app servers see a few dozen requests)',
  'app-server:middleware[].rateLimit(sliding-counter)*':
    'the generated gates with this algorithm never bind in this sample (their app servers see a few dozen requests)',
  'app-server:middleware[].rateLimit(login-lockout).routes (drop)':
    'login-bruteforce has one route, /login, so the gate applies to the same requests without the filter',
  'load-balancer:retry (drop)':
    'one backend is down at a time in the corpus, so the second try succeeds: 2 tries and the default (every backend) agree',
  'app-server:middleware[].rateLimit(token-bucket)*':
    'the generated gates with this algorithm never bind in this sample (their app servers see a few dozen requests)',
  'app-server:middleware[].rateLimit(token-bucket-tick)*':
    'the generated gates with this algorithm never bind in this sample (their app servers see a few dozen requests)',
  'app-server:middleware[].rateLimit(adaptive-concurrency)*':
    'the generated gates with this algorithm never bind in this sample (their app servers see a few dozen requests)',
};
