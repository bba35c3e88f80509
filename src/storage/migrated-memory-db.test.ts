// The test runner's migrated in-memory databases (openMigratedMemoryDb): made once per run from a
// dump, each one a whole migrated database of its own.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { migrate, migrationFiles, openMigratedMemoryDb, PGLITE_TEMPLATE_DIR_ENV } from './db.ts';

let dir: string;
let previous: string | undefined;
before(() => {
  previous = process.env[PGLITE_TEMPLATE_DIR_ENV];
  dir = mkdtempSync(join(tmpdir(), 'junction-migrated-'));
  process.env[PGLITE_TEMPLATE_DIR_ENV] = dir;
});
after(() => {
  if (previous === undefined) delete process.env[PGLITE_TEMPLATE_DIR_ENV];
  else process.env[PGLITE_TEMPLATE_DIR_ENV] = previous;
  rmSync(dir, { recursive: true, force: true });
});

test('the first database is migrated and dumped; the next loads the dump, every migration applied, and shares nothing with the first', async () => {
  const first = await openMigratedMemoryDb();
  const dumps = readdirSync(dir).filter((f) => /^migrated-[0-9a-f]{16}\.tar$/.test(f));
  assert.equal(dumps.length, 1, `one migrated dump in ${readdirSync(dir).join(', ')}`);
  await first.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ('m_only_in_first', 'First', 'x', 'x')`);

  const second = await openMigratedMemoryDb();
  try {
    const applied = (await second.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
    assert.deepEqual(applied, await migrationFiles());
    assert.deepEqual(await migrate(second), [], 'nothing left to migrate');
    assert.deepEqual(await second.query(`SELECT id FROM merchants WHERE id = 'm_only_in_first'`), [], 'a write in one database is not in another');
    await second.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ('m_second', 'Second', 'x', 'x')`);
    assert.equal((await second.query(`SELECT id FROM merchants WHERE id = 'm_second'`)).length, 1);
  } finally {
    await second.close();
    await first.close();
  }
});
