// GET /v1/priority-logics/{id}/versions: a logic's lineage for History's Compare versions: the
// logics it was copied from and every copy made from any of them, oldest version first, deleted
// ones left out, only the merchant's own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSecondMerchant } from '../helpers/api-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { api, createLogic, defaultLogic, startPlApp, uniqueName } from './pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});

async function copy(id: string, version: number, gateways: string[]): Promise<any> {
  const r = await api(j, 'POST', `/v1/priority-logics/${id}/copy`, { name: uniqueName('Copy'), version, defaultGateways: gateways.map((gateway) => ({ gateway })) });
  assert.equal(r.status, 201, r.body);
  return r.json;
}

test('every version of the lineage, from any of them; deleted copies and unrelated logics left out; 404 for another merchant', async () => {
  const a = await createLogic(j, defaultLogic(uniqueName('Root'), ['SIM_ALPHA']));
  const b = await copy(a.id, a.row_version, ['SIM_BETA']);
  const c = await copy(b.id, b.row_version, ['SIM_GAMMA']);
  const d = await copy(a.id, a.row_version, ['SIM_DELTA']);
  const gone = await copy(d.id, d.row_version, ['SIM_ALPHA', 'SIM_BETA']);
  assert.equal((await api(j, 'DELETE', `/v1/priority-logics/${gone.id}`, { version: gone.row_version })).status, 200);
  const unrelated = await createLogic(j, defaultLogic(uniqueName('Other'), ['SIM_ALPHA']));

  for (const from of [a, b, c, d]) {
    const r = await api(j, 'GET', `/v1/priority-logics/${from.id}/versions`);
    assert.equal(r.status, 200, r.body);
    const ids = r.json.versions.map((l: { id: string }) => l.id);
    assert.deepEqual(new Set(ids), new Set([a.id, b.id, c.id, d.id]), `from ${from.name}`);
    assert.deepEqual(
      r.json.versions.map((l: { version: number }) => l.version),
      [1, 2, 2, 3],
    );
    assert.ok(!ids.includes(unrelated.id) && !ids.includes(gone.id));
  }
  const alone = await api(j, 'GET', `/v1/priority-logics/${unrelated.id}/versions`);
  assert.deepEqual(
    alone.json.versions.map((l: { id: string }) => l.id),
    [unrelated.id],
  );

  const other = await createSecondMerchant(j);
  assert.equal((await api(j, 'GET', `/v1/priority-logics/${c.id}/versions`, undefined, { basic: other.auth })).status, 404);
});
