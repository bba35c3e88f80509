// A logic's success-rate ranking mode goes through the API like every other field: create, view,
// copy, export and import; a bad mode names the field.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, createLogic, defaultLogic, startPlApp, uniqueName } from './pl-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(() => j.close());

test('ranking is created, shown, copied and exported with the logic', async () => {
  const logic = await createLogic(j, defaultLogic(uniqueName('ranked'), ['SIM_ALPHA', 'SIM_BETA'], { ranking: { mode: 'WITHIN_LOGIC' } }));
  assert.deepEqual(logic.ranking, { mode: 'WITHIN_LOGIC' });
  const plain = await createLogic(j, defaultLogic(uniqueName('plain'), ['SIM_ALPHA']));
  assert.deepEqual(plain.ranking, { mode: 'OFF' });
  const copy = await api(j, 'POST', `/v1/priority-logics/${logic.id}/copy`, { name: uniqueName('ranked copy'), ranking: { mode: 'ALL_ELIGIBLE' } });
  assert.equal(copy.status, 201, copy.body);
  assert.deepEqual(copy.json.ranking, { mode: 'ALL_ELIGIBLE' });
  const exported = await api(j, 'GET', `/v1/priority-logics/${logic.id}/export`);
  assert.deepEqual(exported.json.ranking, { mode: 'WITHIN_LOGIC' });
});

test('a bad ranking mode is refused naming the field', async () => {
  const res = await api(j, 'POST', '/v1/priority-logics', defaultLogic(uniqueName('bad ranking'), ['SIM_ALPHA'], { ranking: { mode: 'SOMETIMES' } }));
  assert.equal(res.status, 400, res.body);
  const fields = (res.json.error_info.fields as Array<{ field_name: string }>).map((f) => f.field_name);
  assert.ok(
    fields.some((f) => f.startsWith('ranking')),
    JSON.stringify(fields),
  );
});
