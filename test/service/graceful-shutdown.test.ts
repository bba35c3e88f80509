// Shutdown drains: a payment in flight when close() is called still completes and is recorded,
// new requests are refused, and the database is closed afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_KEY, DEMO_MERCHANT, VISA_OK, startTestApp } from '../helpers/test-app.ts';

// The client keeps its connection alive after the answer (fetch does). close() must not wait for
// that idle connection's keep-alive timeout: the server's is raised to 10 minutes here, so a
// close() that waited for it would run into this test's timeout and fail.
test('close() lets an in-flight payment finish and then closes the database', { timeout: 120_000 }, async () => {
  const junction = await startTestApp();
  for (const gateway of ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA']) {
    junction.simulator.forMerchant(DEMO_MERCHANT).patchProfile(gateway, { baseSuccessRate: 1, latency: { fixedMs: 400, jitterMs: 0 } });
  }
  junction.app.server.keepAliveTimeout = 600_000;
  await junction.app.listen({ port: 0, host: '127.0.0.1' });
  const address = junction.app.server.address();
  assert.ok(address && typeof address === 'object');
  const base = `http://127.0.0.1:${address.port}`;
  const auth = `Basic ${Buffer.from(`${DEMO_KEY}:`).toString('base64')}`;
  const headers = { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' };
  const created = await fetch(`${base}/orders`, { method: 'POST', headers, body: new URLSearchParams({ order_id: 'drain1', amount: '12.00' }) });
  assert.equal(created.status, 200);
  assert.equal((await fetch(`${base}/health`)).status, 200);

  const inFlight = fetch(`${base}/txns`, { method: 'POST', headers, body: new URLSearchParams({ order_id: 'drain1', merchant_id: 'demo_merchant', ...VISA_OK }) });
  await new Promise((resolve) => setTimeout(resolve, 100)); // the gateway call is under way
  const closing = junction.close();
  const answer = await inFlight;
  assert.equal(answer.status, 200);
  assert.equal((await answer.json()).status, 'CHARGED');
  await closing;
  await assert.rejects(fetch(`${base}/health`), 'the server no longer accepts connections');
  await assert.rejects(junction.db.query('SELECT 1'), 'the database is closed');
});
