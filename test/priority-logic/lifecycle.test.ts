// The lifecycle through the API: roles, full and staggered release, promote, revoke,
// deactivate, delete (refused while live), copy, approval of code, stale versions and the audit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_USER_TOKENS, type TestApp } from '../helpers/test-app.ts';
import { createSecondMerchant } from '../helpers/api-helpers.ts';
import { ADMIN_TOKEN, APPROVER_TOKEN, VIEWER_TOKEN, act, actOk, api, assertError, bearer, createLogic, createUser, defaultLogic, getLogic, startPlApp, uniqueName } from './pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});

const NO_ACCESS = 'You do not have access';
const LIVE = 'Active Priority Logics cannot be deleted. Deactivate them first or Revoke in case of a staggered release.';
const SYNC = 'Error! Try Syncing again';
const CODE = 'if (order.udf1 == "x") enforceGatewayPriority(["SIM_BETA"]); else setGatewayPriority(["SIM_GAMMA", "SIM_ALPHA"]);';

/** Leaves the merchant with no active, staggered or fallback logic. */
async function resetRouting(): Promise<void> {
  const routing = (await api(j, 'GET', '/v1/priority-logics/routing')).json;
  if (routing.staggered_logic_id) await actOk(j, routing.staggered_logic_id, 'revoke');
  if (routing.active_logic_id) await actOk(j, routing.active_logic_id, 'deactivate');
  if (routing.fallback_logic_id) assert.equal((await api(j, 'POST', '/v1/priority-logics/fallback/unset', {})).status, 200);
}

describe('demo users and roles', () => {
  test('demo users exist with the fixed tokens; the demo info lists them', () => {
    const users = j.demo?.users ?? [];
    assert.deepEqual(
      users.map((u) => [u.role, u.token]).sort(),
      [
        ['ADMIN', ADMIN_TOKEN],
        ['EDITOR', DEMO_USER_TOKENS.editor],
        ['APPROVER', APPROVER_TOKEN],
        ['VIEWER', VIEWER_TOKEN],
      ].sort(),
    );
  });

  test('the admin API creates a user and returns its token once; an unknown token is refused', async () => {
    const u = await createUser(j, 'EDITOR');
    assert.match(u.id, /^usr_/);
    const r = await api(j, 'GET', '/v1/priority-logics', undefined, bearer(u.token));
    assert.equal(r.status, 200, r.body);
    const list = await j.app.inject({ method: 'GET', url: '/admin/v1/merchants/demo_merchant/users', headers: { authorization: 'Bearer test-admin-key' } });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(u.token), 'tokens are never listed');
    const rows = await j.db.query<{ token_hash: string }>('SELECT token_hash FROM users WHERE id = $1', [u.id]);
    assert.notEqual(rows[0]!.token_hash, u.token);
    assert.equal((await api(j, 'GET', '/v1/priority-logics', undefined, bearer('nope_nope_nope_nope'))).status, 401);
    assert.equal((await api(j, 'GET', '/v1/priority-logics', undefined, { none: true })).status, 401);
    const noAdmin = await j.app.inject({
      method: 'POST',
      url: '/admin/v1/merchants/demo_merchant/users',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@b.c","name":"x","role":"ADMIN"}',
    });
    assert.equal(noAdmin.statusCode, 401);
  });

  test('a viewer reads but cannot change anything: 403 "You do not have access"', async () => {
    const viewer = bearer(VIEWER_TOKEN);
    assert.equal((await api(j, 'GET', '/v1/priority-logics', undefined, viewer)).status, 200);
    assertError(await api(j, 'POST', '/v1/priority-logics', defaultLogic(uniqueName('V'), ['SIM_ALPHA']), viewer), 403, 'UNAUTHORIZED', NO_ACCESS);
    const logic = await createLogic(j, defaultLogic(uniqueName('Target'), ['SIM_ALPHA']));
    assertError(await act(j, logic.id, 'activate', {}, viewer), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await api(j, 'DELETE', `/v1/priority-logics/${logic.id}`, { version: 1 }, viewer), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await api(j, 'POST', '/v1/priority-logics/dry-run', { logic_id: logic.id, payment: {} }, viewer), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await api(j, 'POST', `/v1/priority-logics/${logic.id}/copy`, { name: uniqueName('c') }, viewer), 403, 'UNAUTHORIZED', NO_ACCESS);
  });

  test('an editor creates, copies and deletes but cannot release; an approver cannot create', async () => {
    const editor = bearer((await createUser(j, 'EDITOR')).token);
    const logic = await createLogic(j, defaultLogic(uniqueName('E'), ['SIM_ALPHA']), editor);
    const copy = await api(j, 'POST', `/v1/priority-logics/${logic.id}/copy`, { name: uniqueName('E copy') }, editor);
    assert.equal(copy.status, 201, copy.body);
    assertError(await act(j, logic.id, 'activate', {}, editor), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await act(j, logic.id, 'fallback', {}, editor), 403, 'UNAUTHORIZED', NO_ACCESS);
    assert.equal((await act(j, copy.json.id, '', {}, editor)).status, 404); // POST /:id/ is no route
    assert.equal((await api(j, 'DELETE', `/v1/priority-logics/${copy.json.id}`, { version: 1 }, editor)).status, 200);
    assertError(await api(j, 'POST', '/v1/priority-logics', defaultLogic(uniqueName('A'), ['SIM_ALPHA']), bearer(APPROVER_TOKEN)), 403, 'UNAUTHORIZED', NO_ACCESS);
  });
});

describe('code-based logics need a second person', () => {
  test('a code logic starts PENDING_APPROVAL and cannot be released before approval', async () => {
    const logic = await createLogic(j, { name: uniqueName('Code'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: CODE } });
    assert.equal(logic.status, 'PENDING_APPROVAL');
    assert.equal(logic.type, 'Code Based');
    assertError(await act(j, logic.id, 'activate'), 400, 'APPROVAL_REQUIRED');
    assertError(await act(j, logic.id, 'fallback'), 400, 'APPROVAL_REQUIRED');
  });

  test('the API key and non-approvers cannot approve; the creator cannot approve their own logic', async () => {
    const logic = await createLogic(j, { name: uniqueName('Code'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: CODE } });
    assertError(await act(j, logic.id, 'approve', {}, { basic: j.basic }), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await act(j, logic.id, 'approve', {}, bearer(ADMIN_TOKEN)), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await act(j, logic.id, 'approve', {}, bearer(VIEWER_TOKEN)), 403, 'UNAUTHORIZED', NO_ACCESS);
    // An approver who created the logic (e.g. their role changed since): refused.
    await assert.rejects(
      j.priorityLogic.approve({ merchantId: 'demo_merchant', kind: 'USER', id: logic.created_by, role: 'APPROVER' }, logic.id, { version: logic.row_version }),
      (e: Error & { code?: string }) => e.code === 'UNAUTHORIZED' && e.message === NO_ACCESS,
    );
    const approved = await actOk(j, logic.id, 'approve', {}, bearer(APPROVER_TOKEN));
    assert.equal(approved.logic.status, 'INACTIVE');
    assert.match(approved.logic.approved_by, /^usr_/);
    assert.ok(approved.logic.approved_at);
    assertError(await act(j, logic.id, 'approve', {}, bearer(APPROVER_TOKEN)), 400, 'INVALID_ACTION');
    await resetRouting();
    const active = await actOk(j, logic.id, 'activate');
    assert.equal(active.logic.status, 'ACTIVE');
    await resetRouting();
  });

  test('a second approver approves; a non-code logic needs no approval', async () => {
    const approver2 = bearer((await createUser(j, 'APPROVER')).token);
    const logic = await createLogic(j, defaultLogic(uniqueName('Plain'), ['SIM_ALPHA']));
    assertError(await act(j, logic.id, 'approve', {}, approver2), 400, 'INVALID_ACTION');
  });
});

describe('release lifecycle', () => {
  test('full release, staggered release, raise and lower, promote, revoke, deactivate, delete', async () => {
    await resetRouting();
    const a = await createLogic(j, defaultLogic(uniqueName('Alpha first'), ['SIM_ALPHA', 'SIM_BETA']));
    const b = await createLogic(j, defaultLogic(uniqueName('Beta first'), ['SIM_BETA', 'SIM_ALPHA']));
    const c = await createLogic(j, defaultLogic(uniqueName('Gamma first'), ['SIM_GAMMA']));
    assert.equal(a.status, 'INACTIVE');

    // A staggered release needs something fully active underneath.
    assertError(await act(j, b.id, 'stagger', { percentage: 30 }), 400, 'INVALID_ACTION');

    let r = await actOk(j, a.id, 'activate');
    assert.equal(r.logic.status, 'ACTIVE');
    assert.equal(r.routing.active_logic_id, a.id);
    assertError(await api(j, 'DELETE', `/v1/priority-logics/${a.id}`, { version: r.logic.row_version }), 400, 'LOGIC_IS_LIVE', LIVE);

    r = await actOk(j, b.id, 'stagger', { percentage: 30 });
    assert.equal(r.logic.status, 'STAGGERED');
    assert.equal(r.routing.staggered_logic_id, b.id);
    assert.equal(r.routing.stagger_percentage, 30);
    assertError(await api(j, 'DELETE', `/v1/priority-logics/${b.id}`, { version: r.logic.row_version }), 400, 'LOGIC_IS_LIVE', LIVE);
    // Only one staggered release at a time; a third logic cannot be fully released meanwhile.
    assertError(await act(j, c.id, 'stagger', { percentage: 10 }), 400, 'INVALID_ACTION');
    assertError(await act(j, c.id, 'activate'), 400, 'INVALID_ACTION');
    // The active logic cannot be deactivated from under a staggered release.
    assertError(await act(j, a.id, 'deactivate'), 400, 'INVALID_ACTION');

    r = await actOk(j, b.id, 'stagger', { percentage: 50 });
    assert.equal(r.routing.stagger_percentage, 50);
    r = await actOk(j, b.id, 'stagger', { percentage: 20 });
    assert.equal(r.routing.stagger_percentage, 20);
    assert.equal((await act(j, b.id, 'stagger', { percentage: 100 })).status, 400);
    assert.equal((await act(j, b.id, 'stagger', { percentage: 0 })).status, 400);

    r = await actOk(j, b.id, 'revoke');
    assert.equal(r.logic.status, 'INACTIVE');
    assert.equal(r.routing.staggered_logic_id, null);

    await actOk(j, b.id, 'stagger', { percentage: 40 });
    r = await actOk(j, b.id, 'promote');
    assert.equal(r.logic.status, 'ACTIVE');
    assert.equal(r.routing.active_logic_id, b.id);
    assert.equal(r.routing.staggered_logic_id, null);
    assert.equal((await getLogic(j, a.id)).status, 'INACTIVE');

    // A full release of another logic replaces the active one.
    r = await actOk(j, c.id, 'activate');
    assert.equal((await getLogic(j, b.id)).status, 'INACTIVE');
    r = await actOk(j, c.id, 'deactivate');
    assert.equal(r.logic.status, 'INACTIVE');
    assert.equal(r.routing.active_logic_id, null);

    const deleted = await api(j, 'DELETE', `/v1/priority-logics/${a.id}`, undefined, bearer(ADMIN_TOKEN), { 'if-match': `"${(await getLogic(j, a.id)).row_version}"` });
    assert.equal(deleted.status, 200, deleted.body);
    assert.equal((await api(j, 'GET', `/v1/priority-logics/${a.id}`)).status, 404);
    // The name is free again.
    await createLogic(j, defaultLogic(a.name, ['SIM_ALPHA']));
  });

  test('fallback logic: set, shown, cannot be deleted or released while fallback, unset', async () => {
    await resetRouting();
    const f = await createLogic(j, defaultLogic(uniqueName('Fallback'), ['SIM_GAMMA']));
    const r = await actOk(j, f.id, 'fallback');
    assert.equal(r.routing.fallback_logic_id, f.id);
    assert.equal((await getLogic(j, f.id)).is_fallback, true);
    assertError(await api(j, 'DELETE', `/v1/priority-logics/${f.id}`, { version: (await getLogic(j, f.id)).row_version }), 400, 'INVALID_ACTION');
    assertError(await act(j, f.id, 'activate'), 400, 'INVALID_ACTION');
    assertError(await api(j, 'POST', '/v1/priority-logics/fallback/unset', { routing_version: r.routing.version - 1 }), 409, 'SYNC_CONFLICT', SYNC);
    const unset = await api(j, 'POST', '/v1/priority-logics/fallback/unset', { routing_version: r.routing.version });
    assert.equal(unset.status, 200, unset.body);
    assert.equal(unset.json.fallback_logic_id, null);
  });

  test('stale versions answer 409 "Error! Try Syncing again"; a missing version is named', async () => {
    await resetRouting();
    const l = await createLogic(j, defaultLogic(uniqueName('Stale'), ['SIM_ALPHA']));
    assertError(await api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, { version: l.row_version + 5 }), 409, 'SYNC_CONFLICT', SYNC, 'version');
    assertError(await api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, undefined, bearer(ADMIN_TOKEN), { 'if-match': '"99"' }), 409, 'SYNC_CONFLICT', SYNC);
    const routing = (await api(j, 'GET', '/v1/priority-logics/routing')).json;
    assertError(await api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, { version: l.row_version, routing_version: routing.version + 1 }), 409, 'SYNC_CONFLICT', SYNC, 'routing_version');
    assertError(await api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, {}), 400, 'MISSING_MANDATORY_PARAMETER', undefined, 'version');
    // Two admins race on the same version: one wins, the other must sync.
    const [x, y] = await Promise.all([
      api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, { version: l.row_version, routing_version: routing.version }),
      api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, { version: l.row_version, routing_version: routing.version }),
    ]);
    assert.deepEqual([x.status, y.status].sort(), [200, 409]);
    const ok = await api(j, 'POST', `/v1/priority-logics/${l.id}/deactivate`, undefined, bearer(ADMIN_TOKEN), { 'if-match': `W/"${l.row_version + 1}"` });
    assert.equal(ok.status, 200, ok.body);
    assertError(await api(j, 'POST', `/v1/priority-logics/${l.id}/copy`, { name: uniqueName('c'), version: 1 }), 409, 'SYNC_CONFLICT', SYNC);
  });

  test('a fresh merchant: the routing version it reads is the one its first release must send; merchants are isolated', async () => {
    const m2 = await createSecondMerchant(j);
    const who = { basic: m2.auth };
    const routing = await api(j, 'GET', '/v1/priority-logics/routing', undefined, who);
    assert.equal(routing.status, 200, routing.body);
    const l = await createLogic(j, defaultLogic('Merchant two', ['SIM_ALPHA']), who);
    const r = await api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, { version: l.row_version, routing_version: routing.json.version }, who);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.routing.version, routing.json.version + 1);
    // Another merchant's logic is invisible.
    assert.equal((await api(j, 'GET', `/v1/priority-logics/${l.id}`)).status, 404);
    assert.ok(!(await api(j, 'GET', '/v1/priority-logics?limit=500')).json.logics.some((x: { id: string }) => x.id === l.id));
    // The demo admin's token cannot reach merchant two with x-merchantid.
    assert.equal((await api(j, 'GET', '/v1/priority-logics', undefined, bearer(ADMIN_TOKEN), { 'x-merchantid': m2.merchantId })).status, 401);
  });

  test('copy is the way to edit: changed fields, copied_from, version + 1; the source is unchanged', async () => {
    const src = await createLogic(j, {
      name: uniqueName('Rules src'),
      description: 'first',
      kind: 'RULES',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { rules: [{ name: 'visa', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } }] },
    });
    const r = await api(j, 'POST', `/v1/priority-logics/${src.id}/copy`, { name: uniqueName('Rules copy'), defaultGateways: [{ gateway: 'SIM_GAMMA' }], enforce: true });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json.copied_from, src.id);
    assert.equal(r.json.version, 2);
    assert.equal(r.json.description, 'first');
    assert.equal(r.json.enforce, true);
    assert.deepEqual(r.json.definition.defaultGateways, [{ gateway: 'SIM_GAMMA' }]);
    assert.deepEqual(r.json.definition.rules, src.definition.rules);
    assert.deepEqual((await getLogic(j, src.id)).definition, src.definition);
    // The copy is validated like a create.
    assertError(await api(j, 'POST', `/v1/priority-logics/${src.id}/copy`, { name: src.name }), 409, 'NAME_ALREADY_EXISTS', 'Configuration Name already exists', 'name');
    assertError(await api(j, 'POST', `/v1/priority-logics/${src.id}/copy`, { name: uniqueName('x'), defaultGateways: [] }), 400, 'DEFAULT_GATEWAYS_REQUIRED', 'Need at least 1', 'defaultGateways');
  });

  test('list: all logics with type, status, dates; filter by status and kind, search, sort', async () => {
    const tag = `zz${Math.random().toString(36).slice(2, 7)}`;
    const v = await createLogic(j, {
      name: `${tag} volume`,
      kind: 'VOLUME',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: {
        splits: [
          { gateway: 'SIM_ALPHA', weight: 50 },
          { gateway: 'SIM_BETA', weight: 50 },
        ],
      },
    });
    await createLogic(j, defaultLogic(`${tag} default`, ['SIM_ALPHA']));
    let r = await api(j, 'GET', `/v1/priority-logics?search=${tag}&sort=name&order=asc`);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(
      r.json.logics.map((l: { name: string }) => l.name),
      [`${tag} default`, `${tag} volume`],
    );
    for (const l of r.json.logics) for (const k of ['name', 'description', 'status', 'type', 'created', 'updated']) assert.ok(k in l, k);
    r = await api(j, 'GET', `/v1/priority-logics?search=${tag}&kind=VOLUME`);
    assert.deepEqual(
      r.json.logics.map((l: { id: string }) => l.id),
      [v.id],
    );
    assert.equal(r.json.logics[0].type, 'Volume Based');
    r = await api(j, 'GET', '/v1/priority-logics?status=PENDING_APPROVAL');
    assert.ok(r.json.logics.every((l: { status: string }) => l.status === 'PENDING_APPROVAL'));
    assert.equal((await api(j, 'GET', '/v1/priority-logics?status=BOGUS')).status, 400);
  });

  test('every change wrote an audit row: who, what, when, before and after', async () => {
    await resetRouting();
    const l = await createLogic(j, defaultLogic(uniqueName('Audited'), ['SIM_ALPHA']));
    await actOk(j, l.id, 'activate');
    await actOk(j, l.id, 'deactivate', {}, { basic: j.basic });
    const r = await api(j, 'GET', `/v1/priority-logics/audit?logic_id=${l.id}`);
    assert.equal(r.status, 200, r.body);
    const entries = r.json.entries as Array<Record<string, any>>;
    assert.deepEqual(
      entries.map((e) => e.action),
      ['DEACTIVATE', 'ACTIVATE', 'CREATE'],
    );
    assert.equal(entries[2]!.before, null);
    assert.equal(entries[2]!.after.status, 'INACTIVE');
    assert.equal(entries[1]!.before.logic.status, 'INACTIVE');
    assert.equal(entries[1]!.after.logic.status, 'ACTIVE');
    assert.equal(entries[1]!.after.routing.active_logic_id, l.id);
    assert.match(entries[1]!.actor_id, /^usr_/);
    assert.equal(entries[1]!.actor_role, 'ADMIN');
    assert.equal(entries[1]!.actor_email, 'admin@demo.junction.local', 'who, in words');
    assert.equal(entries[0]!.actor_role, 'API_KEY');
    assert.equal(entries[0]!.actor_email, null);
    for (const e of entries) {
      assert.ok(e.request_id);
      assert.ok(!Number.isNaN(Date.parse(e.created)));
    }
    // A failed change writes nothing.
    await api(j, 'POST', `/v1/priority-logics/${l.id}/activate`, { version: 1 });
    assert.equal((await api(j, 'GET', `/v1/priority-logics/audit?logic_id=${l.id}`)).json.entries.length, 3);
    // The whole trail, newest first.
    const all = (await api(j, 'GET', '/v1/priority-logics/audit?limit=500', undefined, bearer(VIEWER_TOKEN))).json.entries as Array<{ action: string }>;
    for (const action of ['CREATE', 'COPY', 'ACTIVATE', 'STAGGER', 'REVOKE', 'PROMOTE', 'REPLACED', 'DEACTIVATE', 'DELETE', 'APPROVE', 'SET_FALLBACK', 'UNSET_FALLBACK']) {
      assert.ok(
        all.some((e) => e.action === action),
        `audit has ${action}`,
      );
    }
  });
});
