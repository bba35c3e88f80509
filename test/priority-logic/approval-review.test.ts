// An approver reviewing a code-based logic (issue 16, finding 7): tests it against a sample payment
// (dry run), and rejects it with a reason kept in the audit trail; a rejected logic is never
// approved or released, and is copied to try again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/test-app.ts';
import { ADMIN_TOKEN, APPROVER_TOKEN, VIEWER_TOKEN, act, actOk, api, assertError, bearer, createLogic, startPlApp, uniqueName } from './pl-helpers.ts';

const CODE = 'setGatewayPriority(["SIM_BETA", "SIM_ALPHA"]);';
const NO_ACCESS = 'You do not have access';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});

describe('approval review', () => {
  test('an approver dry-runs a pending code logic; a viewer may not', async () => {
    const logic = await createLogic(j, { name: uniqueName('Review'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: CODE } });
    const r = await api(j, 'POST', '/v1/priority-logics/dry-run', { logic_id: logic.id, payment: { card_number: '4111111111111111', amount: '10.00' } }, bearer(APPROVER_TOKEN));
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.decision.finalGateways[0].gateway, 'SIM_BETA');
    assertError(await api(j, 'POST', '/v1/priority-logics/dry-run', { logic_id: logic.id, payment: {} }, bearer(VIEWER_TOKEN)), 403, 'UNAUTHORIZED', NO_ACCESS);
  });

  test('reject needs a reason, then the logic is REJECTED with the reason in the audit trail, and can no longer be approved or released', async () => {
    const logic = await createLogic(j, { name: uniqueName('Rejected'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: CODE } });
    assertError(await act(j, logic.id, 'reject', {}, bearer(APPROVER_TOKEN)), 400, 'MISSING_MANDATORY_PARAMETER', undefined, 'reason');
    assertError(await act(j, logic.id, 'reject', { reason: '   ' }, bearer(APPROVER_TOKEN)), 400, 'MISSING_MANDATORY_PARAMETER', undefined, 'reason');
    assertError(await act(j, logic.id, 'reject', { reason: 'x'.repeat(501) }, bearer(APPROVER_TOKEN)), 400, 'INVALID_INPUT', undefined, 'reason');
    // Only an approver: not the admin, the viewer or the API key.
    assertError(await act(j, logic.id, 'reject', { reason: 'no' }, bearer(ADMIN_TOKEN)), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await act(j, logic.id, 'reject', { reason: 'no' }, bearer(VIEWER_TOKEN)), 403, 'UNAUTHORIZED', NO_ACCESS);
    assertError(await act(j, logic.id, 'reject', { reason: 'no' }, { basic: j.basic }), 403, 'UNAUTHORIZED', NO_ACCESS);
    // Nothing was written by the refusals.
    const untouched = await api(j, 'GET', `/v1/priority-logics/${logic.id}`);
    assert.equal(untouched.json.status, 'PENDING_APPROVAL');
    assert.equal(untouched.json.row_version, logic.row_version);

    const rejected = await actOk(j, logic.id, 'reject', { reason: 'Sends every card to SIM_BETA; we agreed on a 70/30 split.' }, bearer(APPROVER_TOKEN));
    assert.equal(rejected.logic.status, 'REJECTED');
    assert.equal(rejected.logic.status_label, 'Rejected');
    const audit = await api(j, 'GET', `/v1/priority-logics/audit?logic_id=${logic.id}`);
    assert.equal(audit.status, 200, audit.body);
    const entry = audit.json.entries.find((e: { action: string }) => e.action === 'REJECT');
    assert.ok(entry, JSON.stringify(audit.json.entries));
    assert.equal(entry.after.reason, 'Sends every card to SIM_BETA; we agreed on a 70/30 split.');
    assert.equal(entry.actor_role, 'APPROVER');

    assertError(await act(j, logic.id, 'approve', {}, bearer(APPROVER_TOKEN)), 400, 'INVALID_ACTION');
    assertError(await act(j, logic.id, 'reject', { reason: 'again' }, bearer(APPROVER_TOKEN)), 400, 'INVALID_ACTION');
    assertError(await act(j, logic.id, 'activate'), 400, 'INVALID_ACTION');
    assertError(await act(j, logic.id, 'fallback'), 400, 'INVALID_ACTION');
    // Copy to try again: a new version waiting for approval.
    const copy = await api(j, 'POST', `/v1/priority-logics/${logic.id}/copy`, { name: uniqueName('Second try') });
    assert.equal(copy.status, 201, copy.body);
    assert.equal(copy.json.status, 'PENDING_APPROVAL');
    // A rejected logic is listed under its status.
    const listed = await api(j, 'GET', '/v1/priority-logics?status=REJECTED&limit=500');
    assert.equal(listed.status, 200, listed.body);
    assert.ok(listed.json.logics.some((l: { id: string }) => l.id === logic.id));
  });

  test('only a logic waiting for approval can be rejected, and not by its creator', async () => {
    const rules = await createLogic(j, { name: uniqueName('Rules'), kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    assertError(await act(j, rules.id, 'reject', { reason: 'no' }, bearer(APPROVER_TOKEN)), 400, 'INVALID_ACTION');
    const logic = await createLogic(j, { name: uniqueName('Own'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: CODE } });
    await assert.rejects(
      j.priorityLogic.reject({ merchantId: 'demo_merchant', kind: 'USER', id: logic.created_by, role: 'APPROVER' }, logic.id, { version: logic.row_version }, 'mine'),
      (e: Error & { code?: string }) => e.code === 'UNAUTHORIZED',
    );
  });
});
