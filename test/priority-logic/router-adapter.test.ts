// The router adapter on its own (no database): the default ordering without an active logic,
// account choice among several accounts of one gateway, and the configuration cache.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decisionWire } from '../../src/core/payments/decision-wire.ts';
import type { PriorityLogicStore } from '../../src/core/ports/priority-logic-store.ts';
import type { RoutingAccount, RoutingInput } from '../../src/core/ports/router.ts';
import { createPriorityLogicRouter } from '../../src/core/priority-logic/priority-logic-router.ts';
import type { PriorityLogic, RoutingConfig } from '../../src/core/priority-logic/types.ts';
import { createRoutingEngine, type LogicDefinition } from '../../src/routing/index.ts';
import { referenceDefaultOrder } from '../../src/routing/testing/reference-default-order.ts';

const account = (accountId: string, gateway: string, priority: number, ref: string | null = null, extra: Partial<RoutingAccount> = {}): RoutingAccount => ({
  accountId,
  gateway,
  gatewayId: 1,
  gatewayReferenceId: ref,
  enabled: true,
  paymentMethodTypes: [],
  paymentMethods: [],
  cardBrands: [],
  currencies: [],
  priority,
  ...extra,
});

const CANDIDATES = [account('a1', 'SIM_ALPHA', 50, 'r1'), account('a2', 'SIM_ALPHA', 10, 'r2'), account('b1', 'SIM_BETA', 20), account('d1', 'SIM_DELTA', 5, null, { enabled: false })];

function request(extra: Partial<RoutingInput> = {}): RoutingInput {
  return {
    merchantId: 'm1',
    orderId: 'o1',
    txnId: 't1',
    amount: 1000,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    authType: null,
    card: { bin: '411111', extendedBin: '41111111', brand: 'VISA', type: 'CREDIT', subType: null, issuer: 'HDFC Bank', issuerCountry: 'IN' },
    upi: null,
    wallet: null,
    bank: null,
    emi: null,
    customerId: null,
    productId: null,
    description: null,
    udf: {},
    metadata: {},
    billingCountry: null,
    shippingCountry: null,
    preferredGateway: null,
    preferredReferenceId: null,
    platform: null,
    addToLocker: false,
    gateways: CANDIDATES,
    nowMillis: 1_700_000_000_000,
    ...extra,
  };
}

function fakeStore(definition: LogicDefinition | null) {
  const calls = { routing: 0, logics: 0 };
  const logic: PriorityLogic = {
    id: 'pl_1',
    merchantId: 'm1',
    name: definition?.name ?? 'x',
    description: null,
    kind: definition?.kind ?? 'DEFAULT',
    version: 1,
    definition: definition as LogicDefinition,
    status: 'ACTIVE',
    approvedBy: null,
    approvedAt: null,
    createdBy: 'usr_1',
    copiedFrom: null,
    rowVersion: 2,
    createdAt: new Date(),
    updatedAt: new Date(),
    deletedAt: null,
  };
  const routing: RoutingConfig = {
    merchantId: 'm1',
    activeLogicId: definition ? 'pl_1' : null,
    fallbackLogicId: null,
    staggeredLogicId: null,
    staggerPercentage: null,
    version: 3,
    updatedAt: new Date(),
  };
  const store: Pick<PriorityLogicStore, 'getRouting' | 'getLogics'> = {
    async getRouting() {
      calls.routing++;
      return routing;
    },
    async getLogics(_m, ids) {
      calls.logics++;
      return ids.includes('pl_1') ? [logic] : [];
    },
  };
  return { store, calls };
}

const engine = createRoutingEngine();

describe('priority logic router adapter', () => {
  test('without an active logic it answers exactly like the default router', async () => {
    const { store } = fakeStore(null);
    const router = createPriorityLogicRouter({ store, engine });
    for (const r of [request(), request({ preferredGateway: 'SIM_BETA' }), request({ preferredReferenceId: 'r1' })]) {
      const d = await router.decide(r);
      const reference = referenceDefaultOrder(r);
      assert.deepEqual(
        d.gateways.map((g) => g.accountId),
        reference.accountIds,
      );
      assert.equal(d.enforced, false);
      assert.deepEqual(decisionWire(d.record), reference.record);
    }
  });

  test("several accounts of one gateway: the reference id the logic names, else the order's, else the lowest priority", async () => {
    let { store } = fakeStore({ kind: 'DEFAULT', name: 'alpha', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }, { gateway: 'SIM_BETA' }] });
    let router = createPriorityLogicRouter({ store, engine });
    let d = await router.decide(request());
    assert.deepEqual(
      d.gateways.map((g) => g.accountId),
      ['a2', 'b1'],
    );
    assert.equal(d.enforced, false);
    assert.equal((d.record.logic as { id: string }).id, 'pl_1');
    d = await router.decide(request({ preferredReferenceId: 'r1' }));
    assert.deepEqual(
      d.gateways.map((g) => g.accountId),
      ['a1', 'b1'],
    );

    ({ store } = fakeStore({ kind: 'DEFAULT', name: 'alpha r1', enforce: true, defaultGateways: [{ gateway: 'SIM_ALPHA', gatewayReferenceId: 'r1' }] }));
    router = createPriorityLogicRouter({ store, engine });
    d = await router.decide(request());
    assert.deepEqual(
      d.gateways.map((g) => g.accountId),
      ['a1'],
    );
    assert.equal(d.enforced, true);
  });

  test('enforced with nothing eligible: no gateway, NULL_AFTER_ENFORCE', async () => {
    const { store } = fakeStore({ kind: 'DEFAULT', name: 'delta', enforce: true, defaultGateways: [{ gateway: 'SIM_DELTA' }] });
    const router = createPriorityLogicRouter({ store, engine });
    const d = await router.decide(request());
    assert.deepEqual(d.gateways, []);
    assert.equal(d.record.failureReason, 'NULL_AFTER_ENFORCE');
  });

  test('the configuration is cached briefly and dropped by invalidate()', async () => {
    let clock = 0;
    const { store, calls } = fakeStore({ kind: 'DEFAULT', name: 'alpha', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    const router = createPriorityLogicRouter({ store, engine, configTtlMs: 1000, now: () => clock });
    await router.decide(request());
    await router.decide(request());
    assert.equal(calls.routing, 1);
    clock = 1500;
    await router.decide(request());
    assert.equal(calls.routing, 2);
    router.invalidate('m1');
    await router.decide(request());
    assert.equal(calls.routing, 3);
    router.close();
  });
});
