import type { ComponentKind } from '../core/component.ts';
import type { Scenario } from './format.ts';
import { type ScenarioIssue, toPointer } from './issues.ts';
import { ACTION_TARGET_TYPES } from './timeline.ts';

/** Events above this estimate need an explicit run.maxEvents budget. */
export const EVENT_LIMIT = 5e8;
/** Rough events per request on its way through a stack (send, network hops, service, reply). */
export const EVENTS_PER_REQUEST = 20;

const REPLICA_RE = /^(.*)\[(\d+)\]$/;

interface Known {
  readonly replicas: ReadonlyMap<string, number>;
}

/** Checks that `id` names a component, or one replica of a group ('app[3]'); '' when fine. */
function checkId(known: Known, id: string, acceptsGroup: boolean): string {
  const m = REPLICA_RE.exec(id);
  const base = m === null ? id : m[1]!;
  const n = known.replicas.get(base);
  if (n === undefined) {
    const ids = [...known.replicas.keys()].join(', ');
    return `unknown component "${id}" (components: ${ids === '' ? 'none' : ids})`;
  }
  if (m !== null) {
    const index = Number(m[2]);
    if (n <= 1) return `"${base}" is not replicated; name it "${base}" without an index`;
    if (index >= n) {
      return `"${id}" is out of range: "${base}" has ${n} replicas, ${base}[0] to ${base}[${n - 1}]`;
    }
    return '';
  }
  if (!acceptsGroup && n > 1) {
    return `"${id}" is a group of ${n} replicas; name one replica here, like "${id}[0]"`;
  }
  return '';
}

function findCycle(edges: ReadonlyMap<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 1);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined) {
        const found = visit(next);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of edges.keys()) {
    if (state.get(node) === undefined) {
      const found = visit(node);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Requests per second a component generates, for the size estimate: the kind's own
 * `requestRate(config)` when it has one, else a numeric `rate` or `arrival.rate` field.
 */
export function requestRate(kind: ComponentKind, config: Record<string, unknown>): number {
  const custom = (kind as { requestRate?: (c: unknown) => number }).requestRate;
  if (typeof custom === 'function') return custom(config);
  if (typeof config.rate === 'number') return config.rate;
  const arrival = config.arrival as { rate?: unknown } | undefined;
  return typeof arrival?.rate === 'number' ? arrival.rate : 0;
}

/** Why a timeline action cannot target this (existing) component, or ''. */
function actionProblem(scenario: Scenario, action: string, target: string): string {
  const types = ACTION_TARGET_TYPES[action as keyof typeof ACTION_TARGET_TYPES];
  if (types === undefined) return '';
  const id = REPLICA_RE.exec(target)?.[1] ?? target;
  const type = (scenario.components[id] as { type: string }).type;
  if (types.includes(type)) return '';
  return `'${action}' cannot target "${id}", a ${type}; it applies to ${types.join(', ')}`;
}

/**
 * Cross-reference checks on a schema-valid scenario: references name existing components or
 * replicas (groups only where accepted), link and timeline ids exist (and can take the timeline's action), requests cannot be routed
 * around a cycle, and a run without a budget is not absurdly large. Returns issues, never throws.
 */
export function crossCheck(scenario: Scenario, kinds: readonly ComponentKind[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const replicas = new Map<string, number>();
  const ids = Object.keys(scenario.components);
  for (const id of ids) {
    const c = scenario.components[id] as { replicas?: number };
    replicas.set(id, c.replicas ?? 1);
  }
  const known: Known = { replicas };
  const edges = new Map<string, string[]>();
  const firstEdge = new Map<string, string>();
  let eventsPerSecond = 0;
  for (const id of ids) {
    const config = scenario.components[id] as Record<string, unknown> & { type: string };
    const kind = kinds.find((k) => k.type === config.type);
    if (kind === undefined) continue;
    eventsPerSecond += requestRate(kind, config) * (replicas.get(id) ?? 1) * EVENTS_PER_REQUEST;
    const out: string[] = [];
    edges.set(id, out);
    for (const ref of kind.references(config)) {
      const problem = checkId(known, ref.id, ref.acceptsGroup);
      const pointer = toPointer(['components', id, ...ref.path]);
      if (problem !== '') issues.push({ pointer, message: problem });
      else if (ref.carriesRequests) {
        const to = REPLICA_RE.exec(ref.id)?.[1] ?? ref.id;
        out.push(to);
        if (!firstEdge.has(`${id}\u0000${to}`)) firstEdge.set(`${id}\u0000${to}`, pointer);
      }
    }
  }
  scenario.links.forEach((link, i) => {
    link.between.forEach((end, j) => {
      const problem = checkId(known, end, true);
      if (problem !== '')
        issues.push({ pointer: toPointer(['links', i, 'between', j]), message: problem });
    });
  });
  scenario.timeline.forEach((event, i) => {
    const targets: [string, (string | number)[]][] =
      'target' in event
        ? [[event.target, ['target']]]
        : event.between.map((end, j) => [end, ['between', j]]);
    for (const [target, path] of targets) {
      const problem = checkId(known, target, true) || actionProblem(scenario, event.action, target);
      if (problem !== '')
        issues.push({ pointer: toPointer(['timeline', i, ...path]), message: problem });
    }
  });
  const cycle = findCycle(edges);
  if (cycle !== undefined) {
    issues.push({
      pointer:
        firstEdge.get(`${cycle[0]}\u0000${cycle[1]}`) ?? toPointer(['components', cycle[0]!]),
      message: `routing cycle: ${cycle.join(' -> ')} (a request would be forwarded around it forever)`,
    });
  }
  const { run } = scenario;
  if (run.maxEvents === undefined && run.maxWallSeconds === undefined) {
    const seconds = (run.warmup + run.duration) / 1e6;
    const estimate = eventsPerSecond * seconds;
    if (estimate > EVENT_LIMIT) {
      issues.push({
        pointer: '/run',
        message: `this run would take about ${estimate.toExponential(1)} events per replication (limit ${EVENT_LIMIT.toExponential(0)} without a budget); shorten run.duration, lower the client rates, or set run.maxEvents to allow it`,
      });
    }
  }
  return issues;
}
