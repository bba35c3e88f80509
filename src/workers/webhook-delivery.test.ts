// The delivery worker against a real HTTP receiver on 127.0.0.1, on PGlite and (when
// DATABASE_URL is set) on PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDb, type Db } from '../storage/db.ts';
import { claimDueEvents, enqueueWebhookEvent, getEvent, listEvents } from '../storage/outbox-repository.ts';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS, buildWebhookEnvelope, type WebhookEnvelope } from '../core/webhook-events.ts';
import { createWebhookDeliveryWorker, type MerchantWebhookConfig, type WebhookDeliveryWorkerOptions } from './webhook-delivery.ts';

const HMAC_KEY = 'whsec_test_key_0123456789';
const CONFIG: MerchantWebhookConfig = { username: 'merchant_user', password: 's3cret:pass', hmacKey: HMAC_KEY, customHeaders: { 'X-Merchant-Tag': 'blue' } };

// ---- receiver ---------------------------------------------------------------------------------

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

class Receiver {
  readonly requests: Received[] = [];
  status = 200;
  delayMs = 0;
  /** Clock used to stamp requests (the worker's injected clock). */
  clock: () => number = Date.now;
  onRequest: (() => void) | undefined;
  private server: Server | undefined;
  port = 0;

  async up(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: this.clock() });
        this.onRequest?.();
        setTimeout(() => {
          res.statusCode = this.status;
          res.end('ok');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhooks`;
  }

  ids(): string[] {
    return this.requests.map((r) => String(r.headers['x-junction-event-id']));
  }
}

// ---- engines ----------------------------------------------------------------------------------

interface Engine {
  name: string;
  /** Opens the same database each time (a restart reopens what the previous process left). */
  open(): Promise<Db>;
  cleanup(): Promise<void>;
}

async function engines(): Promise<Engine[]> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-outbox-'));
  const list: Engine[] = [{ name: 'pglite', open: () => openDb({ dataDir: dir }), cleanup: () => rm(dir, { recursive: true, force: true }) }];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const schema = `test_outbox_${randomBytes(6).toString('hex')}`;
    list.push({
      name: 'postgres',
      open: () => openDb({ databaseUrl, schema }),
      async cleanup() {
        const admin = await openDb({ databaseUrl });
        try {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await admin.close();
        }
      },
    });
  }
  return list;
}

async function addMerchant(db: Db, id: string): Promise<void> {
  await db.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ($1, $1, 'x', 'x') ON CONFLICT (id) DO NOTHING`, [id]);
}

async function enqueue(db: Db, merchantId: string, url: string, orderId: string, availableAt?: Date): Promise<WebhookEnvelope> {
  const payload = buildWebhookEnvelope({ eventName: 'ORDER_SUCCEEDED', order: { order_id: orderId, status: 'CHARGED', status_id: 21, amount: 100.5 } });
  await db.transaction((tx) => enqueueWebhookEvent(tx, { merchantId, eventName: 'ORDER_SUCCEEDED', payload, targetUrl: url, ...(availableAt ? { availableAt } : {}) }));
  return payload;
}

function verifySignature(header: string, body: string, key: string): { ok: boolean; t: number } {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return { ok: false, t: 0 };
  const expected = createHmac('sha256', key).update(`${match[1]}.${body}`).digest('hex');
  return { ok: expected === match[2], t: Number(match[1]) };
}

/** A clock the test moves by hand, starting a little ahead of the database's now(). */
function manualClock(start = Date.now() + 1000) {
  let t = start;
  return { now: () => t, set: (ms: number) => void (t = ms), advance: (ms: number) => void (t += ms) };
}

const engineList = await engines();

for (const engine of engineList) {
  describe(`webhook delivery worker (${engine.name})`, () => {
    let db: Db;
    const receiver = new Receiver();

    before(async () => {
      db = await engine.open();
      await migrate(db);
      await receiver.up(0);
    });
    after(async () => {
      await receiver.down();
      await db.close();
      await engine.cleanup();
    });

    function worker(clock: { now: () => number }, extra: Partial<WebhookDeliveryWorkerOptions> = {}) {
      return createWebhookDeliveryWorker({
        db,
        loadMerchantWebhookConfig: async () => CONFIG,
        now: clock.now,
        pollIntervalMs: 20,
        concurrency: 4,
        timeoutMs: 2000,
        ...extra,
      });
    }

    test('delivers with Basic auth, custom headers, event id and a verifiable signature', async () => {
      await addMerchant(db, 'm_headers');
      receiver.requests.length = 0;
      receiver.status = 200;
      const clock = manualClock();
      const payload = await enqueue(db, 'm_headers', receiver.url, 'hdr1');
      const results = await worker(clock).runOnce();
      assert.deepEqual(
        results.map((r) => [r.eventId, r.outcome, r.statusCode]),
        [[payload.id, 'DELIVERED', 200]],
      );

      assert.equal(receiver.requests.length, 1);
      const { headers, body } = receiver.requests[0]!;
      assert.equal(headers.authorization, `Basic ${Buffer.from('merchant_user:s3cret:pass').toString('base64')}`);
      assert.equal(headers['content-type'], 'application/json');
      assert.equal(headers['x-merchant-tag'], 'blue');
      assert.equal(headers['x-junction-event-id'], payload.id);
      assert.equal(headers['x-junction-event-name'], 'ORDER_SUCCEEDED');
      assert.equal(headers['x-junction-delivery-attempt'], '1');
      const signature = verifySignature(String(headers['x-junction-signature']), body, HMAC_KEY);
      assert.ok(signature.ok, 'HMAC-SHA256 of "t.body" matches');
      assert.equal(signature.t, Math.floor(clock.now() / 1000));
      assert.equal(verifySignature(String(headers['x-junction-signature']), body, 'wrong key').ok, false);
      assert.deepEqual(JSON.parse(body), payload);

      const stored = (await getEvent(db, 'm_headers', payload.id))!;
      assert.equal(stored.status, 'DELIVERED');
      assert.equal(stored.attempts, 1);
      assert.equal(stored.deliveredAt?.getTime(), clock.now());
    });

    test('no Authorization header without a username', async () => {
      await addMerchant(db, 'm_noauth');
      receiver.requests.length = 0;
      const clock = manualClock();
      await enqueue(db, 'm_noauth', receiver.url, 'noauth1');
      await worker(clock, { loadMerchantWebhookConfig: async () => ({ hmacKey: HMAC_KEY }) }).runOnce();
      assert.equal(receiver.requests.length, 1);
      assert.equal(receiver.requests[0]!.headers.authorization, undefined);
    });

    test('retries follow the schedule (original + 16 retries), then the event is FAILED', async () => {
      await addMerchant(db, 'm_retry');
      receiver.requests.length = 0;
      receiver.status = 503;
      const clock = manualClock();
      receiver.clock = clock.now;
      const payload = await enqueue(db, 'm_retry', receiver.url, 'retry1', new Date(clock.now()));
      const w = worker(clock);
      const outcomes: string[] = [];
      for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
        const results = (await w.runOnce()).filter((r) => r.eventId === payload.id);
        assert.equal(results.length, 1, `attempt ${attempt} runs when due`);
        outcomes.push(results[0]!.outcome);
        const stored = (await getEvent(db, 'm_retry', payload.id))!;
        assert.equal(stored.attempts, attempt);
        assert.equal(stored.lastStatusCode, 503);
        if (attempt < WEBHOOK_MAX_ATTEMPTS) {
          assert.equal(stored.status, 'PENDING');
          const due = stored.nextAttemptAt.getTime();
          assert.equal(due - clock.now(), WEBHOOK_RETRY_DELAYS_MS[attempt - 1]);
          clock.set(due - 1);
          assert.deepEqual(
            (await w.runOnce()).filter((r) => r.eventId === payload.id),
            [],
            'nothing before it is due',
          );
          clock.set(due);
        } else {
          assert.equal(stored.status, 'FAILED');
        }
      }
      assert.deepEqual(outcomes, [...Array<string>(16).fill('RETRY'), 'FAILED']);
      const mine = receiver.requests.filter((r) => r.headers['x-junction-event-id'] === payload.id);
      assert.equal(mine.length, 17);
      assert.deepEqual(
        mine.map((r) => r.headers['x-junction-delivery-attempt']),
        Array.from({ length: 17 }, (_, i) => String(i + 1)),
      );
      const gaps = mine.slice(1).map((r, i) => r.at - mine[i]!.at);
      assert.deepEqual(gaps, [...WEBHOOK_RETRY_DELAYS_MS]);
      assert.equal(mine[16]!.at - mine[0]!.at, 24 * 3600_000 + 60_000);
      // Every attempt carries the same event id and body; the signature is fresh each time.
      assert.equal(new Set(mine.map((r) => r.body)).size, 1);
      clock.advance(7 * 24 * 3600_000);
      assert.deepEqual(
        (await w.runOnce()).filter((r) => r.eventId === payload.id),
        [],
        'a FAILED event is never retried',
      );
      receiver.status = 200;
      receiver.clock = Date.now;
    });

    test('network errors and timeouts count as failed attempts', async () => {
      await addMerchant(db, 'm_net');
      const clock = manualClock();
      const refused = await enqueue(db, 'm_net', 'http://127.0.0.1:1/nothing-listens-here', 'net1');
      receiver.delayMs = 1000;
      const slow = await enqueue(db, 'm_net', receiver.url, 'net2');
      const results = await worker(clock, { timeoutMs: 100 }).runOnce();
      receiver.delayMs = 0;
      const byId = new Map(results.map((r) => [r.eventId, r]));
      assert.equal(byId.get(refused.id)?.outcome, 'RETRY');
      assert.equal(byId.get(refused.id)?.statusCode, null);
      assert.equal(byId.get(slow.id)?.outcome, 'RETRY');
      assert.match(byId.get(slow.id)?.error ?? '', /timeout|abort/i);
      const stored = (await getEvent(db, 'm_net', slow.id))!;
      assert.equal(stored.nextAttemptAt.getTime(), clock.now() + 60_000);
      assert.match(stored.lastError ?? '', /timeout|abort/i);
    });

    test('a failing config loader is a failed attempt, not a lost event', async () => {
      await addMerchant(db, 'm_cfg');
      const clock = manualClock();
      const payload = await enqueue(db, 'm_cfg', receiver.url, 'cfg1');
      const results = await worker(clock, {
        loadMerchantWebhookConfig: async () => {
          throw new Error('cannot decrypt');
        },
      }).runOnce();
      assert.equal(results.find((r) => r.eventId === payload.id)?.outcome, 'RETRY');
      assert.equal((await getEvent(db, 'm_cfg', payload.id))!.status, 'PENDING');
    });

    test('stop() waits for in-flight deliveries (graceful shutdown)', async () => {
      await addMerchant(db, 'm_stop');
      receiver.requests.length = 0;
      receiver.status = 200;
      receiver.delayMs = 300;
      const payload = await enqueue(db, 'm_stop', receiver.url, 'stop1');
      const arrived = new Promise<void>((resolve) => (receiver.onRequest = resolve));
      const w = createWebhookDeliveryWorker({ db, loadMerchantWebhookConfig: async () => CONFIG, pollIntervalMs: 20, concurrency: 2, timeoutMs: 5000 });
      w.start();
      await arrived;
      receiver.onRequest = undefined;
      await w.stop();
      receiver.delayMs = 0;
      assert.equal((await getEvent(db, 'm_stop', payload.id))!.status, 'DELIVERED', 'recorded before stop() resolved');
      // An idle worker stops promptly too.
      const idle = createWebhookDeliveryWorker({ db, loadMerchantWebhookConfig: async () => CONFIG, pollIntervalMs: 60_000 });
      idle.start();
      await new Promise((r) => setTimeout(r, 50));
      const t = Date.now();
      await idle.stop();
      assert.ok(Date.now() - t < 1000);
    });

    test('the running worker delivers what is enqueued while it runs', async () => {
      await addMerchant(db, 'm_loop');
      receiver.requests.length = 0;
      const w = createWebhookDeliveryWorker({ db, loadMerchantWebhookConfig: async () => CONFIG, pollIntervalMs: 10, concurrency: 3 });
      w.start();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await enqueue(db, 'm_loop', receiver.url, `loop${i}`)).id);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && (await listEvents(db, 'm_loop', { status: 'DELIVERED' })).length < 7) await new Promise((r) => setTimeout(r, 20));
      await w.stop();
      assert.equal((await listEvents(db, 'm_loop', { status: 'DELIVERED' })).length, 7);
      assert.deepEqual([...new Set(receiver.ids())].sort(), [...ids].sort());
    });

    test('a slow merchant holds one slot, not the whole worker', async () => {
      await addMerchant(db, 'm_pool');
      receiver.status = 200;
      let releaseSlow: () => void = () => undefined;
      const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
      const fetchImpl: WebhookDeliveryWorkerOptions['fetchImpl'] = async (url, init) => {
        if (url.endsWith('?slow')) await slowGate;
        return fetch(url, init);
      };
      const slow = await enqueue(db, 'm_pool', `${receiver.url}?slow`, 'pool0', new Date(Date.now() - 10_000));
      const fast: string[] = [];
      for (let i = 1; i <= 4; i++) fast.push((await enqueue(db, 'm_pool', receiver.url, `pool${i}`)).id);
      const w = createWebhookDeliveryWorker({ db, loadMerchantWebhookConfig: async () => CONFIG, fetchImpl, pollIntervalMs: 10, concurrency: 2 });
      w.start();
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && (await listEvents(db, 'm_pool', { status: 'DELIVERED' })).length < 4) await new Promise((r) => setTimeout(r, 20));
      const deliveredWhileSlow = (await listEvents(db, 'm_pool', { status: 'DELIVERED' })).map((e) => e.id).sort();
      releaseSlow();
      await w.stop();
      assert.deepEqual(deliveredWhileSlow, [...fast].sort());
      assert.equal((await getEvent(db, 'm_pool', slow.id))!.status, 'DELIVERED');
    });

    // Last: it closes and reopens the database.
    test('nothing is lost across a restart: receiver down, worker killed mid-way, reopened, all delivered', async () => {
      await addMerchant(db, 'm_restart');
      await db.query(`DELETE FROM outbox_events`); // leftovers of earlier tests would share the batches
      receiver.requests.length = 0;
      receiver.status = 200;
      await receiver.down();
      const url = receiver.url; // same port once it comes back
      const clock = manualClock();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await enqueue(db, 'm_restart', url, `restart${i}`, new Date(clock.now()))).id);

      // First process: two attempts fail (receiver down), two more are claimed by a worker
      // that "crashes" before recording anything.
      const first = worker(clock, { concurrency: 2 });
      const failed = await first.runOnce();
      assert.deepEqual(
        failed.map((r) => r.outcome),
        ['RETRY', 'RETRY'],
      );
      const orphaned = await claimDueEvents(db, { limit: 2, lockMs: 90_000, now: new Date(clock.now()) });
      assert.equal(orphaned.length, 2);
      await first.stop();
      await db.close();

      // Second process, later: same database, receiver back up.
      db = await engine.open();
      await migrate(db);
      await receiver.up(receiver.port);
      clock.advance(60_000);
      const second = worker(clock, { concurrency: 4 });
      // Before the crashed worker's lease passes, its events wait; the others go.
      let results = await second.runOnce();
      assert.equal(results.length, 4);
      assert.ok(results.every((r) => r.outcome === 'DELIVERED'));
      assert.ok(orphaned.every((o) => !results.some((r) => r.eventId === o.id)));
      clock.advance(30_000);
      results = await second.runOnce();
      assert.deepEqual(results.map((r) => r.eventId).sort(), orphaned.map((o) => o.id).sort());
      assert.deepEqual(await second.runOnce(), []);
      await second.stop();

      const delivered = await listEvents(db, 'm_restart', { status: 'DELIVERED' });
      assert.deepEqual(delivered.map((e) => e.id).sort(), [...ids].sort());
      const received = receiver.ids();
      assert.deepEqual([...new Set(received)].sort(), [...ids].sort(), 'every event arrived, under its original id');
      for (const r of receiver.requests) assert.equal(JSON.parse(r.body).id, r.headers['x-junction-event-id']);
    });
  });
}
