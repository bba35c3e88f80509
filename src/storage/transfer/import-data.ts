// Import: loads an export file (see export-data.ts) in one transaction: every row lands, or none.
// The header is checked first (format, format version, schema version, tables and columns), the
// trailer last (row counts: a truncated file is refused). A merchant that already exists is
// refused unless `replace` is set; then its whole present state is deleted first and replaced by
// the file's. Rows are inserted in the file's order (dependency order) in batches, through
// json_populate_recordset, so every column keeps its type (timestamps, arrays, JSON, bigints).
import type { Db, Sql } from '../db.ts';
import { appliedSchemaVersion, checkPlanCoversSchema, schemaColumns, TransferError } from './export-data.ts';
import { EXCLUDED_TABLES, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, EXPORTED_TABLES, type ExportHeader, type ExportedTable } from './transfer-plan.ts';

export const IMPORT_BATCH_ROWS = 200;

export interface ImportOptions {
  /** Replace merchants (and operator-wide rows) that already exist instead of refusing. */
  replace?: boolean;
}

export interface ImportResult {
  schema_version: string;
  merchant_id: string | null;
  merchants: string[];
  rows: Record<string, number>;
  replaced: string[];
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const PLAN = new Map(EXPORTED_TABLES.map((t) => [t.name, t]));

function parseLine(line: string, lineNo: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new TransferError(`Line ${lineNo} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TransferError(`Line ${lineNo} is not a JSON object`);
  return value as Record<string, unknown>;
}

function checkHeader(value: Record<string, unknown>, schemaVersion: string, columns: Map<string, string[]>): ExportHeader {
  if (value.format !== EXPORT_FORMAT) throw new TransferError(`Line 1 is not a Junction export header (format must be "${EXPORT_FORMAT}")`);
  if (value.format_version !== EXPORT_FORMAT_VERSION) {
    throw new TransferError(`Export format version ${String(value.format_version)} is not supported (this code reads version ${EXPORT_FORMAT_VERSION})`);
  }
  if (typeof value.schema_version !== 'string') throw new TransferError('The header has no schema_version');
  if (value.schema_version !== schemaVersion) {
    throw new TransferError(`The export is of schema ${value.schema_version}, this database is at ${schemaVersion}: export and import with the same Junction version`);
  }
  if (value.merchant_id !== null && typeof value.merchant_id !== 'string') throw new TransferError('The header merchant_id must be a string or null');
  if (!Array.isArray(value.tables)) throw new TransferError('The header has no tables');
  for (const entry of value.tables as unknown[]) {
    const t = entry as { name?: unknown; columns?: unknown };
    if (typeof t.name !== 'string' || !PLAN.has(t.name)) throw new TransferError(`The header names an unknown table ${String(t.name)}`);
    const here = columns.get(t.name) ?? [];
    if (!Array.isArray(t.columns) || t.columns.join(',') !== here.join(',')) {
      throw new TransferError(`Table ${t.name}: the export's columns differ from this database's (${here.join(', ')})`);
    }
  }
  return value as unknown as ExportHeader;
}

/** Deletes a merchant's whole state, dependents first. */
async function purgeMerchant(tx: Sql, merchantId: string): Promise<void> {
  for (const [name, excluded] of Object.entries(EXCLUDED_TABLES)) {
    if (excluded.merchantColumn) await tx.query(`DELETE FROM ${quote(name)} WHERE ${quote(excluded.merchantColumn)} = $1`, [merchantId]);
  }
  // merchant_routing points at priority_logics, which comes first in the plan: the reverse order deletes it first.
  for (const table of [...EXPORTED_TABLES].reverse()) {
    if (table.merchantColumn === 'global') continue;
    await tx.query(`DELETE FROM ${quote(table.name)} WHERE ${quote(table.merchantColumn)} = $1`, [merchantId]);
  }
}

async function insertBatch(tx: Sql, table: ExportedTable, columns: readonly string[], rows: unknown[], options: ImportOptions, result: ImportResult): Promise<void> {
  const name = quote(table.name);
  const json = JSON.stringify(rows);
  if (table.name === 'merchants') {
    const ids = rows.map((r) => String((r as { id?: unknown }).id));
    const existing = (await tx.query<{ id: string }>('SELECT id FROM merchants WHERE id = ANY($1::text[]) ORDER BY id', [ids])).map((r) => r.id);
    if (existing.length > 0 && !options.replace) {
      throw new TransferError(`Merchant(s) ${existing.join(', ')} already exist in this database: nothing was imported (use --replace to overwrite their state)`);
    }
    for (const id of existing) await purgeMerchant(tx, id);
    result.replaced.push(...existing);
    result.merchants.push(...ids);
  } else if (table.merchantColumn === 'global' && options.replace) {
    const keys = table.key.map(quote).join(', ');
    await tx.query(`DELETE FROM ${name} WHERE (${keys}) IN (SELECT ${keys} FROM json_populate_recordset(NULL::${name}, $1::json))`, [json]);
  }
  const list = columns.map(quote).join(', ');
  try {
    await tx.query(`INSERT INTO ${name} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${name}, $1::json)`, [json]);
  } catch (error) {
    const e = error as { code?: string; message?: string; detail?: string };
    const why = e.code === '23505' ? 'a row with the same key already exists (use --replace)' : e.code === '23503' ? 'it refers to a row that is not in this database or the file' : e.message;
    throw new TransferError(`Table ${table.name}: cannot insert: ${why}${e.detail ? ` (${e.detail})` : ''}; nothing was imported`);
  }
}

/**
 * Imports the lines of an export file. `lines` yields the file's lines (a trailing empty line is
 * ignored). Throws a TransferError, with nothing written, on any problem.
 */
export async function importData(db: Db, lines: AsyncIterable<string> | Iterable<string>, options: ImportOptions = {}): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL TIME ZONE 'UTC'`);
    await checkPlanCoversSchema(tx);
    const schemaVersion = await appliedSchemaVersion(tx);
    const columns = await schemaColumns(tx);
    let header: ExportHeader | null = null;
    let trailer: Record<string, unknown> | null = null;
    const result: ImportResult = { schema_version: schemaVersion, merchant_id: null, merchants: [], rows: {}, replaced: [] };
    let allowed: string[] = [];
    let position = -1;
    let current: ExportedTable | null = null;
    let batch: unknown[] = [];
    const flush = async (): Promise<void> => {
      if (current && batch.length > 0) await insertBatch(tx, current, columns.get(current.name) ?? [], batch, options, result);
      batch = [];
    };
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      if (trailer) throw new TransferError(`Line ${lineNo}: data after the trailer`);
      const value = parseLine(line, lineNo);
      if (!header) {
        header = checkHeader(value, schemaVersion, columns);
        result.merchant_id = header.merchant_id;
        allowed = header.tables.map((t) => t.name);
        for (const name of allowed) result.rows[name] = 0;
        continue;
      }
      if (value.end === true) {
        await flush();
        trailer = value;
        continue;
      }
      const tableName = value.t;
      const row = value.r;
      if (typeof tableName !== 'string' || typeof row !== 'object' || row === null || Array.isArray(row)) throw new TransferError(`Line ${lineNo} is not a row ({"t": table, "r": {...}})`);
      const index = allowed.indexOf(tableName);
      if (index === -1) throw new TransferError(`Line ${lineNo}: table ${tableName} is not in the header`);
      if (index < position) throw new TransferError(`Line ${lineNo}: table ${tableName} comes after ${allowed[position]}; rows must follow the header's table order`);
      if (header.merchant_id !== null) {
        const table = PLAN.get(tableName)!;
        const owner = (row as Record<string, unknown>)[table.merchantColumn];
        if (owner !== header.merchant_id) throw new TransferError(`Line ${lineNo}: a ${tableName} row of merchant ${String(owner)} in an export of ${header.merchant_id}`);
      }
      if (index !== position) {
        await flush();
        position = index;
        current = PLAN.get(tableName)!;
      }
      batch.push(row);
      result.rows[tableName]! += 1;
      if (batch.length >= IMPORT_BATCH_ROWS) await flush();
    }
    if (!header) throw new TransferError('The file is empty');
    if (!trailer) throw new TransferError('The file ends before its trailer line: it is truncated; nothing was imported');
    const expected = (trailer.rows ?? {}) as Record<string, unknown>;
    for (const name of allowed) {
      if (expected[name] !== result.rows[name]) {
        throw new TransferError(`Table ${name}: the trailer counts ${String(expected[name])} rows, the file holds ${result.rows[name]}; nothing was imported`);
      }
    }
    // Analytics are derived from the transactions: the next rollup rebuilds them (imported rows included).
    await tx.query('UPDATE analytics_rollup_state SET watermark = NULL, rolled_until = NULL, updated_at = now() WHERE id = 1');
    return result;
  });
}
