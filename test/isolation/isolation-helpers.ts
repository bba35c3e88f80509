// Two merchants in one app, each with its own users and a code logic, for the isolation tests.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSecondMerchant, payByCard, post } from '../helpers/api-helpers.ts';
import { DEMO_USER_TOKENS, type TestApp } from '../helpers/test-app.ts';
import { api, bearer, createLogic, type Res, type Who } from '../priority-logic/pl-helpers.ts';

export const CATCH_RETRY = 'function f(){try{return f()}catch(e){return f()}} f();';
export const ALLOCATION_STORM = 'var a=[]; while(true){ a.push(new Array(100000).join("x")); }';
export const BUSY_LOOP = 'while (true) {}';
export const DEEP_PARENS = `setGatewayPriority(["SIM_ALPHA" + ${'('.repeat(1000)}1${')'.repeat(1000)}]);`;
export const HOSTILE_CODES = [CATCH_RETRY, ALLOCATION_STORM, BUSY_LOOP, DEEP_PARENS];

export interface Tenant {
  merchantId: string;
  auth: string;
  admin: Who;
  approver: Who;
  editors: Who[];
}

export const DEMO: Tenant = {
  merchantId: 'demo_merchant',
  auth: `Basic ${Buffer.from('test_demo_key_0001:').toString('base64')}`,
  admin: bearer(DEMO_USER_TOKENS.admin),
  approver: bearer(DEMO_USER_TOKENS.approver),
  editors: [bearer(DEMO_USER_TOKENS.admin), bearer(DEMO_USER_TOKENS.editor), bearer(DEMO_USER_TOKENS.admin), bearer(DEMO_USER_TOKENS.editor)],
};

async function userOf(j: TestApp, merchantId: string, role: string): Promise<Who> {
  const r = await j.app.inject({
    method: 'POST',
    url: `/admin/v1/merchants/${merchantId}/users`,
    headers: { authorization: 'Bearer test-admin-key', 'content-type': 'application/json' },
    payload: JSON.stringify({ email: `${role.toLowerCase()}_${randomBytes(3).toString('hex')}@example.com`, name: role, role }),
  });
  assert.equal(r.statusCode, 201, r.body);
  return bearer((JSON.parse(r.body) as { token: string }).token);
}

/** Merchant B: its own key, users, and SIM_ALPHA + SIM_BETA accounts. */
export async function secondTenant(j: TestApp): Promise<Tenant> {
  const b = await createSecondMerchant(j, `iso_b_${randomBytes(3).toString('hex')}`);
  await j.merchants.createGatewayAccount(b.merchantId, {
    gateway: 'SIM_BETA',
    credentials: { api_key: `sim_${randomBytes(8).toString('hex')}`, webhook_secret: `whsec_${randomBytes(8).toString('hex')}` },
    paymentMethodTypes: ['CARD'],
    currencies: [],
    enabled: true,
    priority: 20,
  });
  const admin = await userOf(j, b.merchantId, 'ADMIN');
  return { merchantId: b.merchantId, auth: b.auth, admin, approver: await userOf(j, b.merchantId, 'APPROVER'), editors: [admin] };
}

/** A lifecycle action with the logic's current row_version, read as `who` (the logic's own merchant). */
async function actOk(j: TestApp, id: string, action: string, extra: Record<string, unknown>, who: Who): Promise<void> {
  const current = await api(j, 'GET', `/v1/priority-logics/${id}`, undefined, who);
  assert.equal(current.status, 200, current.body);
  const r = await api(j, 'POST', `/v1/priority-logics/${id}/${action}`, { version: current.json.row_version, ...extra }, who);
  assert.equal(r.status, 200, `${action}: ${r.body}`);
}

/** Creates, approves and activates a code logic for the tenant; its default gateway is SIM_ALPHA. */
export async function activateCode(j: TestApp, t: Tenant, code: string, name = `code_${randomBytes(3).toString('hex')}`): Promise<string> {
  const logic = await createLogic(j, { name, kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code } }, t.admin);
  await actOk(j, logic.id, 'approve', {}, t.approver);
  const routing = (await api(j, 'GET', '/v1/priority-logics/routing', undefined, t.admin)).json;
  if (routing.active_logic_id) await actOk(j, routing.active_logic_id, 'deactivate', {}, t.admin);
  await actOk(j, logic.id, 'activate', {}, t.admin);
  return logic.id;
}

export function dryRun(j: TestApp, who: Who, code: string): Promise<Res> {
  return api(j, 'POST', '/v1/priority-logics/dry-run', { logic: { name: 'probe', kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code } }, payment: { amount: 100 } }, who);
}

export interface Paid {
  status: number;
  body: string;
  txn: Record<string, any>;
  decision: Record<string, any>;
}

/** One card payment of the tenant, with the routing decision recorded on its first attempt. */
export async function pay(j: TestApp, t: Tenant): Promise<Paid> {
  const orderId = `iso_${randomBytes(6).toString('hex')}`;
  const created = await post(j, '/orders', { order_id: orderId, amount: '100.00', currency: 'INR' }, { asForm: true, auth: t.auth });
  assert.equal(created.status, 200, created.body);
  const r = await payByCard(j, orderId, { merchant_id: t.merchantId }, { auth: t.auth });
  const rows = await j.db.query<{ routing_decision: Record<string, any>; gateway: string; status: string }>(
    'SELECT t.gateway, t.status, t.routing_decision FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.merchant_id = $1 AND o.order_id = $2 ORDER BY t.attempt ASC LIMIT 1',
    [t.merchantId, orderId],
  );
  assert.equal(rows.length, 1, `an attempt for ${orderId}: ${r.body}`);
  return { status: r.status, body: r.body, txn: rows[0]!, decision: rows[0]!.routing_decision };
}
