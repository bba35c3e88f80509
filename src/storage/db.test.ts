// Migrations: idempotent on PGlite and PostgreSQL; on PostgreSQL (DATABASE_URL set), several
// instances migrating one fresh schema at once all succeed and apply each migration once, and a
// pooled connection the server closes does not end the process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, migrationFiles, openDb, withBegin, type Db } from './db.ts';

async function appliedNames(db: Db): Promise<string[]> {
  return (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
}

describe('PostgreSQL pool and migrations', () => {
  test('applies every migration once; a second run applies nothing (PGlite)', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      const files = await migrationFiles();
      assert.deepEqual(await migrate(db), files);
      assert.deepEqual(await migrate(db), []);
      assert.deepEqual(await appliedNames(db), files);
    } finally {
      await db.close();
    }
  });

  const databaseUrl = process.env.DATABASE_URL;
  test('instances starting together on one database: every one succeeds, each migration is applied once (PostgreSQL)', { skip: databaseUrl ? false : 'DATABASE_URL not set' }, async () => {
    const schema = `test_migrate_${randomBytes(6).toString('hex')}`;
    const dbs: Db[] = [];
    try {
      // The schema first (openDb creates it; concurrent CREATE SCHEMA is not what this is about).
      await (await openDb({ databaseUrl, schema })).close();
      for (let i = 0; i < 4; i++) dbs.push(await openDb({ databaseUrl, schema, poolSize: 2 }));
      const results = await Promise.allSettled(dbs.map((db) => migrate(db)));
      const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failures, []);
      const files = await migrationFiles();
      // Between them they applied every file exactly once.
      const ran = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      assert.deepEqual([...ran].sort(), files);
      assert.deepEqual(await appliedNames(dbs[0]), files);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      const admin = await openDb({ databaseUrl });
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.close();
      }
    }
  });

  test('an idle connection closed by the server (PgBouncer or PostgreSQL restarting) is replaced, the process goes on (PostgreSQL)', {
    skip: databaseUrl ? false : 'DATABASE_URL not set',
  }, async () => {
    const errors: Error[] = [];
    const db = await openDb({ databaseUrl, poolSize: 1, onIdleError: (error) => errors.push(error) });
    const admin = await openDb({ databaseUrl, poolSize: 1 });
    try {
      const [{ pid }] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(errors.length, 1, 'the pool reported the closed connection');
      const [{ again }] = await db.query<{ again: number }>('SELECT pg_backend_pid() AS again');
      assert.notEqual(again, pid, 'a new connection serves the next query');
    } finally {
      await db.close();
      await admin.close();
    }
  });

  test('a connection closed in the middle of a transaction fails that transaction only; the process goes on (PostgreSQL)', { skip: databaseUrl ? false : 'DATABASE_URL not set' }, async () => {
    const errors: Error[] = [];
    const db = await openDb({ databaseUrl, poolSize: 1, onIdleError: (error) => errors.push(error) });
    const admin = await openDb({ databaseUrl, poolSize: 1 });
    try {
      let pid = 0;
      await assert.rejects(
        db.transaction(async (tx) => {
          [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          // Between two statements (a gateway call, say), the connection's error arrives.
          for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.query('SELECT 1');
        }),
      );
      assert.ok(errors.length >= 1, 'the broken connection was reported');
      const [{ again }] = await db.query<{ again: number }>('SELECT pg_backend_pid() AS again');
      assert.notEqual(again, pid, 'a new connection serves the next query');
    } finally {
      await db.close();
      await admin.close();
    }
  });

  test('BEGIN rides with the first statement only when every $n is a string or null parameter', () => {
    const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;
    assert.equal(withBegin('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1', ['x', null], quote), "BEGIN; SELECT * FROM t WHERE a = 'x' AND b = NULL AND c = 'x'");
    assert.equal(withBegin('SELECT * FROM t WHERE a = $1', ["it's"], quote), "BEGIN; SELECT * FROM t WHERE a = 'it''s'");
    assert.equal(withBegin('SELECT * FROM t WHERE a = $10', ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'ten'], quote), "BEGIN; SELECT * FROM t WHERE a = 'ten'");
    assert.equal(withBegin('SELECT * FROM t WHERE a = $1', [1], quote), null, 'a number stays a parameter');
    assert.equal(withBegin('SELECT * FROM t WHERE a = $1', [{ k: 'v' }], quote), null, 'an object stays a parameter');
    assert.equal(withBegin("SELECT * FROM t WHERE a = $1 AND b = 'x'", ['y'], quote), null, 'a text with a literal of its own');
    assert.equal(withBegin('SELECT 1; SELECT $1', ['y'], quote), null, 'a text with two statements');
    assert.equal(withBegin('SELECT $$x$$ || $1', ['y'], quote), null, 'dollar quoting');
    assert.equal(withBegin('SELECT $2', ['y'], quote), null, 'a parameter that is missing');
  });

  test('a transaction whose BEGIN rides with its first statement: one round trip fewer, all or nothing, quotes in values kept (PostgreSQL)', {
    skip: databaseUrl ? false : 'DATABASE_URL not set',
  }, async () => {
    const schema = `test_begin_${randomBytes(6).toString('hex')}`;
    const db = await openDb({ databaseUrl, schema, poolSize: 1 });
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    try {
      await db.query('CREATE TABLE t (id text PRIMARY KEY, v text)');
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const first = args[0];
        sent.push(typeof first === 'string' ? first : ((first as { text?: string }).text ?? ''));
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      const tricky = "o'brien \\ $1 ; --";
      const rows = await db.transaction(async (tx) => {
        const found = await tx.query<{ id: string }>('SELECT id FROM t WHERE id = $1 OR v = $2', ['none', tricky]);
        await tx.query('INSERT INTO t (id, v) VALUES ($1, $2)', ['a', tricky]);
        return found;
      });
      assert.deepEqual(rows, []);
      assert.equal(sent.length, 3, `BEGIN with the SELECT, the INSERT, COMMIT: ${JSON.stringify(sent)}`);
      assert.match(sent[0]!, /^BEGIN; SELECT/);
      assert.deepEqual(await db.query('SELECT id, v FROM t'), [{ id: 'a', v: tricky }]);
      // A failure after the combined first statement rolls everything back.
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t (id, v) VALUES ($1, $2)', ['b', 'x']);
          await tx.query('INSERT INTO t (id, v) VALUES ($1, $2)', ['a', 'duplicate']);
        }),
      );
      // A first statement that cannot ride (a number parameter) gets its own BEGIN.
      sent.length = 0;
      await db.transaction(async (tx) => tx.query('SELECT $1::int AS n', [1]));
      assert.deepEqual(sent, ['BEGIN', 'SELECT $1::int AS n', 'COMMIT']);
      // A transaction that runs no statement sends nothing.
      sent.length = 0;
      await db.transaction(async () => 'nothing');
      assert.deepEqual(sent, []);
      pg.Client.prototype.query = original;
      assert.deepEqual(await db.query('SELECT id FROM t ORDER BY id'), [{ id: 'a' }]);
    } finally {
      pg.Client.prototype.query = original;
      await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
  });
});
