import { z } from 'zod';
import { localCacheSchema } from '../cache/local.ts';
import { type DurationDistSpec, durationDist } from '../core/dist-spec.ts';
import { duration, nonNegativeInt, positiveInt, probability, size } from '../core/units.ts';
import { corsPolicySchema } from './cors-policy.ts';
import { sessionsSchema } from './session-schema.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const STORE_OPS = ['get', 'set', 'delete', 'incr', 'query'] as const;
const status = () => z.number().int().min(100).max(599);
/** What a resource step does on its resource store (docs/models/rest.md). */
export const REST_ACTIONS = ['read', 'write', 'delete', 'insert', 'remove', 'list'] as const;

/** One handler step as parsed (durations in µs). */
export type StepSpec =
  | { cpu: DurationDistSpec; errorProbability: number }
  | { io: DurationDistSpec }
  | {
      call: string;
      op: (typeof STORE_OPS)[number];
      queryClass?: string | undefined;
      timeout?: number | undefined;
      errorProbability: number;
    }
  | { parallel: (StepSpec | StepSpec[])[] }
  | {
      cache: string;
      onMiss: StepSpec[];
      set: boolean;
      ttl?: number | undefined;
      timeout?: number | undefined;
    }
  | {
      localCache: true;
      onMiss: StepSpec[];
      set: boolean;
      ttl?: number | undefined;
      by: 'key' | 'user';
    }
  | {
      resource: string;
      action: (typeof REST_ACTIONS)[number];
      totalCount: boolean;
      maxPageSize?: number | undefined;
      timeout?: number | undefined;
    }
  | { respond: number }
  | { enqueue: string }
  | { fail: number; probability: number };

/** A handler step: CPU work, an I/O wait, a store call, a fan-out, cache-aside, or an ending. */
export const stepSchema: z.ZodType<StepSpec, unknown> = z.lazy(() =>
  z.union([
    z.strictObject({
      cpu: durationDist().describe('CPU work on a core (shared under contention)'),
      errorProbability: probability().default(0).describe('chance the step fails with 500'),
    }),
    z.strictObject({
      io: durationDist().describe('a wait that holds the worker but no core (disk, remote call)'),
    }),
    z.strictObject({
      call: z.string().describe('store component id (database, key-value store)'),
      op: z.enum(STORE_OPS).default('query').describe('operation on the store'),
      queryClass: z.string().optional().describe('database query class (its service time)'),
      timeout: duration().optional().describe('per-call timeout (ends with callTimeoutStatus)'),
      errorProbability: probability()
        .default(0)
        .describe('chance the call fails (callErrorStatus)'),
    }),
    z.strictObject({
      parallel: z
        .array(z.union([stepSchema, z.array(stepSchema)]))
        .min(1)
        .describe('branches run at once (a list is a sequence); done when all are'),
    }),
    z.strictObject({
      cache: z.string().describe('key-value store id; key = request key'),
      onMiss: z
        .array(stepSchema)
        .default([])
        .describe('steps run on a miss (e.g. the database call)'),
      set: z.boolean().default(true).describe('store the key after onMiss succeeds'),
      ttl: duration().optional(),
      timeout: duration().optional(),
    }),
    z.strictObject({
      localCache: z.literal(true).describe("the replica's in-process cache (config localCache)"),
      onMiss: z.array(stepSchema).default([]).describe('steps run on a miss'),
      set: z.boolean().default(true).describe('store the key after onMiss succeeds'),
      ttl: duration().optional().describe('overrides localCache.ttl for this step'),
      by: z
        .enum(['key', 'user'])
        .default('key')
        .describe("entry per object key, or per user (a user's session data, cart, rendered page)"),
    }),
    z.strictObject({
      resource: z.string().describe('resource-store id; the resource is the request key'),
      action: z
        .enum(REST_ACTIONS)
        .describe(
          'read (ETag, 304 when If-None-Match is current), write/delete (If-Match ⇒ 412 when stale), insert/remove an item, list a page',
        ),
      totalCount: z
        .boolean()
        .default(false)
        .describe('list: also count the whole collection (COUNT(*), priced per item)'),
      maxPageSize: positiveInt()
        .optional()
        .describe('list: a larger page size is answered 400 without a query'),
      timeout: duration().optional().describe('per-call timeout (ends with callTimeoutStatus)'),
    }),
    z.strictObject({ respond: status().describe('answer now with this status') }),
    z.strictObject({ enqueue: z.string().describe('queue/store id; replies 202 without waiting') }),
    z.strictObject({
      fail: status().describe('status of the failure'),
      probability: probability().describe('chance the request ends here with it'),
    }),
  ]),
);

const routesFilter = z
  .array(z.string())
  .optional()
  .describe('only for these routes ("/login" or "POST /login")');
const cost = () => durationDist().optional().describe('CPU per request');

/** One middleware step, in chain order. */
export const middlewareSchema = z.union([
  z.strictObject({
    logging: z.strictObject({ cost: cost(), routes: routesFilter }).describe('access logging'),
  }),
  z.strictObject({
    auth: z
      .strictObject({
        kind: z
          .enum(['basic', 'session', 'jwt', 'password'])
          .describe(
            'what is checked: basic (Authorization: Basic, password hash per request), jwt (Bearer token), session (session cookie), password (a login form: username and password, the mix says basic); missing or other credentials ⇒ 401 before any CPU, invalid ones ⇒ 401 after it',
          ),
        cost: cost().describe(
          'CPU per check (default: basic and password 250ms = bcrypt cost 12; jwt by algorithm; session 10µs)',
        ),
        realm: z
          .string()
          .min(1)
          .default('app')
          .describe('realm of the WWW-Authenticate challenge a 401 carries (basic, jwt)'),
        algorithm: z.enum(['HS256', 'RS256', 'ES256']).default('RS256').describe('jwt only'),
        store: z.string().optional().describe('session store id (session kind)'),
        timeout: duration().optional(),
        routes: routesFilter,
      })
      .describe('authentication (401 when it fails)'),
  }),
  z.strictObject({
    authorization: z
      .strictObject({
        cost: cost(),
        denyProbability: probability().default(0).describe('chance a request is denied (403)'),
        denyTiers: z.array(z.string()).default([]).describe('plan tiers always denied (403)'),
        roles: z
          .array(z.string().min(1))
          .optional()
          .describe('roles allowed: a request whose credentials grant none of them ⇒ 403'),
        routes: routesFilter,
      })
      .describe('authorization (403 when denied)'),
  }),
  z.strictObject({
    validation: z
      .strictObject({
        cost: cost(),
        badRequest: probability().default(0).describe('400 Bad Request'),
        unsupportedMediaType: probability().default(0).describe('415'),
        unprocessable: probability().default(0).describe('422'),
        routes: routesFilter,
      })
      .describe('request validation (400, 415, 422)'),
  }),
  z.strictObject({
    rateLimit: z
      .looseObject({
        algorithm: z.string().describe('a rate-limiter algorithm and its fields (rate-limiter)'),
        routes: routesFilter,
      })
      .describe('an in-process rate limiter (429)'),
  }),
]);
/** A parsed middleware step. */
export type MiddlewareSpec = z.output<typeof middlewareSchema>;

/** A route: method and template, handler steps, and the status a success produces. */
export const routeSchema = z.strictObject({
  method: z.enum(METHODS).describe('HTTP method the route answers'),
  route: z.string().min(1).describe('template, e.g. "/product/{key}"'),
  steps: z.array(stepSchema).default([]).describe('the handler, in order'),
  status: status()
    .optional()
    .describe('success status (default 201 for POST, 202 with enqueue, else 200)'),
  gone: z.boolean().default(false).describe('410 Gone'),
  redirect: z.boolean().default(false).describe('301 Moved Permanently'),
  etag: z
    .string()
    .optional()
    .describe(
      'a fixed ETag (If-None-Match equal to it ⇒ 304) for content no write changes; written resources: a resource step',
    ),
  maxAge: duration()
    .optional()
    .describe('Cache-Control max-age on 200/304 answers (browsers and CDNs may cache them)'),
  conflictProbability: probability().default(0).describe('409 on writes (version conflict)'),
  responseSize: size()
    .default(0)
    .describe(
      'body of a 2xx answer, e.g. "40KB" (HEAD and 304: none); on the wire it costs size ÷ link bandwidth',
    ),
  idempotency: z
    .strictObject({
      store: z.string().describe('idempotency-store id'),
      concurrent: z
        .enum(['409', 'wait'])
        .default('409')
        .describe('a retry while the first attempt runs: 409 Conflict, or wait for its outcome'),
      poll: duration().default(100_000).describe('wait: how often the key is asked again'),
      onStoreDown: z
        .enum(['503', 'proceed'])
        .default('503')
        .describe('store unreachable: answer 503, or run the handler unprotected'),
    })
    .optional()
    .describe('honour Idempotency-Key: a retry with a stored key gets the stored status, no write'),
  session: z
    .enum(['login', 'logout'])
    .optional()
    .describe('login: a success stores a new session and sets its cookie; logout: ends it'),
});
/** A parsed route. */
export type RouteSpec = z.output<typeof routeSchema>;

/** The app-server config (gunicorn / uvicorn / Node-like). */
export const appServerSchema = z.strictObject({
  concurrency: z
    .strictObject({
      model: z
        .enum(['sync', 'threads', 'event-loop'])
        .default('sync')
        .describe(
          'slots: sync = workers, threads = workers × threads, event-loop = limitConcurrency',
        ),
      limitConcurrency: positiveInt()
        .optional()
        .describe('event-loop: uvicorn --limit-concurrency per worker ⇒ 503'),
    })
    .default({ model: 'sync' })
    .describe('server model (gunicorn sync / gthread, uvicorn or Node event loop)'),
  workers: positiveInt(100_000).default(1).describe('gunicorn -w / uvicorn --workers'),
  threads: positiveInt(100_000).default(1).describe('gunicorn --threads (threads model)'),
  backlog: nonNegativeInt().default(2048).describe('listen() accept queue'),
  overflow: z
    .enum(['refuse', '503'])
    .default('refuse')
    .describe('when the backlog is full: refuse the connection, or answer 503'),
  workerTimeout: duration().default(30_000_000).describe('gunicorn timeout: kill ⇒ 502'),
  respawnDelay: duration().default(1_000_000).describe('time to replace a killed worker'),
  cores: positiveInt().optional().describe('CPU cores per replica; omitted: no CPU contention'),
  contention: z.boolean().default(true).describe('processor sharing over cores when cores is set'),
  pools: z
    .record(
      z.string(),
      z.strictObject({
        size: positiveInt().default(10).describe('HikariCP maximumPoolSize'),
        waitTimeout: duration().default(30_000_000).describe('HikariCP connectionTimeout'),
        timeoutStatus: status().default(500).describe('status when waitTimeout passes'),
      }),
    )
    .default({})
    .describe('connection pools by store id (HikariCP): calls wait for a free connection'),
  callTimeoutStatus: status().default(504).describe('status when a call times out'),
  callErrorStatus: status().default(500).describe('status when a call fails'),
  middleware: z
    .array(middlewareSchema)
    .default([])
    .describe('steps every request passes first, in order'),
  routes: z
    .array(routeSchema)
    .default([])
    .describe('handlers by method and path; a request no route matches gets 404'),
  cors: corsPolicySchema
    .optional()
    .describe('CORS policy: preflights get 204 with Access-Control-* headers, not a route'),
  sessions: sessionsSchema
    .optional()
    .describe('server-side sessions (express-session, Django sessions) in a kv-store'),
  localCache: localCacheSchema
    .optional()
    .describe(
      'in-process cache per replica (Caffeine, lru-cache) used by localCache steps; cold after a crash; default 10 000 entries LRU',
    ),
});
/** A parsed app-server config. */
export type AppServerConfig = z.output<typeof appServerSchema>;
