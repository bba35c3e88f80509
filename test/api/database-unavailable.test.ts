// While the database cannot be reached (PostgreSQL or PgBouncer restarting, a dropped connection),
// the API answers 503 with Retry-After in the EC error shape, not a 500 that reads as a bug; when it
// is back, the same request works. The database is wrapped so that its queries fail the way the
// pg driver fails during a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isStoreUnavailable } from '../../src/http/errors/error-handler.ts';
import { openDb, type Db, type Sql } from '../../src/storage/db.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, orderStatus } from '../helpers/api-helpers.ts';

function switchable(db: Db): Db & { down: Error | null } {
  const check = (self: { down: Error | null }) => {
    if (self.down) throw self.down;
  };
  const wrapped = {
    down: null as Error | null,
    engine: db.engine,
    async query<Row>(text: string, params?: Parameters<Sql['query']>[1]): Promise<Row[]> {
      check(wrapped);
      return db.query<Row>(text, params);
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      check(wrapped);
      return db.transaction(fn);
    },
    close: () => db.close(),
  };
  return wrapped;
}

describe('database unavailable', () => {
  let j: TestApp;
  let db: ReturnType<typeof switchable>;
  before(async () => {
    // Its own PGlite (PostgreSQL runs of this suite go through the other API tests).
    db = switchable(await openDb({ dataDir: 'memory://' }));
    j = await startTestApp({}, { db, engine: 'pglite' });
  });
  after(async () => {
    await j.close();
  });

  test('503 with Retry-After while queries fail with a connection error; the same request works once it is back', async () => {
    const orderId = await createOrderOk(j);
    for (const failure of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ]) {
      db.down = failure;
      const response = await j.app.inject({ method: 'GET', url: `/orders/${orderId}`, headers: { authorization: j.basic } });
      db.down = null;
      assert.equal(response.statusCode, 503, `${failure.message}: ${response.body}`);
      assert.equal(response.headers['retry-after'], '1');
      const body = response.json() as { error_info: { code: string; request_id: string } };
      assert.equal(body.error_info.code, 'SERVICE_UNAVAILABLE');
      assert.ok(body.error_info.request_id);
      assert.ok(!response.body.includes('127.0.0.1'), 'no connection detail in the answer');
    }
    const back = await orderStatus(j, orderId);
    assert.equal(back.status, 200, back.body);
  });

  test('any other failure is still a 500 (a bug, logged with its stack)', async () => {
    db.down = new Error('column "x" does not exist');
    const response = await j.app.inject({ method: 'GET', url: `/orders/anything`, headers: { authorization: j.basic } });
    db.down = null;
    assert.equal(response.statusCode, 500, response.body);
  });
});

test('what counts as the database being unavailable', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });
  for (const yes of [
    withCode('08006'),
    withCode('08001'),
    withCode('57P01'),
    withCode('57P03'),
    withCode('53300'),
    withCode('ECONNRESET'),
    new Error('PGlite is closed'),
    new Error('Client has encountered a connection error and is not queryable'),
    new Error('outer', { cause: withCode('ECONNREFUSED') }),
  ]) {
    assert.equal(isStoreUnavailable(yes), true, `${(yes as { code?: string }).code ?? yes.message}`);
  }
  for (const no of [withCode('23505'), withCode('42P01'), new Error('boom'), 'ECONNREFUSED', null, { code: '08006' }]) {
    assert.equal(isStoreUnavailable(no), false, String(no));
  }
});
