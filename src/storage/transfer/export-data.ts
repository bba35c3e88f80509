// Export: a merchant's whole state (or every merchant's) as JSON Lines. Line 1 is the header
// (format, versions, tables and columns), then one line per row, table by table in dependency
// order, then a trailer with the row counts. Rows are read a page at a time in key order inside
// one read-only snapshot, and written as the database renders them (row_to_json, timestamps in
// UTC with microseconds), so nothing big is held in memory and nothing is lost on the way.
// Secrets stay as stored: API keys and tokens as their hashes, encrypted columns encrypted.
import type { Db, Sql } from '../db.ts';
import { migrationFiles } from '../db.ts';
import { ENCRYPTED_COLUMNS, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, EXPORTED_TABLES, unplannedTables, type ExportHeader, type ExportedTable, type ExportTrailer } from './transfer-plan.ts';

export const EXPORT_PAGE_ROWS = 500;

export class TransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferError';
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The base tables of the current schema. */
export async function schemaTables(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  return rows.map((r) => r.table_name);
}

/** Each table's stored (not generated) columns, in their order. */
export async function schemaColumns(sql: Sql): Promise<Map<string, string[]>> {
  const rows = await sql.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_generated = 'NEVER'
      ORDER BY table_name, ordinal_position`,
  );
  const columns = new Map<string, string[]>();
  for (const r of rows) {
    const list = columns.get(r.table_name) ?? [];
    list.push(r.column_name);
    columns.set(r.table_name, list);
  }
  return columns;
}

/** The last migration applied to this database. */
export async function appliedSchemaVersion(sql: Sql): Promise<string> {
  const rows = await sql.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1');
  if (!rows[0]) throw new TransferError('The database has no migrations applied');
  return rows[0].name;
}

/** Refuses when a table of the schema is neither exported nor excluded with a reason. */
export async function checkPlanCoversSchema(sql: Sql): Promise<void> {
  const missing = unplannedTables(await schemaTables(sql));
  if (missing.length > 0) {
    throw new TransferError(`Table(s) ${missing.join(', ')} are neither exported nor excluded: add them to EXPORTED_TABLES or EXCLUDED_TABLES in src/storage/transfer/transfer-plan.ts`);
  }
}

export interface ExportOptions {
  /** One merchant; every merchant (and the operator-wide tables) when absent. */
  merchantId?: string;
  /** Receives each line (without its newline); awaited, so a slow writer slows the reading. */
  write(line: string): Promise<void> | void;
  now?: Date;
}

export async function exportData(db: Db, options: ExportOptions): Promise<ExportTrailer> {
  // Every migration this code knows must be applied: an export is always of the current schema.
  const known = await migrationFiles();
  return db.transaction(async (tx) => {
    // One snapshot for the whole file (PostgreSQL; PGlite's single connection is one anyway).
    if (db.engine === 'postgres') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await tx.query(`SET LOCAL TIME ZONE 'UTC'`);
    const schemaVersion = await appliedSchemaVersion(tx);
    if (schemaVersion !== known[known.length - 1]) {
      throw new TransferError(`The database is at migration ${schemaVersion}, this code at ${known[known.length - 1]}: start the service once (or run any admin command) to migrate, then export`);
    }
    await checkPlanCoversSchema(tx);
    const merchantId = options.merchantId ?? null;
    if (merchantId !== null) {
      const found = await tx.query('SELECT 1 FROM merchants WHERE id = $1', [merchantId]);
      if (found.length === 0) throw new TransferError(`No merchant ${merchantId} in this database`);
    }
    const columns = await schemaColumns(tx);
    const tables = EXPORTED_TABLES.filter((t) => merchantId === null || t.merchantColumn !== 'global');
    const header: ExportHeader = {
      format: EXPORT_FORMAT,
      format_version: EXPORT_FORMAT_VERSION,
      schema_version: schemaVersion,
      exported_at: (options.now ?? new Date()).toISOString(),
      source_engine: db.engine,
      merchant_id: merchantId,
      tables: tables.map((t) => ({ name: t.name, columns: columns.get(t.name) ?? [] })),
      encrypted_columns: ENCRYPTED_COLUMNS,
    };
    await options.write(JSON.stringify(header));
    const counts: Record<string, number> = {};
    for (const table of tables) {
      counts[table.name] = await exportTable(tx, table, columns.get(table.name) ?? [], merchantId, options.write);
    }
    const trailer: ExportTrailer = { end: true, rows: counts };
    await options.write(JSON.stringify(trailer));
    return trailer;
  });
}

async function exportTable(tx: Sql, table: ExportedTable, columns: readonly string[], merchantId: string | null, write: ExportOptions['write']): Promise<number> {
  if (columns.length === 0) throw new TransferError(`Table ${table.name} has no columns in this schema`);
  const name = quote(table.name);
  const keys = table.key.map(quote).join(', ');
  const scope = merchantId !== null && table.merchantColumn !== 'global' ? `${quote(table.merchantColumn)} = $1` : 'TRUE';
  let last: string | null = null;
  let count = 0;
  for (;;) {
    const params: string[] = merchantId !== null && table.merchantColumn !== 'global' ? [merchantId] : [];
    let after = '';
    if (last !== null) {
      params.push(last);
      // The next page starts after the last row's key, compared in the columns' own types.
      after = ` AND (${keys}) > (SELECT ${table.key.map((k) => `r.${quote(k)}`).join(', ')} FROM json_populate_record(NULL::${name}, $${params.length}::json) r)`;
    }
    const rows = await tx.query<{ line: string }>(
      `SELECT row_to_json(x)::text AS line FROM (
         SELECT ${columns.map(quote).join(', ')} FROM ${name} WHERE ${scope}${after} ORDER BY ${keys} LIMIT ${EXPORT_PAGE_ROWS}
       ) x ORDER BY ${table.key.map((k) => `x.${quote(k)}`).join(', ')}`,
      params,
    );
    for (const row of rows) await write(`{"t":${JSON.stringify(table.name)},"r":${row.line}}`);
    count += rows.length;
    if (rows.length < EXPORT_PAGE_ROWS) return count;
    last = rows[rows.length - 1]!.line;
  }
}
