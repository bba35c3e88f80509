import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let junction: TestApp;
const admin = { authorization: 'Bearer test-admin-key', 'content-type': 'application/json' };

before(async () => {
  junction = await startTestApp();
});
after(() => junction.close());

test('the shipped table is readable, with its source', async () => {
  const res = await junction.app.inject({ method: 'GET', url: '/admin/v1/gateway-status/SIM_ALPHA', headers: admin });
  assert.equal(res.statusCode, 200);
  const entries = res.json().entries as Array<Record<string, unknown>>;
  const insufficient = entries.find((e) => e.code === '51');
  assert.deepEqual(
    { ...insufficient },
    {
      code: '51',
      message: 'Insufficient funds',
      unified_code: 'INSUFFICIENT_FUNDS',
      unified_message: insufficient!.unified_message,
      category: insufficient!.category,
      failure_class: 'HARD_DECLINE',
      retryable: false,
      counts_against_gateway: false,
      source: 'CONNECTOR',
    },
  );
  assert.equal(entries.find((e) => e.code === '96')?.retryable, true);
});

test("an operator override changes the row, and dropping it restores the connector's", async () => {
  const put = await junction.app.inject({
    method: 'PUT',
    url: '/admin/v1/gateway-status/SIM_ALPHA/96',
    headers: admin,
    payload: {
      message: 'System malfunction (may have processed)',
      unified_code: 'GATEWAY_TECHNICAL_ERROR',
      category: 'TECHNICAL_ERROR',
      failure_class: 'TECHNICAL_ERROR',
      retryable: false,
      counts_against_gateway: true,
    },
  });
  assert.equal(put.statusCode, 200, put.body);
  const listed = (await junction.app.inject({ method: 'GET', url: '/admin/v1/gateway-status/SIM_ALPHA', headers: admin })).json().entries as Array<Record<string, unknown>>;
  assert.deepEqual([listed.find((e) => e.code === '96')?.retryable, listed.find((e) => e.code === '96')?.source], [false, 'OVERRIDE']);
  const del = await junction.app.inject({ method: 'DELETE', url: '/admin/v1/gateway-status/SIM_ALPHA/96', headers: admin });
  assert.deepEqual(del.json(), { removed: true });
  const again = (await junction.app.inject({ method: 'GET', url: '/admin/v1/gateway-status/SIM_ALPHA', headers: admin })).json().entries as Array<Record<string, unknown>>;
  assert.deepEqual([again.find((e) => e.code === '96')?.retryable, again.find((e) => e.code === '96')?.source], [true, 'CONNECTOR']);
});

test('a hard decline can never be made retryable, and bad rows name the field', async () => {
  const hard = await junction.app.inject({
    method: 'PUT',
    url: '/admin/v1/gateway-status/SIM_ALPHA/51',
    headers: admin,
    payload: { message: 'Insufficient funds', failure_class: 'HARD_DECLINE', retryable: true, counts_against_gateway: false },
  });
  assert.equal(hard.statusCode, 400);
  assert.equal(hard.json().error_info.fields[0].field_name, 'retryable');
  const badClass = await junction.app.inject({
    method: 'PUT',
    url: '/admin/v1/gateway-status/SIM_ALPHA/77',
    headers: admin,
    payload: { message: 'x', failure_class: 'MAYBE', retryable: false, counts_against_gateway: false },
  });
  assert.equal(badClass.json().error_info.fields[0].field_name, 'failure_class');
  const unknownGateway = await junction.app.inject({ method: 'GET', url: '/admin/v1/gateway-status/NOPE', headers: admin });
  assert.equal(unknownGateway.statusCode, 404);
});

test('the admin key is required', async () => {
  const res = await junction.app.inject({ method: 'GET', url: '/admin/v1/gateway-status/SIM_ALPHA', headers: { authorization: 'Bearer wrong' } });
  assert.equal(res.statusCode, 401);
  const merchantKey = await junction.app.inject({ method: 'GET', url: '/admin/v1/gateway-status/SIM_ALPHA', headers: { authorization: junction.basic } });
  assert.equal(merchantKey.statusCode, 401);
});

test("a raw code a connector's table does not list takes the connector's rule (Checkout.com's ranges), after any override", async () => {
  const { createGatewayStatusTable } = await import('../../src/core/gateway-status/gateway-status-table.ts');
  const { createGatewayStatusRepository } = await import('../../src/storage/gateway-status-repository.ts');
  const { CONNECTOR_DEFINITIONS } = await import('../../src/connectors/registry.ts');
  const { createHttpTransport } = await import('../../src/connectors/kit/transport.ts');
  const transport = createHttpTransport();
  const connectors = new Map(CONNECTOR_DEFINITIONS.filter((d) => !d.gateway.startsWith('SIM_')).map((d) => [d.gateway as string, d.create({ transport, publicBaseUrl: 'http://x', baseUrls: {} })]));
  const store = createGatewayStatusRepository(junction.db);
  const table = createGatewayStatusTable({ shipped: (g) => connectors.get(g)?.statusTable, unlisted: (g, code) => connectors.get(g)?.classifyUnlisted?.(code), store, cacheTtlMs: 0 });
  assert.equal((await table.classify('CHECKOUT', '20051'))?.unifiedCode, 'INSUFFICIENT_FUNDS', 'listed');
  const unlisted = await table.classify('CHECKOUT', '20099');
  assert.equal(unlisted?.failureClass, 'SOFT_DECLINE');
  assert.equal(unlisted?.countsAgainstGateway, false, "an issuer's soft decline never counts against the gateway");
  assert.equal((await table.classify('CHECKOUT', '30099'))?.failureClass, 'HARD_DECLINE');
  assert.equal((await table.classify('STRIPE', 'generic_decline:do_not_try_again'))?.failureClass, 'HARD_DECLINE');
  assert.equal(await table.classify('CHECKOUT', 'not-a-code'), null);
  await store.upsertOverride({
    gateway: 'CHECKOUT',
    rawCode: '20099',
    message: 'ops says',
    unifiedCode: 'ISSUER_UNAVAILABLE',
    unifiedMessage: 'x',
    category: 'GATEWAY_ERROR',
    failureClass: 'SOFT_DECLINE',
    retryable: true,
    countsAgainstGateway: true,
    updatedBy: 'test',
  });
  assert.equal((await table.classify('CHECKOUT', '20099'))?.source, 'OVERRIDE');
  await store.deleteOverride('CHECKOUT', '20099');
  await transport.close();
});
