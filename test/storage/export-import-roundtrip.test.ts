// Leaving the embedded default (issue 15, item 5): a merchant's whole state, made through the real
// API on PGlite, is exported, imported into PostgreSQL (DATABASE_URL / TEST_DATABASE_URL; a second
// PGlite without one), exported again, and the two files compared row for row; then back from
// PostgreSQL into a fresh PGlite.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrate, openDb, type Db } from '../../src/storage/db.ts';
import { exportData } from '../../src/storage/transfer/export-data.ts';
import { importData } from '../../src/storage/transfer/import-data.ts';
import { EXPORTED_TABLES } from '../../src/storage/transfer/transfer-plan.ts';
import { DEMO_MERCHANT, startTestApp, testDatabaseUrl, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';
import { act, createLogic, defaultLogic, uniqueName, api } from '../priority-logic/pl-helpers.ts';
import { dashOk, figures } from '../dashboard-api/dashboard-helpers.ts';

async function exportLines(db: Db, merchantId?: string): Promise<string[]> {
  const lines: string[] = [];
  await exportData(db, { ...(merchantId ? { merchantId } : {}), write: (line) => void lines.push(line) });
  return lines;
}

/** The file without what names the moment and the source of the export. */
function comparable(lines: string[]): string[] {
  const header = JSON.parse(lines[0]!) as Record<string, unknown>;
  delete header.exported_at;
  delete header.source_engine;
  return [JSON.stringify(header), ...lines.slice(1)];
}

function rowCounts(lines: string[]): Record<string, number> {
  return (JSON.parse(lines[lines.length - 1]!) as { rows: Record<string, number> }).rows;
}

const databaseUrl = testDatabaseUrl();
const schemas: string[] = [];
const opened: Db[] = [];

async function emptyTarget(kind: 'pglite' | 'postgres'): Promise<Db> {
  let db: Db;
  if (kind === 'postgres' && databaseUrl) {
    const schema = `test_transfer_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    db = await openDb({ databaseUrl, schema, poolSize: 2 });
  } else {
    db = await openDb({ dataDir: 'memory://' });
  }
  opened.push(db);
  await migrate(db);
  return db;
}

let source: TestApp;
let original: string[];

before(async () => {
  source = await startTestApp({}, { engine: 'pglite' });
  setAllGateways(source);
  const webhookUrl = 'http://127.0.0.1:9/hooks';
  // Orders: charged and refunded (partly), charged, and one left NEW.
  const refunded = await createOrderOk(source, { amount: '120.00', 'metadata.webhook_url': webhookUrl });
  assert.equal((await payByCard(source, refunded)).json.status, 'CHARGED');
  const refund = await post(source, `/orders/${refunded}/refunds`, { unique_request_id: `r_${refunded}`, amount: '20.00' }, { asForm: true });
  assert.equal(refund.status, 200, refund.body);
  const charged = await createOrderOk(source, { amount: '45.50', 'metadata.webhook_url': webhookUrl });
  assert.equal((await payByCard(source, charged)).json.status, 'CHARGED');
  await createOrderOk(source, { amount: '9.99' });
  // A logic with two versions (the copy is version 2), the copy active.
  const first = await createLogic(source, defaultLogic(uniqueName('Transfer'), ['SIM_ALPHA', 'SIM_BETA']));
  const copy = await api(source, 'POST', `/v1/priority-logics/${first.id}/copy`, { name: uniqueName('Transfer v2') });
  assert.equal(copy.status, 201, copy.body);
  assert.equal((await act(source, copy.json.id, 'activate')).status, 200);
  // Analytics rows from the payments: the rollup takes closed hours only, so the first payment is
  // moved two days back (its order, transaction and refund together).
  for (const table of ['orders', 'txns', 'refunds']) {
    const column = table === 'orders' ? 'order_id' : 'order_pk';
    const where = table === 'orders' ? 'order_id = $1' : `${column} = (SELECT id FROM orders WHERE order_id = $1)`;
    await source.db.query(`UPDATE ${table} SET created_at = created_at - interval '2 days', updated_at = updated_at - interval '2 days' WHERE merchant_id = $2 AND ${where}`, [
      refunded,
      DEMO_MERCHANT,
    ]);
  }
  await source.analyticsRollup.runOnce({ lagMs: 0, full: true });
  original = await exportLines(source.db, DEMO_MERCHANT);
  assert.ok((await orderStatus(source, refunded)).json.refunds.length === 1);
});

after(async () => {
  await source?.close();
  for (const db of opened) await db.close().catch(() => undefined);
  if (databaseUrl && schemas.length > 0) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
});

describe(`export and import, PGlite -> ${databaseUrl ? 'PostgreSQL' : 'PGlite (no DATABASE_URL)'} -> PGlite`, () => {
  test('the export holds every kind of state the brief names', () => {
    const rows = rowCounts(original);
    for (const table of [
      'merchants',
      'api_keys',
      'gateway_accounts',
      'orders',
      'txns',
      'refunds',
      'outbox_events',
      'priority_logics',
      'merchant_routing',
      'priority_logic_audit',
      'analytics_hourly',
      'analytics_daily',
      'users',
      'simulator_ledger',
    ]) {
      assert.ok((rows[table] ?? 0) > 0, `${table} has rows in the export (${JSON.stringify(rows)})`);
    }
    assert.equal(rows.orders, 3);
    assert.equal(rows.refunds, 1);
    const versions = original
      .filter((l) => l.startsWith('{"t":"priority_logics"'))
      .map((l) => (JSON.parse(l) as { r: { version: number } }).r.version)
      .sort();
    assert.deepEqual(versions, [1, 2]);
    // Everything in a merchant's export is that merchant's; no operator-wide table is in it.
    assert.ok(!original.some((l) => l.startsWith('{"t":"gateway_status_overrides"')));
  });

  test('no card number or CVV in clear, API keys as their hashes', () => {
    const text = original.join('\n');
    assert.ok(!text.includes('4111111111111111'), 'no card number');
    assert.ok(!/"card_security_code"|"cvv"/.test(text), 'no CVV field');
    assert.ok(!text.includes('test_demo_key_0001'), 'the API key itself is never exported');
  });

  test('round trip: the second export equals the first, row for row, both ways', async () => {
    const target = await emptyTarget('postgres');
    const imported = await importData(target, original);
    assert.deepEqual(imported.merchants, [DEMO_MERCHANT]);
    assert.deepEqual(imported.rows, rowCounts(original));
    const again = await exportLines(target, DEMO_MERCHANT);
    assert.deepEqual(comparable(again), comparable(original));

    const back = await emptyTarget('pglite');
    await importData(back, again);
    assert.deepEqual(comparable(await exportLines(back, DEMO_MERCHANT)), comparable(original));
  });

  test('the imported merchant works: its API key and orders answer on the target', async () => {
    const target = await emptyTarget('postgres');
    await importData(target, original);
    const keysBefore = await target.query('SELECT id FROM api_keys');
    // The test app seeds the demo merchant with its fixed key: it adds none when the imported hash already authenticates that key.
    const j = await startTestApp({}, { db: target });
    try {
      assert.deepEqual(await target.query('SELECT id FROM api_keys'), keysBefore);
      const orderLine = original.find((l) => l.startsWith('{"t":"orders"'))!;
      const orderId = (JSON.parse(orderLine) as { r: { order_id: string } }).r.order_id;
      const status = await orderStatus(j, orderId);
      assert.equal(status.status, 200, status.body);
      assert.equal(status.json.order_id, orderId);
      // The report-grain analytics tables are not exported: the target's next rollup derives them,
      // and the dashboard then answers what the source's did.
      for (const derived of ['analytics_hourly_report', 'analytics_daily_report', 'analytics_daily_values']) {
        assert.ok(!original.some((l) => l.startsWith(`{"t":"${derived}"`)), `${derived} is derived, not exported`);
      }
      await j.analyticsRollup.runOnce({ lagMs: 0 });
      const [report] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_daily_report');
      assert.ok(Number(report!.n) > 0, 'the rollup rebuilt the report tables on the target');
      const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      const url = `/v1/dashboard/analytics?from=${new Date(to.getTime() - 7 * 86_400_000).toISOString()}&to=${to.toISOString()}&bucket=day`;
      assert.deepEqual(figures(await dashOk(j, url)), figures(await dashOk(source, url)));
    } finally {
      await j.close();
    }
  });

  test('every table of the plan is in a whole-database export, in dependency order', async () => {
    const lines = await exportLines(source.db);
    const header = JSON.parse(lines[0]!) as { merchant_id: string | null; tables: Array<{ name: string }> };
    assert.equal(header.merchant_id, null);
    assert.deepEqual(
      header.tables.map((t) => t.name),
      EXPORTED_TABLES.map((t) => t.name),
    );
    const target = await emptyTarget('postgres');
    await importData(target, lines);
    assert.deepEqual(comparable(await exportLines(target)), comparable(lines));
  });
});
