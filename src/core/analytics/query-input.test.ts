import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.ts';
import { decodeOrderCursor, encodeOrderCursor, parseAnalyticsQuery, parseInstant, parseLiveQuery, parseOrderSearch } from './query-input.ts';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.fields[0]?.field_name;
  }
  assert.fail('expected an error');
};

test('analytics defaults: the last 24 hours in hour buckets, filters normalised', () => {
  const now = new Date('2024-05-10T12:34:56Z');
  const q = parseAnalyticsQuery({ gateway: 'sim_alpha', card_brand: 'visa', payment_method_type: 'card', logic_id: 'pl_1' }, now);
  assert.equal(q.to.getTime(), now.getTime());
  assert.equal(q.to.getTime() - q.from.getTime(), 24 * 3_600_000);
  assert.equal(q.bucket, 'hour');
  assert.deepEqual(q.filters, { gateway: 'SIM_ALPHA', cardBrand: 'VISA', paymentMethodType: 'CARD', logicId: 'pl_1' });
});

test('instants need a zone; dates alone are UTC midnight', () => {
  assert.equal(parseInstant('2024-05-01', 'from').toISOString(), '2024-05-01T00:00:00.000Z');
  assert.equal(parseInstant('2024-05-01T10:00:00+05:30', 'from').toISOString(), '2024-05-01T04:30:00.000Z');
  assert.equal(
    fieldOf(() => parseInstant('2024-05-01T10:00:00', 'from')),
    'from',
  );
  assert.equal(
    fieldOf(() => parseInstant('1714557600000', 'to')),
    'to',
  );
});

test('live and order parameters', () => {
  assert.deepEqual(parseLiveQuery({}), { seconds: 300, stepSeconds: 10 });
  assert.equal(
    fieldOf(() => parseLiveQuery({ seconds: '3600', step: '2' })),
    'step',
  );
  assert.deepEqual(parseOrderSearch({ status: 'charged', limit: '5', search: ' abc ' }), { status: 'CHARGED', limit: 5, search: 'abc' });
});

test('cursors round-trip and refuse anything else', () => {
  const cursor = { createdUs: 1_714_557_600_123_456, id: 'ordeh_abc123' };
  assert.deepEqual(decodeOrderCursor(encodeOrderCursor(cursor)), cursor);
  assert.equal(
    fieldOf(() => decodeOrderCursor('abc')),
    'cursor',
  );
  assert.equal(
    fieldOf(() => decodeOrderCursor(Buffer.from("1.x' OR 1=1").toString('base64url'))),
    'cursor',
  );
});
