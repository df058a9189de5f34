import { describe, expect, test } from 'vitest';
import { loadScenarioText, validateScenario } from '../../../models/scenario/load.ts';
import { applyOverrides } from '../../../models/scenario/overrides.ts';
import { TEST_KINDS } from '../../helpers/test-kinds.ts';

const kinds = TEST_KINDS;
const base = () => ({
  version: 1,
  name: 't',
  run: { duration: '10s' },
  components: {
    client: { type: 'test-source', rate: '100/s', target: 'app' } as Record<string, unknown>,
    app: { type: 'test-server', service: '1ms' } as Record<string, unknown>,
  } as Record<string, Record<string, unknown>>,
});

describe('validateScenario', () => {
  test('accepts a valid scenario and converts units', () => {
    const r = validateScenario(base(), kinds);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.run.duration).toBe(10_000_000);
    expect(r.scenario.seed).toBe(1);
    expect((r.scenario.components.client as { rate: number }).rate).toBe(100);
  });

  test('issues are sorted by pointer and say what was found', () => {
    const s = base();
    s.components.app!.workers = -3;
    s.components.app!.service = 5;
    (s as Record<string, unknown>).name = '';
    const r = validateScenario(s, kinds);
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          pointer: '/components/app/service',
          message: expect.stringMatching(
            /^expected a duration with a unit, like .*, got the number 5$/,
          ),
        },
        {
          pointer: '/components/app/workers',
          message: 'expected a positive integer, got the number -3',
        },
        { pointer: '/name', message: 'expected a non-empty string, got the string ""' },
      ],
    });
  });

  test("an unknown type lists the known types and hides that component's other errors", () => {
    const s = base();
    s.components.app = { type: 'app-server', nonsense: true };
    const r = validateScenario(s, kinds);
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          pointer: '/components/app/type',
          message: 'unknown component type "app-server"; known types: test-source, test-server',
        },
      ],
    });
  });

  test('references: groups, replicas in range, groups only where accepted', () => {
    const s = base();
    s.components.app!.replicas = 3;
    s.components.client!.target = 'app[2]';
    s.components.proxy = { type: 'test-server', service: '1ms', upstream: 'app[2]' };
    expect(validateScenario(s, kinds).ok).toBe(true);
    s.components.proxy.upstream = 'app';
    s.components.client!.target = 'app[3]';
    const r = validateScenario(s, kinds);
    expect(r.ok ? [] : r.issues.map((i) => i.pointer)).toEqual([
      '/components/client/target',
      '/components/proxy/upstream',
    ]);
  });

  test('routing cycles along request-carrying references are found; a chain is fine', () => {
    const s = base();
    s.components.client!.target = 'a';
    s.components.a = { type: 'test-server', service: '1ms', upstream: 'b' };
    s.components.b = { type: 'test-server', service: '1ms', upstream: 'c' };
    s.components.c = { type: 'test-server', service: '1ms' };
    expect(validateScenario(s, kinds).ok).toBe(true);
    s.components.c.upstream = 'a';
    const r = validateScenario(s, kinds);
    expect(r.ok ? '' : r.issues[0]!.message).toBe(
      'routing cycle: a -> b -> c -> a (a request would be forwarded around it forever)',
    );
  });

  test('the event estimate rejects huge budget-free runs, and a budget allows them', () => {
    const s = base() as ReturnType<typeof base> & { run: Record<string, unknown> };
    s.components.client!.rate = '100k/s';
    s.run.duration = '1h';
    const r = validateScenario(s, kinds);
    expect(r.ok ? '' : r.issues[0]!.message).toMatch(/about 7\.2e\+9 events .* set run\.maxEvents/);
    s.run.maxEvents = 1e9;
    expect(validateScenario(s, kinds).ok).toBe(true);
  });
});

describe('overrides and loadScenarioText', () => {
  test('--set paths create objects, parse JSON values, and keep strings', () => {
    const r = applyOverrides(base(), [
      { path: 'components.app.replicas', value: '8' },
      { path: 'run.duration', value: '30s' },
      { path: 'run.extra.deep', value: '{"a":[1]}' },
    ]);
    expect(r.ok && r.value).toMatchObject({
      run: { duration: '30s', extra: { deep: { a: [1] } } },
      components: { app: { replicas: 8 } },
    });
  });

  test('ids containing dots are matched whole; forbidden keys are refused', () => {
    const s = base();
    s.components['api.v2'] = { type: 'test-server', service: '1ms' };
    const r = applyOverrides(s, [{ path: 'components.api.v2.workers', value: '4' }]);
    expect(r.ok && (r.value as ReturnType<typeof base>).components['api.v2']!.workers).toBe(4);
    const bad = applyOverrides(s, [{ path: 'components.__proto__.x', value: '1' }]);
    expect(bad.ok).toBe(false);
  });

  test('loadScenarioText applies overrides before validation and returns the resolved input', () => {
    const text = JSON.stringify(base());
    const r = loadScenarioText(text, { kinds, overrides: [{ path: 'seed', value: '7' }] });
    expect(r.ok && r.scenario.seed).toBe(7);
    expect(r.ok && (r.resolved as { seed: number }).seed).toBe(7);
    const bad = loadScenarioText(text, {
      kinds,
      overrides: [{ path: 'components.app.replicas', value: '0' }],
    });
    expect(bad.ok ? [] : bad.issues).toEqual([
      {
        pointer: '/components/app/replicas',
        message: 'expected a positive integer, got the number 0',
      },
    ]);
  });
});
