// The outbox contract, on PGlite and (when DATABASE_URL is set) on PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from './db.ts';
import { migratedTestDatabases } from './test-databases.ts';
import { claimDueEvents, enqueueWebhookEvent, getEvent, listEvents, markDelivered, markFailedAttempt, redeliver } from './outbox-repository.ts';
import { buildWebhookEnvelope, type WebhookEventName } from '../core/webhook-events.ts';

async function addMerchant(db: Db, id: string): Promise<void> {
  await db.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ($1, $1, 'x', 'x')`, [id]);
}

function envelope(eventName: WebhookEventName, orderId = 'ord1') {
  const order = { order_id: orderId, status: 'CHARGED', status_id: 21 };
  return buildWebhookEnvelope({ eventName, order, ...(eventName.startsWith('TXN_') ? { txn: { txn_id: `m-${orderId}-1` } } : {}) });
}

const past = () => new Date(Date.now() - 60_000);

for (const engine of migratedTestDatabases('test_outbox')) {
  describe(`outbox repository (${engine.name})`, () => {
    let db: Db;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await engine.open());
      await addMerchant(db, 'm1');
      await addMerchant(db, 'm2');
    });
    after(async () => {
      await cleanup();
    });

    test('enqueue inside a committed transaction stores the envelope under its event id', async () => {
      const payload = envelope('ORDER_SUCCEEDED', 'commit1');
      const id = await db.transaction((tx) => enqueueWebhookEvent(tx, { merchantId: 'm1', eventName: 'ORDER_SUCCEEDED', payload, targetUrl: 'http://127.0.0.1:1/h' }));
      assert.equal(id, payload.id);
      const stored = await getEvent(db, 'm1', payload.id);
      assert.ok(stored);
      assert.equal(stored.status, 'PENDING');
      assert.equal(stored.attempts, 0);
      assert.deepEqual(stored.payload, payload);
      assert.equal(stored.targetUrl, 'http://127.0.0.1:1/h');
    });

    test('enqueue inside a transaction that rolls back leaves no event', async () => {
      const payload = envelope('ORDER_FAILED', 'rollback1');
      await assert.rejects(
        db.transaction(async (tx) => {
          await enqueueWebhookEvent(tx, { merchantId: 'm1', eventName: 'ORDER_FAILED', payload, targetUrl: 'http://127.0.0.1:1/h' });
          throw new Error('payment write failed');
        }),
        /payment write failed/,
      );
      assert.equal(await getEvent(db, 'm1', payload.id), null);
      assert.deepEqual(await listEvents(db, 'm1', { orderId: 'rollback1' }), []);
    });

    test('enqueue checks the envelope and honours the webhook version', async () => {
      const payload = envelope('TXN_CREATED', 'ver1');
      await assert.rejects(enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'TXN_FAILED', payload, targetUrl: 'http://x/h' }), /does not match/);
      await assert.rejects(enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'NOT_AN_EVENT', payload, targetUrl: 'http://x/h' }), /Unknown webhook event/);
      await assert.rejects(enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'TXN_CREATED', payload: { ...payload, id: 'x1' }, targetUrl: 'http://x/h' }), /evt_/);
      await assert.rejects(enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'TXN_CREATED', payload: { ...payload, content: {} }, targetUrl: 'http://x/h' }), /content\.order/);
      assert.equal(await enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'TXN_CREATED', payload, targetUrl: 'http://x/h', webhookVersion: '2016-01-01' }), null);
      assert.equal(await getEvent(db, 'm1', payload.id), null);
      assert.equal(await enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'TXN_CREATED', payload, targetUrl: 'http://x/h', webhookVersion: '2023-06-30' }), payload.id);
    });

    test('claims are exclusive, leased, and come back when the lease runs out', async () => {
      await db.query(`DELETE FROM outbox_events`);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const payload = envelope('ORDER_SUCCEEDED', `claim${i}`);
        ids.push(payload.id);
        await enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'ORDER_SUCCEEDED', payload, targetUrl: 'http://x/h', availableAt: past() });
      }
      const now = new Date();
      // Concurrent claims (really concurrent on PostgreSQL) never share an event.
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => claimDueEvents(db, { limit: 2, lockMs: 30_000, now })));
      const claimed = [...a!, ...b!, ...c!].map((e) => e.id);
      assert.equal(claimed.length, 6);
      assert.equal(new Set(claimed).size, 6);
      assert.deepEqual([...claimed].sort(), [...ids].sort());
      assert.deepEqual(await claimDueEvents(db, { limit: 10, lockMs: 30_000, now: new Date(now.getTime() + 29_999) }), []);
      const again = await claimDueEvents(db, { limit: 10, lockMs: 30_000, now: new Date(now.getTime() + 30_000) });
      assert.equal(again.length, 6, "a crashed worker's events are claimable once the lease passes");
    });

    test('not yet due events are not claimed', async () => {
      await db.query(`DELETE FROM outbox_events`);
      const payload = envelope('ORDER_SUCCEEDED', 'future');
      const at = new Date(Date.now() + 60_000);
      await enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'ORDER_SUCCEEDED', payload, targetUrl: 'http://x/h', availableAt: at });
      assert.deepEqual(await claimDueEvents(db, { limit: 10, lockMs: 1000, now: new Date(at.getTime() - 1) }), []);
      assert.equal((await claimDueEvents(db, { limit: 10, lockMs: 1000, now: at })).length, 1);
    });

    test('failed attempts reschedule, exhaust to FAILED, and ignore stale workers', async () => {
      const payload = envelope('ORDER_REFUNDED', 'fail1');
      await enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'ORDER_REFUNDED', payload, targetUrl: 'http://x/h', availableAt: past() });
      const next = new Date(Date.now() + 60_000);
      assert.equal(await markFailedAttempt(db, payload.id, { attemptsBefore: 0, nextAttemptAt: next, statusCode: 500, error: 'HTTP 500' }), true);
      // A second worker that claimed the same attempt (after a lease expiry) does not count twice.
      assert.equal(await markFailedAttempt(db, payload.id, { attemptsBefore: 0, nextAttemptAt: next, statusCode: 500, error: 'HTTP 500' }), false);
      let stored = (await getEvent(db, 'm1', payload.id))!;
      assert.equal(stored.status, 'PENDING');
      assert.equal(stored.attempts, 1);
      assert.equal(stored.nextAttemptAt.getTime(), next.getTime());
      assert.equal(stored.lastStatusCode, 500);
      assert.equal(stored.lastError, 'HTTP 500');
      assert.equal(await markFailedAttempt(db, payload.id, { attemptsBefore: 1, nextAttemptAt: null, statusCode: null, error: 'ECONNREFUSED' }), true);
      stored = (await getEvent(db, 'm1', payload.id))!;
      assert.equal(stored.status, 'FAILED');
      assert.equal(stored.attempts, 2);
      assert.equal(stored.lastStatusCode, null);
      assert.deepEqual(await claimDueEvents(db, { limit: 10, lockMs: 1000, now: new Date(Date.now() + 86_400_000) }).then((r) => r.filter((e) => e.id === payload.id)), []);
    });

    test('delivered events stay delivered; redeliver replays them (same id, fresh schedule), per merchant', async () => {
      const payload = envelope('ORDER_SUCCEEDED', 'replay1');
      await enqueueWebhookEvent(db, { merchantId: 'm1', eventName: 'ORDER_SUCCEEDED', payload, targetUrl: 'http://x/h', availableAt: past() });
      const at = new Date();
      await markDelivered(db, payload.id, { now: at, statusCode: 204 });
      let stored = (await getEvent(db, 'm1', payload.id))!;
      assert.equal(stored.status, 'DELIVERED');
      assert.equal(stored.attempts, 1);
      assert.equal(stored.deliveredAt?.getTime(), at.getTime());
      assert.equal(stored.lastStatusCode, 204);

      assert.equal(await redeliver(db, 'm2', payload.id), null, 'another merchant cannot replay it');
      const replayed = await redeliver(db, 'm1', payload.id, { now: at });
      assert.ok(replayed);
      assert.equal(replayed.id, payload.id);
      assert.equal(replayed.status, 'PENDING');
      assert.equal(replayed.attempts, 0);
      assert.equal(replayed.deliveredAt, null);
      const claimed = await claimDueEvents(db, { limit: 100, lockMs: 1000, now: at });
      assert.ok(claimed.some((e) => e.id === payload.id));
      stored = (await getEvent(db, 'm1', payload.id))!;
      assert.deepEqual(stored.payload, payload);
    });

    test('listEvents filters by status, event, order id and merchant, newest first', async () => {
      await db.query(`DELETE FROM outbox_events`);
      const first = envelope('TXN_CREATED', 'list1');
      const second = envelope('TXN_CHARGED', 'list1');
      const third = envelope('ORDER_SUCCEEDED', 'list2');
      const other = envelope('ORDER_SUCCEEDED', 'list1');
      for (const [merchantId, payload, minutesAgo] of [
        ['m1', first, 3],
        ['m1', second, 2],
        ['m1', third, 1],
        ['m2', other, 0],
      ] as const) {
        await enqueueWebhookEvent(db, { merchantId, eventName: payload.event_name, payload, targetUrl: 'http://x/h' });
        await db.query(`UPDATE outbox_events SET created_at = now() - ($2 || ' minutes')::interval WHERE id = $1`, [payload.id, String(minutesAgo)]);
      }
      await markDelivered(db, second.id, { now: new Date(), statusCode: 200 });
      assert.deepEqual(
        (await listEvents(db, 'm1')).map((e) => e.id),
        [third.id, second.id, first.id],
      );
      assert.deepEqual(
        (await listEvents(db, 'm1', { orderId: 'list1' })).map((e) => e.id),
        [second.id, first.id],
      );
      assert.deepEqual(
        (await listEvents(db, 'm1', { status: 'PENDING' })).map((e) => e.id),
        [third.id, first.id],
      );
      assert.deepEqual(
        (await listEvents(db, 'm1', { eventName: 'TXN_CHARGED' })).map((e) => e.id),
        [second.id],
      );
      assert.deepEqual(
        (await listEvents(db, 'm1', { limit: 1 })).map((e) => e.id),
        [third.id],
      );
      const page2 = await listEvents(db, 'm1', { createdBefore: (await getEvent(db, 'm1', second.id))!.createdAt });
      assert.deepEqual(
        page2.map((e) => e.id),
        [first.id],
      );
      assert.deepEqual(
        (await listEvents(db, 'm2')).map((e) => e.id),
        [other.id],
      );
    });
  });
}
