import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_MAX_RETRIES,
  WEBHOOK_RETRY_DELAYS_MS,
  buildEvent,
  buildLogicEventEnvelope,
  buildWebhookEnvelope,
  isEventInWebhookVersion,
  nextWebhookAttemptAt,
  resolveWebhookTarget,
  webhookEventsForVersion,
} from './webhook-events.ts';
import { URL_PATTERN } from './payments/input.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

test("the ten Juspay event names, Junction's four risk review events and its two release-guard events", () => {
  assert.deepEqual([...WEBHOOK_EVENT_NAMES].sort(), [
    'AUTO_REFUND_FAILED',
    'AUTO_REFUND_SUCCEEDED',
    'ORDER_FAILED',
    'ORDER_REFUNDED',
    'ORDER_REFUND_FAILED',
    'ORDER_SUCCEEDED',
    'PRIORITY_LOGIC_PROMOTED',
    'PRIORITY_LOGIC_ROLLED_BACK',
    'REFUND_MANUAL_REVIEW_NEEDED',
    'TXN_CHARGED',
    'TXN_CREATED',
    'TXN_FAILED',
    'TXN_MANUAL_REVIEW_NEEDED',
    'TXN_REVIEW_APPROVED',
    'TXN_REVIEW_EXPIRED',
    'TXN_REVIEW_REJECTED',
  ]);
});

test('a release-guard event carries the logic and the guard, not an order; the order envelope refuses it', () => {
  const envelope = buildLogicEventEnvelope('PRIORITY_LOGIC_ROLLED_BACK', { priorityLogic: { id: 'pl_1' }, releaseGuard: { state: 'ROLLED_BACK' } }, Date.UTC(2026, 11, 4, 10, 0, 0, 500));
  assert.match(envelope.id, /^evt_/);
  assert.equal(envelope.date_created, '2026-12-04T10:00:00Z');
  assert.deepEqual(envelope.content, { priority_logic: { id: 'pl_1' }, release_guard: { state: 'ROLLED_BACK' } });
  assert.throws(() => buildWebhookEnvelope({ eventName: 'PRIORITY_LOGIC_PROMOTED', order: {} }), /buildLogicEventEnvelope/);
  assert.throws(() => buildLogicEventEnvelope('ORDER_SUCCEEDED', { priorityLogic: {}, releaseGuard: {} }), /not an event about a Priority Logic/);
});

test('envelope: evt_ id, event name, second-precision UTC date, order and txn content', () => {
  const order = { order_id: 'ord1', status: 'CHARGED', status_id: 21 };
  const txn = { txn_id: 'm-ord1-1', status: 'CHARGED' };
  const envelope = buildWebhookEnvelope({ eventName: 'TXN_CHARGED', order, txn, now: Date.UTC(2024, 0, 31, 10, 42, 25, 789) });
  assert.match(envelope.id, /^evt_[0-9a-f]{24}$/);
  assert.equal(envelope.event_name, 'TXN_CHARGED');
  assert.equal(envelope.date_created, '2024-01-31T10:42:25Z');
  assert.deepEqual(envelope.content, { order, txn });

  const orderOnly = buildWebhookEnvelope({ eventName: 'ORDER_SUCCEEDED', order });
  assert.deepEqual(Object.keys(orderOnly.content), ['order']);
  assert.notEqual(orderOnly.id, envelope.id);
});

test("buildEvent: the payment code's shorthand takes a Date", () => {
  const envelope = buildEvent('ORDER_FAILED', { order: { order_id: 'o' } }, new Date(Date.UTC(2024, 1, 2, 3, 4, 5)));
  assert.equal(envelope.event_name, 'ORDER_FAILED');
  assert.equal(envelope.date_created, '2024-02-02T03:04:05Z');
  assert.deepEqual(envelope.content, { order: { order_id: 'o' } });
});

test('envelope: TXN_* events require the transaction', () => {
  assert.throws(() => buildWebhookEnvelope({ eventName: 'TXN_CREATED', order: {} }), /content\.txn/);
  assert.throws(() => buildWebhookEnvelope({ eventName: 'NOPE' as 'ORDER_FAILED', order: {} }), /Unknown webhook event/);
});

test('retry schedule: original delivery then 16 retries (1m, 5m x2, 10m x5, 1h x5, 6h x3)', () => {
  assert.equal(WEBHOOK_MAX_RETRIES, 16);
  assert.equal(WEBHOOK_MAX_ATTEMPTS, 17);
  assert.deepEqual(WEBHOOK_RETRY_DELAYS_MS, [MIN, 5 * MIN, 5 * MIN, 10 * MIN, 10 * MIN, 10 * MIN, 10 * MIN, 10 * MIN, HOUR, HOUR, HOUR, HOUR, HOUR, 6 * HOUR, 6 * HOUR, 6 * HOUR]);

  // Juspay's worked example: original at 11:00, retries at 11:01, 11:06, 11:11, 11:21 ... 12:01,
  // 13:01 ... 17:01, 23:01, 05:01 and the 16th at 11:01 the next day.
  const t0 = Date.UTC(2024, 0, 1, 11, 0);
  const times: number[] = [];
  let at = t0;
  for (let attempts = 1; ; attempts++) {
    const next = nextWebhookAttemptAt(attempts, at);
    if (next === null) break;
    times.push(next);
    at = next;
  }
  assert.equal(times.length, 16);
  const hhmm = times.map((t) => new Date(t).toISOString().slice(11, 16));
  assert.deepEqual(hhmm, ['11:01', '11:06', '11:11', '11:21', '11:31', '11:41', '11:51', '12:01', '13:01', '14:01', '15:01', '16:01', '17:01', '23:01', '05:01', '11:01']);
  assert.equal(times[15]! - t0, 24 * HOUR + MIN);
  assert.equal(nextWebhookAttemptAt(17, at), null);
  assert.throws(() => nextWebhookAttemptAt(0, at));
});

test('webhook versions: all events without a version; older versions get fewer', () => {
  assert.deepEqual(webhookEventsForVersion(undefined), [...WEBHOOK_EVENT_NAMES]);
  assert.deepEqual(webhookEventsForVersion(''), [...WEBHOOK_EVENT_NAMES]);
  assert.deepEqual(webhookEventsForVersion('not-a-date'), [...WEBHOOK_EVENT_NAMES]);
  assert.deepEqual(webhookEventsForVersion('2026-12-04'), [...WEBHOOK_EVENT_NAMES]);
  // Junction's risk review and release-guard events are new: a merchant pinned to an earlier version does not get them.
  assert.deepEqual(
    webhookEventsForVersion('2023-06-30'),
    WEBHOOK_EVENT_NAMES.filter((e) => !e.startsWith('TXN_REVIEW') && e !== 'TXN_MANUAL_REVIEW_NEEDED' && !e.startsWith('PRIORITY_LOGIC_')),
  );
  assert.equal(isEventInWebhookVersion('ORDER_FAILED', '2016-07-18'), false);
  assert.equal(isEventInWebhookVersion('ORDER_FAILED', '2016-07-19'), true);
  assert.equal(isEventInWebhookVersion('TXN_CREATED', '2016-10-26'), false);
  assert.equal(isEventInWebhookVersion('TXN_CHARGED', '2016-10-27'), true);
  assert.equal(isEventInWebhookVersion('ORDER_SUCCEEDED', '2015-01-01'), true);
  const old = webhookEventsForVersion('2015-01-01');
  assert.ok(!old.includes('ORDER_FAILED') && !old.includes('TXN_CREATED') && !old.includes('TXN_FAILED'));
  assert.ok(old.includes('ORDER_REFUNDED') && old.includes('AUTO_REFUND_FAILED'));
});

test('target URL: metadata.webhook_url wins over the merchant URL; nothing when neither is http(s)', () => {
  assert.equal(resolveWebhookTarget('https://m.example/hooks', { webhook_url: 'https://m.example/order-hook' }), 'https://m.example/order-hook');
  assert.equal(resolveWebhookTarget('https://m.example/hooks', {}), 'https://m.example/hooks');
  assert.equal(resolveWebhookTarget('https://m.example/hooks', { webhook_url: 'javascript:alert(1)' }), 'https://m.example/hooks');
  assert.equal(resolveWebhookTarget(null, null), null);
  assert.equal(resolveWebhookTarget('ftp://x', { webhook_url: 42 }), null);
});

test('target URL: every per-order URL the order input accepts is used as given (the payment path queues to it)', () => {
  // Accepted by the order input's pattern though a URL parser rejects it: the order's events still
  // go there (and fail there), as they did before the payment path used resolveWebhookTarget.
  for (const url of ['https://m.example/order-hook?o=1', 'HTTP://m.example/x', 'http://%', 'https://a:99999']) {
    assert.ok(URL_PATTERN.test(url));
    assert.equal(resolveWebhookTarget('https://m.example/hooks', { webhook_url: url }), url);
  }
  assert.equal(resolveWebhookTarget(null, { webhook_url: 'https://m.example/order-hook' }), 'https://m.example/order-hook');
});
