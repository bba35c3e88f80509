// The Active Priority Logics figures over a window: every logic that decided in the window is
// listed (also one replaced inside it), Traffic % is over all the window's decisions and adds up to
// exactly 100, and the default ordering is a live role only while no logic is active.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOrderOk, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';
import type { PriorityLogicStore } from '../../src/core/ports/priority-logic-store.ts';
import { createPriorityLogicService, percentShares } from '../../src/core/priority-logic/priority-logic-service.ts';
import type { Actor, LogicMetricsRow, PriorityLogic, RoutingConfig } from '../../src/core/priority-logic/types.ts';
import { createRoutingEngine } from '../../src/routing/index.ts';
import { actOk, api, createLogic, defaultLogic, startPlApp, uniqueName } from './pl-helpers.ts';

const actor: Actor = { merchantId: 'm1', kind: 'USER', id: 'usr_1', role: 'VIEWER' };
const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };

function row(logicId: string, decided: number): LogicMetricsRow {
  return {
    logicId,
    logicName: logicId === 'DEFAULT_ORDER' ? 'DEFAULT_ORDER' : logicId,
    logicKind: 'RULES',
    decided,
    undecided: 0,
    succeeded: decided,
    settled: decided,
    p50LatencyMs: 10,
    p95LatencyMs: 20,
  };
}

function logic(id: string): PriorityLogic {
  const at = new Date('2025-12-01T00:00:00Z');
  return {
    id,
    merchantId: 'm1',
    name: `name of ${id}`,
    description: null,
    kind: 'DEFAULT',
    version: 1,
    definition: { kind: 'DEFAULT', name: `name of ${id}`, enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }] },
    status: 'ACTIVE',
    approvedBy: null,
    approvedAt: null,
    createdBy: 'usr_1',
    copiedFrom: null,
    rowVersion: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

function routing(active: string | null, staggered: string | null = null, percentage: number | null = null): RoutingConfig {
  return { merchantId: 'm1', activeLogicId: active, fallbackLogicId: null, staggeredLogicId: staggered, staggerPercentage: percentage, version: 3, updatedAt: new Date('2026-01-01T12:00:00Z') };
}

function service(rows: LogicMetricsRow[], config: RoutingConfig | null) {
  const store = {
    metrics: async () => ({ logics: rows, amounts: [] }),
    metricsTrend: async () => [],
    getRouting: async () => config,
    getLogics: async (_m: string, ids: string[]) => ids.filter((id) => id !== 'DEFAULT_ORDER').map(logic),
  } as unknown as PriorityLogicStore;
  return createPriorityLogicService({ store, engine: createRoutingEngine(), gatewayAccounts: async () => [] });
}

const sum = (xs: number[]): number => Math.round(xs.reduce((s, x) => s + x, 0) * 1e6) / 1e6;

describe('Active Priority Logics metrics over a window', () => {
  test('a logic replaced inside the window is listed and Traffic % over all decisions adds up to 100', async () => {
    // pl_old decided until it was replaced by pl_new, which now runs a 10% stagger of pl_next.
    const report = await service([row('pl_new', 811), row('pl_next', 91), row('pl_old', 98)], routing('pl_new', 'pl_next', 10)).metrics(actor, window);
    const byId = new Map(report.logics.map((m) => [m.logicId, m]));
    assert.deepEqual([...byId.keys()].sort(), ['pl_new', 'pl_next', 'pl_old']);
    assert.equal(report.totalDecided, 1000);
    assert.deepEqual(byId.get('pl_new')!.roles, ['ACTIVE']);
    assert.deepEqual(byId.get('pl_next')!.roles, ['STAGGERED']);
    assert.deepEqual(byId.get('pl_old')!.roles, [], 'replaced: no live role, but still listed');
    assert.equal(byId.get('pl_old')!.trafficPercent, 9.8);
    assert.equal(sum(report.logics.map((m) => m.trafficPercent)), 100);
  });

  test('shares that do not divide evenly still add up to exactly 100', async () => {
    const report = await service([row('pl_a', 1), row('pl_b', 1), row('pl_c', 1)], routing('pl_c')).metrics(actor, window);
    assert.equal(sum(report.logics.map((m) => m.trafficPercent)), 100);
    assert.deepEqual(
      report.logics.map((m) => m.trafficPercent),
      [33.34, 33.33, 33.33],
    );
  });

  test('no Default ordering row while a logic was active all window', async () => {
    const report = await service([row('pl_a', 500)], routing('pl_a')).metrics(actor, window);
    assert.deepEqual(
      report.logics.map((m) => m.logicId),
      ['pl_a'],
    );
    assert.equal(report.logics[0]!.trafficPercent, 100);
  });

  test('default-ordering decisions made before a logic was activated are a row without the live Default ordering role', async () => {
    const report = await service([row('pl_a', 300), row('DEFAULT_ORDER', 100)], routing('pl_a')).metrics(actor, window);
    const def = report.logics.find((m) => m.logicId === 'DEFAULT_ORDER');
    assert.ok(def, 'decisions were made by the default ordering in the window');
    assert.deepEqual(def.roles, [], 'a logic is active: the default ordering is not live');
    assert.equal(def.trafficPercent, 25);
  });

  test('with no active logic the default ordering is the live configuration', async () => {
    const report = await service([row('DEFAULT_ORDER', 40), row('pl_a', 10)], routing(null)).metrics(actor, window);
    assert.deepEqual(report.logics.find((m) => m.logicId === 'DEFAULT_ORDER')!.roles, ['DEFAULT_ORDER']);
    assert.deepEqual(report.logics.find((m) => m.logicId === 'pl_a')!.roles, []);
    assert.equal(sum(report.logics.map((m) => m.trafficPercent)), 100);
  });
});

describe('percentShares', () => {
  test('adds up to 100 at the asked precision, zeros for an empty window', () => {
    assert.deepEqual(percentShares([2, 1], 1), [66.7, 33.3]);
    assert.equal(
      percentShares([1, 1, 1, 1, 1, 1, 1], 2).reduce((s, x) => s + Math.round(x * 100), 0),
      10000,
    );
    assert.deepEqual(percentShares([0, 0]), [0, 0]);
    assert.deepEqual(percentShares([5, 0]), [100, 0]);
  });
});

describe('through the service: payments by the default ordering, then a logic, then its replacement', () => {
  let j: TestApp;
  before(async () => {
    j = await startPlApp();
    setAllGateways(j, { baseSuccessRate: 1 });
  });
  after(async () => {
    await j.close();
  });

  const pay = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const r = await payByCard(j, await createOrderOk(j));
      assert.equal(r.status, 200, r.body);
    }
  };
  const metricsOf = async (from: Date): Promise<any> => {
    const to = new Date(Date.now() + 60_000);
    const r = await api(j, 'GET', `/v1/priority-logics/metrics?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    assert.equal(r.status, 200, r.body);
    return r.json;
  };

  test('every configuration of the window is listed, Traffic % adds up to 100, Default ordering only when it decided', async () => {
    const start = new Date(Date.now() - 1000);
    await pay(1); // no logic: the default ordering
    const first = await createLogic(j, defaultLogic(uniqueName('First'), ['SIM_GAMMA', 'SIM_ALPHA']));
    await actOk(j, first.id, 'activate');
    await pay(2);
    const second = await createLogic(j, defaultLogic(uniqueName('Second'), ['SIM_BETA', 'SIM_ALPHA']));
    await actOk(j, second.id, 'activate'); // replaces the first inside the window
    const secondSince = new Date();
    await pay(3);

    const whole = await metricsOf(start);
    const byId = new Map<string, any>(whole.logics.map((m: { logic_id: string }) => [m.logic_id, m]));
    assert.equal(whole.total_decided, 6);
    assert.deepEqual([...byId.keys()].sort(), ['DEFAULT_ORDER', first.id, second.id].sort());
    assert.deepEqual(byId.get(second.id).roles, ['ACTIVE']);
    assert.deepEqual(byId.get(first.id).roles, [], 'replaced inside the window');
    assert.deepEqual(byId.get('DEFAULT_ORDER').roles, [], 'a logic is active: the default ordering is not live');
    assert.equal(sum(whole.logics.map((m: { traffic_percent: number }) => m.traffic_percent)), 100);
    assert.deepEqual([byId.get('DEFAULT_ORDER').traffic_percent, byId.get(first.id).traffic_percent, byId.get(second.id).traffic_percent], [16.67, 33.33, 50]);

    // A window in which the second logic was active throughout: its row only.
    const since = await metricsOf(secondSince);
    assert.deepEqual(
      since.logics.map((m: { logic_id: string }) => m.logic_id),
      [second.id],
    );
    assert.equal(since.logics[0].traffic_percent, 100);
  });
});
