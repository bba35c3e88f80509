// The export/import plan against the migrated schema, and import's refusals, on PGlite and (when
// DATABASE_URL is set) on PostgreSQL, each database in its own schema, dropped afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrate, openDb, type Db } from '../db.ts';
import { exportData, schemaTables, TransferError } from './export-data.ts';
import { importData } from './import-data.ts';
import { EXCLUDED_TABLES, EXPORTED_TABLES, unplannedTables } from './transfer-plan.ts';

const databaseUrl = process.env.DATABASE_URL;
const schemas: string[] = [];
for (const engine of databaseUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
  describe(`export and import on ${engine}`, () => {
    /** An empty, migrated database of this engine. */
    async function open(): Promise<Db> {
      if (engine === 'pglite' || !databaseUrl) return openDb({ dataDir: 'memory://' });
      const schema = `test_transfer_${randomBytes(5).toString('hex')}`;
      schemas.push(schema);
      return openDb({ databaseUrl, schema, poolSize: 2 });
    }

    let db: Db;
    before(async () => {
      db = await open();
      await migrate(db);
      await db.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ('m_a', 'A', 'v1:x', 'v1:y'), ('m_b', 'B', 'v1:x', 'v1:y')`);
      await db.query(`INSERT INTO api_keys (id, merchant_id, key_hash, key_prefix) VALUES ('key_a', 'm_a', 'hash_a', 'jnc_a'), ('key_b', 'm_b', 'hash_b', 'jnc_b')`);
    });
    after(async () => {
      await db.close();
    });

    async function lines(merchantId?: string): Promise<string[]> {
      const out: string[] = [];
      await exportData(db, { ...(merchantId ? { merchantId } : {}), write: (l) => void out.push(l) });
      return out;
    }

    async function fresh(): Promise<Db> {
      const target = await open();
      await migrate(target);
      return target;
    }

    async function refused(target: Db, input: string[], message: RegExp, options = {}): Promise<void> {
      await assert.rejects(importData(target, input, options), (e: unknown) => e instanceof TransferError && message.test(e.message));
    }

    describe('the export plan', () => {
      test('every table of the migrations is exported or excluded with a reason, and every planned table exists', async () => {
        const tables = await schemaTables(db);
        assert.deepEqual(unplannedTables(tables), [], 'add new tables to EXPORTED_TABLES or EXCLUDED_TABLES (src/storage/transfer/transfer-plan.ts)');
        for (const t of EXPORTED_TABLES) assert.ok(tables.includes(t.name), `${t.name} exists`);
        for (const [name, excluded] of Object.entries(EXCLUDED_TABLES)) {
          assert.ok(tables.includes(name), `${name} exists`);
          assert.ok(excluded.reason.length > 20, `${name} says why it is excluded`);
          assert.ok(!EXPORTED_TABLES.some((t) => t.name === name), `${name} is not both exported and excluded`);
        }
      });

      test('a table that is in neither list stops the export', async () => {
        const other = await fresh();
        try {
          await other.query('CREATE TABLE forgotten_table (id text PRIMARY KEY)');
          await assert.rejects(exportData(other, { write: () => undefined }), /forgotten_table are neither exported nor excluded/);
        } finally {
          await other.close();
        }
      });
    });

    describe('import refuses, and writes nothing', () => {
      test("an existing merchant unless replace; with replace the state is the file's", async () => {
        const file = await lines('m_a');
        await refused(db, file, /Merchant\(s\) m_a already exist.*--replace/);
        await db.query(`INSERT INTO api_keys (id, merchant_id, key_hash, key_prefix) VALUES ('key_a2', 'm_a', 'hash_a2', 'jnc_a2')`);
        const result = await importData(db, file, { replace: true });
        assert.deepEqual(result.replaced, ['m_a']);
        const keys = await db.query<{ id: string }>(`SELECT id FROM api_keys WHERE merchant_id = 'm_a' ORDER BY id`);
        assert.deepEqual(
          keys.map((k) => k.id),
          ['key_a'],
          'a key made after the export is gone: the merchant is as in the file',
        );
        assert.equal((await db.query(`SELECT 1 FROM api_keys WHERE merchant_id = 'm_b'`)).length, 1, 'another merchant is untouched');
      });

      test('a bad header, a truncated file, a row of another merchant, a wrong schema version', async () => {
        const file = await lines('m_b');
        const target = await fresh();
        try {
          await refused(target, [], /empty/);
          await refused(target, ['not json'], /Line 1 is not JSON/);
          await refused(target, ['{"format":"zip"}'], /not a Junction export header/);
          const header = JSON.parse(file[0]!) as Record<string, unknown>;
          await refused(target, [JSON.stringify({ ...header, format_version: 99 }), ...file.slice(1)], /format version 99 is not supported/);
          await refused(target, [JSON.stringify({ ...header, schema_version: '001_payments.sql' }), ...file.slice(1)], /schema 001_payments.sql, this database is at/);
          await refused(target, file.slice(0, -1), /truncated/);
          const foreign = file[2]!.replace('"merchant_id":"m_b"', '"merchant_id":"m_a"');
          await refused(target, [file[0]!, file[1]!, foreign, ...file.slice(3)], /row of merchant m_a in an export of m_b/);
          await refused(target, [file[0]!, file[2]!, file[1]!, ...file.slice(3)], /rows must follow the header's table order/);
          assert.equal((await target.query('SELECT 1 FROM merchants')).length, 0, 'nothing was written');
          await importData(target, file);
          assert.equal((await target.query(`SELECT 1 FROM api_keys WHERE merchant_id = 'm_b'`)).length, 1);
        } finally {
          await target.close();
        }
      });

      test('an unknown merchant to export', async () => {
        await assert.rejects(lines('m_nope'), /No merchant m_nope/);
      });
    });
  });
}

after(async () => {
  if (!databaseUrl || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});
