// Migrations: idempotent on PGlite and PostgreSQL; on PostgreSQL (DATABASE_URL set), several
// instances migrating one fresh schema at once all succeed and apply each migration once, and a
// pooled connection the server closes does not end the process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { migrate, migrationFiles, openDb, type Db } from './db.ts';

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

  test('an idle connection closed by the server (PgBouncer or PostgreSQL restarting) is replaced, the process goes on (PostgreSQL)', { skip: databaseUrl ? false : 'DATABASE_URL not set' }, async () => {
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
      await assert.rejects(db.transaction(async (tx) => {
        [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // Between two statements (a gateway call, say), the connection's error arrives.
        for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        await tx.query('SELECT 1');
      }));
      assert.ok(errors.length >= 1, 'the broken connection was reported');
      const [{ again }] = await db.query<{ again: number }>('SELECT pg_backend_pid() AS again');
      assert.notEqual(again, pid, 'a new connection serves the next query');
    } finally {
      await db.close();
      await admin.close();
    }
  });
});
