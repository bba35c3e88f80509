// The CLI's export and import around files: written whole or not at all, never over an existing
// file, read back line by line.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { migrate, openDb, type Db } from '../storage/db.ts';
import { runExport, runImport } from './admin-transfer.ts';

let dir: string;
let source: Db;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-transfer-'));
  source = await openDb({ dataDir: 'memory://' });
  await migrate(source);
  await source.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ('cli_m', 'CLI', 'v1:x', 'v1:y')`);
});
after(async () => {
  await source.close();
  await rm(dir, { recursive: true, force: true });
});

describe('admin export / import files', () => {
  it('exports to a new file (owner-only), refuses to overwrite one, and imports it', async () => {
    const out = join(dir, 'cli_m.jsonl');
    const result = await runExport(source, { merchantId: 'cli_m', out }, new PassThrough());
    assert.equal(result.rows.merchants, 1);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    await assert.rejects(runExport(source, { merchantId: 'cli_m', out }, new PassThrough()), /already exists/);
    const target = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(target);
      const imported = await runImport(target, { file: out, replace: false }, new PassThrough());
      assert.deepEqual(imported.merchants, ['cli_m']);
    } finally {
      await target.close();
    }
  });

  it('leaves no file behind when the export fails', async () => {
    const out = join(dir, 'nobody.jsonl');
    await assert.rejects(runExport(source, { merchantId: 'nobody', out }, new PassThrough()), /No merchant nobody/);
    await assert.rejects(stat(out));
    await assert.rejects(stat(`${out}.partial`));
  });

  it('exports to standard output and imports from standard input', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    await runExport(source, { merchantId: 'cli_m' }, stdout);
    const text = Buffer.concat(chunks).toString('utf8');
    assert.match(text.split('\n')[0]!, /"format":"junction-export"/);
    const target = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(target);
      const stdin = new PassThrough();
      stdin.end(text);
      assert.deepEqual((await runImport(target, { file: '-', replace: false }, stdin)).merchants, ['cli_m']);
    } finally {
      await target.close();
    }
  });

  it('a file that is not an export is refused with the line named', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, 'hello\n');
    const target = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(target);
      await assert.rejects(runImport(target, { file: bad, replace: false }, new PassThrough()), /Line 1 is not JSON/);
      assert.equal(await readFile(bad, 'utf8'), 'hello\n');
    } finally {
      await target.close();
    }
  });
});
