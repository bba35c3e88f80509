// The admin CLI's export and import: files (or standard output / input) around the storage
// module's streaming export and transactional import.
import { createReadStream, createWriteStream } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Db } from '../storage/db.ts';
import { exportData } from '../storage/transfer/export-data.ts';
import { importData, type ImportResult } from '../storage/transfer/import-data.ts';

/** Writes lines to a stream, waiting whenever its buffer is full (a big export never piles up in memory). */
function lineWriter(stream: Writable): (line: string) => Promise<void> {
  return async (line) => {
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  };
}

export async function runExport(db: Db, command: { merchantId?: string; out?: string }, stdout: Writable): Promise<{ file: string | null; rows: Record<string, number> }> {
  if (command.out === undefined) {
    const trailer = await exportData(db, { ...(command.merchantId !== undefined ? { merchantId: command.merchantId } : {}), write: lineWriter(stdout) });
    return { file: null, rows: trailer.rows };
  }
  // Never over an existing file (an earlier export, a backup).
  if (
    await access(command.out).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${command.out} already exists: choose another --out or remove it first`);
  // Written beside the target and renamed at the end: a failed export never leaves a plausible-looking file.
  const partial = `${command.out}.partial`;
  const stream = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  await once(stream, 'open');
  try {
    const trailer = await exportData(db, { ...(command.merchantId !== undefined ? { merchantId: command.merchantId } : {}), write: lineWriter(stream) });
    stream.end();
    await once(stream, 'finish');
    await rename(partial, command.out);
    return { file: command.out, rows: trailer.rows };
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

export async function runImport(db: Db, command: { file: string; replace: boolean }, stdin: Readable): Promise<ImportResult> {
  const input = command.file === '-' ? stdin : createReadStream(command.file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    return await importData(db, lines, { replace: command.replace });
  } finally {
    lines.close();
    if (command.file !== '-') (input as ReturnType<typeof createReadStream>).destroy();
  }
}
