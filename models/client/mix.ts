import { z } from 'zod';
import { type Distribution, type Rng, type SimTime, zipf } from '../../engine/index.ts';
import { KeyGenerator } from '../cache/keys.ts';
import { duration, positiveInt, probability, size } from '../core/units.ts';
import { IDEMPOTENT_METHODS, type Method, type RequestHeaders } from '../http/messages.ts';

/** How a request class picks its object key (1..n). */
export const keysSchema = z.discriminatedUnion('dist', [
  z.strictObject({
    dist: z.literal('zipf'),
    n: positiveInt(2 ** 30).describe('number of keys'),
    s: z.number().positive().max(10).default(1).describe('Zipf exponent: larger is more skewed'),
    drift: z
      .strictObject({
        period: duration().describe('every period the hot set moves to other keys'),
        shift: positiveInt(1e9)
          .optional()
          .describe('popularity ranks the hot set moves per period (default n/10)'),
      })
      .optional()
      .describe('popularity drift: the hot set rotates over time'),
    oneHitWonders: probability()
      .optional()
      .describe('share of requests for a key never asked before (fraction 0..1 or "5%")'),
  }),
  z.strictObject({ dist: z.literal('uniform'), n: positiveInt().describe('number of keys') }),
  z.strictObject({ dist: z.literal('sequential') }),
]);

/** Request headers a class carries: authorization kind, how often credentials are valid, Origin. */
export const headersSchema = z.strictObject({
  authorization: z
    .enum(['none', 'basic', 'bearer', 'session'])
    .optional()
    .describe(
      'credentials the requests carry: none, basic (Authorization: Basic), bearer (a JWT), session (the session cookie); omitted: none',
    ),
  credentialsValid: probability()
    .default(1)
    .describe(
      'share of requests whose credentials are valid (0: all invalid, e.g. a wrong password)',
    ),
  role: z
    .string()
    .min(1)
    .optional()
    .describe('role the valid credentials grant (authorization `roles`); omitted: no role'),
  origin: z.string().min(1).optional().describe('Origin header: the request is cross-origin'),
  contentType: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Content-Type of the body; other than form, multipart or text/plain ⇒ CORS preflight',
    ),
  extra: z
    .array(z.string().min(1))
    .optional()
    .describe('names of other headers the page sets (e.g. X-Requested-With ⇒ CORS preflight)'),
  credentials: z
    .enum(['omit', 'same-origin', 'include'])
    .optional()
    .describe(
      'fetch credentials mode; cross-origin cookies go only with include (default same-origin)',
    ),
});

/** One request class of the workload mix, e.g. 80% GET /product/{key} with Zipf keys. */
export const mixClassSchema = z.strictObject({
  name: z.string().min(1).describe('class name, shown in per-class results'),
  weight: z.number().positive().default(1).describe('relative share of requests'),
  method: z
    .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
    .default('GET')
    .describe('HTTP method'),
  route: z.string().min(1).describe('request path; {key} is replaced by the object key'),
  keys: keysSchema.optional().describe('object keys; omitted: key 0'),
  users: z
    .strictObject({ n: positiveInt().describe('number of users') })
    .optional()
    .describe('user ids 1..n, uniform'),
  tiers: z
    .record(z.string(), z.number().min(0))
    .optional()
    .describe('plan tiers by weight, fixed per user: {"free": 80, "pro": 20}'),
  idempotent: z.boolean().optional().describe('overrides the method default (RFC 9110)'),
  size: size().default(0).describe('request body size'),
  headers: headersSchema.optional().describe('Authorization and Origin headers; omitted: none'),
  idempotencyKey: z
    .boolean()
    .optional()
    .describe('send an Idempotency-Key (the same on every retry of a request)'),
  ifMatch: z
    .boolean()
    .optional()
    .describe(
      'writes send If-Match with the ETag of the copy last read (needs browserCache); 412 when stale',
    ),
});
/** A parsed request class. */
export type MixClass = z.output<typeof mixClassSchema>;

/** The workload mix: at least one class, picked by weight. */
export const mixSchema = z.array(mixClassSchema).min(1);

/** Everything about one user request except its id and timing. */
export interface RequestSpec {
  readonly className: string;
  readonly method: Method;
  readonly route: string;
  readonly key: number;
  readonly user: number;
  readonly tier: string;
  readonly idempotent: boolean;
  readonly headers: RequestHeaders;
  readonly size: number;
  /** Send an Idempotency-Key (set only when true). */
  readonly idempotencyKey?: boolean;
  /** Send If-Match with the ETag last read (set only when true). */
  readonly ifMatch?: boolean;
}

const GOLDEN = 0.6180339887498949;

function pickWeighted(entries: readonly (readonly [string, number])[], u: number): string {
  let total = 0;
  for (const e of entries) total += e[1];
  let acc = 0;
  for (const e of entries) {
    acc += e[1];
    if (u * total < acc) return e[0];
  }
  return entries[entries.length - 1]?.[0] ?? 'default';
}

/** Draws request specs from a mix; sequential key counters live here (one per class). */
export class MixPicker {
  private readonly classes: readonly MixClass[];
  private readonly total: number;
  private readonly zipfs: (Distribution | undefined)[];
  /** Key generators of zipf classes with drift or one-hit wonders (plain zipf otherwise). */
  private readonly generators: (KeyGenerator | undefined)[];
  private readonly sequence: number[];

  constructor(classes: readonly MixClass[]) {
    this.classes = classes;
    this.total = classes.reduce((a, c) => a + c.weight, 0);
    this.generators = classes.map((c) => {
      const k = c.keys;
      if (k?.dist !== 'zipf' || (k.drift === undefined && (k.oneHitWonders ?? 0) === 0)) {
        return undefined;
      }
      return new KeyGenerator({
        n: k.n,
        s: k.s,
        ...(k.drift === undefined ? {} : { driftPeriod: k.drift.period }),
        ...(k.drift?.shift === undefined ? {} : { driftShift: k.drift.shift }),
        oneHitWonders: k.oneHitWonders ?? 0,
      });
    });
    this.zipfs = classes.map((c, i) =>
      c.keys?.dist === 'zipf' && this.generators[i] === undefined
        ? zipf(c.keys.n, c.keys.s)
        : undefined,
    );
    this.sequence = classes.map(() => 0);
  }

  /**
   * Gives this picker's one-hit-wonder keys their own range above `base` (the client passes
   * actor ref × 2^32, so two clients never ask for the same "new" key).
   */
  startWondersAt(base: number): void {
    for (const g of this.generators) g?.startWondersAt(base);
  }

  /**
   * Draws the next request at time `now` (drift moves the hot set with time); `fixedUser`
   * (closed-loop user) applies when the class has no users.
   */
  next(rng: Rng, fixedUser = 0, now: SimTime = 0): RequestSpec {
    let i = 0;
    const u = rng.next() * this.total;
    for (let acc = 0; i < this.classes.length - 1; i++) {
      acc += this.classes[i]!.weight;
      if (u < acc) break;
    }
    const c = this.classes[i]!;
    let key = 0;
    const gen = this.generators[i];
    if (gen !== undefined) key = gen.next(rng, now);
    else if (c.keys?.dist === 'zipf') key = this.zipfs[i]!.sample(rng);
    else if (c.keys?.dist === 'uniform') key = 1 + Math.floor(rng.next() * c.keys.n);
    else if (c.keys?.dist === 'sequential') key = ++this.sequence[i]!;
    const user = c.users === undefined ? fixedUser : 1 + Math.floor(rng.next() * c.users.n);
    return this.build(c, c.method, c.route, key, user, rng);
  }

  /** The spec of a replayed row; a class with the same method and route lends its settings. */
  fromRow(method: Method, route: string, key: number, user: number, rng: Rng): RequestSpec {
    const c = this.classes.find((k) => k.method === method && k.route === route);
    if (c !== undefined) return this.build(c, method, route, key, user, rng);
    const bare: MixClass = { name: `${method} ${route}`, weight: 1, method, route, size: 0 };
    return this.build(bare, method, route, key, user, rng);
  }

  private build(c: MixClass, method: Method, route: string, key: number, user: number, rng: Rng) {
    let tier = 'default';
    if (c.tiers !== undefined) {
      // A user keeps its tier: derive it from the user id; anonymous requests draw one.
      const v = user > 0 ? (user * GOLDEN) % 1 : rng.next();
      tier = pickWeighted(Object.entries(c.tiers), v);
    }
    const h = c.headers;
    const headers: RequestHeaders = {};
    if (h?.authorization !== undefined) {
      headers.authorization = h.authorization;
      headers.credentialsValid = h.credentialsValid >= 1 || rng.next() < h.credentialsValid;
      if (h.role !== undefined) headers.role = h.role;
    }
    if (h?.origin !== undefined) headers.origin = h.origin;
    if (h?.contentType !== undefined) headers.contentType = h.contentType;
    if (h?.extra !== undefined) headers.extra = h.extra;
    if (h?.credentials !== undefined) headers.credentials = h.credentials;
    const spec: RequestSpec = {
      className: c.name,
      method,
      route,
      key,
      user,
      tier,
      idempotent: c.idempotent ?? IDEMPOTENT_METHODS.has(method),
      headers,
      size: c.size,
    };
    if (c.idempotencyKey !== true && c.ifMatch !== true) return spec;
    return { ...spec, idempotencyKey: c.idempotencyKey === true, ifMatch: c.ifMatch === true };
  }
}
