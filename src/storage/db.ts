// One data-access contract over two engines: PGlite (embedded Postgres, the default) and a
// PostgreSQL server (when DATABASE_URL is set). Both speak the same SQL, so repositories write
// plain parameterised SQL once. PGlite is a single connection: it serialises queries and
// transactions itself, which is also what makes it safe here.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type SqlParam = string | number | boolean | null | Date | string[] | number[] | Record<string, unknown> | unknown[];

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<Row[]>;
}

export interface Db extends Sql {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one database transaction: all of its writes land, or none. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Connections open and idle, and work waiting for one (the metrics endpoint reads it). */
  poolStats?(): PoolStats;
}

export interface PoolStats {
  size: number;
  idle: number;
  waiting: number;
}

export interface DbOptions {
  /** A PostgreSQL URL; when absent, PGlite stores its files under `dataDir` (or in memory when dataDir is 'memory://'). */
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL schema to use (tests isolate themselves with one each). Created when missing. */
  schema?: string;
  poolSize?: number;
  /** Told when a pooled connection fails, idle or in a transaction (default: one line on stderr); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

function jsonParam(value: SqlParam): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  /** Queries and transactions started and not finished: PGlite runs one at a time, the rest wait. */
  private inFlight = 0;
  constructor(private readonly pglite: PGlite) {}

  async query<Row>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    this.inFlight++;
    try {
      const result = await this.pglite.query<Row>(text, params.map(jsonParam) as unknown[]);
      return result.rows;
    } finally {
      this.inFlight--;
    }
  }

  poolStats(): PoolStats {
    return { size: 1, idle: this.inFlight === 0 ? 1 : 0, waiting: Math.max(0, this.inFlight - 1) };
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    this.inFlight++;
    return this.pglite
      .transaction(async (tx) => {
        const sql: Sql = {
          async query<Row>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
            const result = await tx.query<Row>(text, params.map(jsonParam) as unknown[]);
            return result.rows;
          },
        };
        return fn(sql);
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

/**
 * `BEGIN; <text>` as one simple-protocol query, the parameters written into the text as quoted
 * literals (pg's escapeLiteral), or null when the statement is not one that can be sent this way:
 * only parameters that are strings or null, and only a text without quotes, semicolons or dollar
 * quoting, so that every `$n` in it is a parameter. The answer is the same rows, parsed by the same
 * type parsers (both protocols answer in text format); a string literal takes its type from its
 * context as an untyped parameter does.
 */
export function withBegin(text: string, params: readonly SqlParam[], escapeLiteral: (value: string) => string): string | null {
  if (/['";]|\$\$|\$[A-Za-z_]/.test(text)) return null;
  const literals: string[] = [];
  for (const param of params) {
    if (param === null) literals.push('NULL');
    else if (typeof param === 'string') literals.push(escapeLiteral(param));
    else return null;
  }
  let ok = true;
  const inlined = text.replace(/\$(\d+)/g, (_, n: string) => {
    const literal = literals[Number(n) - 1];
    if (literal === undefined) ok = false;
    return literal ?? '';
  });
  return ok ? `BEGIN; ${inlined}` : null;
}

class PostgresDb implements Db {
  readonly engine = 'postgres' as const;
  constructor(
    private readonly pool: pg.Pool,
    private readonly onConnectionError: (error: Error) => void,
  ) {}

  poolStats(): PoolStats {
    return { size: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async query<Row>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    const result = await this.pool.query(text, params.map(jsonParam) as unknown[]);
    return result.rows as Row[];
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client's connection can drop between two statements (PgBouncer or PostgreSQL
    // restarting): its 'error' event is ours to handle, and the broken client is not pooled again.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
      this.onConnectionError(error);
    };
    client.on('error', onError);
    // BEGIN is not sent on its own: it goes with the transaction's first statement (one round trip
    // fewer) when that statement can be sent that way (see withBegin), else just before it. A
    // transaction that runs no statement sends nothing.
    let begun = false;
    try {
      const sql: Sql = {
        async query<Row>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
          if (!begun) {
            begun = true;
            const combined = withBegin(text, params, (value) => client.escapeLiteral(value));
            if (combined !== null) {
              const results = (await client.query(combined)) as unknown as pg.QueryResult[];
              return results[1]!.rows as Row[];
            }
            await client.query('BEGIN');
          }
          const result = await client.query(text, params.map(jsonParam) as unknown[]);
          return result.rows as Row[];
        },
      };
      const value = await fn(sql);
      if (begun) await client.query('COMMIT');
      return value;
    } catch (error) {
      if (begun) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// int8 (bigint) columns hold minor units and counters: parse them as numbers (all our
// amounts are far below 2^53, enforced by MAX_MINOR_UNITS).
pg.types.setTypeParser(20, (value: string) => Number(value));
const INT8_AS_NUMBER = { 20: (value: string) => Number(value) };

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const schema = options.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
    if (schema) {
      const admin = new pg.Client({ connectionString: options.databaseUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle pooled connection can be closed under us: PgBouncer or PostgreSQL restarting, an
    // idle timeout, a terminated backend. The pool drops that connection and opens a new one on the
    // next query; without a listener its 'error' event would end the process.
    const onConnectionError =
      options.onIdleError ??
      ((error: Error) => {
        process.stderr.write(`junction: a database connection was closed (${error.message}); the pool opens a new one when needed\n`);
      });
    pool.on('error', onConnectionError);
    return new PostgresDb(pool, onConnectionError);
  }
  const dataDir = options.dataDir ?? './data';
  let pglite: PGlite;
  if (dataDir === 'memory://') {
    pglite = await newMemoryPglite();
  } else {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = new PGlite(dir, { parsers: INT8_AS_NUMBER });
  }
  await pglite.waitReady;
  return new PgliteDb(pglite);
}

/**
 * Where the test runner keeps a dump of a freshly initialised, empty PGlite cluster (set by
 * scripts/run-tests.mjs to a folder of its own run). A new in-memory database then loads that dump
 * instead of running initdb again (about 3.5 s a database when this was measured; loading took
 * 1.5 s then, about 0.5 s since readDump and TEST_START_PARAMS below). The dump is of the cluster before any migration, so each database starts exactly as a
 * new one would. Unset (the service, the CLI), nothing changes.
 */
export const PGLITE_TEMPLATE_DIR_ENV = 'JUNCTION_TEST_PGLITE_TEMPLATE_DIR';

/**
 * How the test runner's databases start: PGlite's parameters with 16 MB of shared buffers instead of
 * the 128 MB initdb writes into postgresql.conf. A database then opens in about 0.4 s instead of
 * 0.85 s (measured on this machine: starting PostgreSQL clears its shared buffers), and a test's
 * data fits many times over. Only under the test runner: the service keeps PostgreSQL's setting.
 */
const TEST_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function newMemoryPglite(): Promise<PGlite> {
  const dir = process.env[PGLITE_TEMPLATE_DIR_ENV];
  if (!dir) return new PGlite({ parsers: INT8_AS_NUMBER });
  const file = join(dir, 'empty-cluster.tar');
  const dump = await readDump(file);
  if (dump) return new PGlite({ parsers: INT8_AS_NUMBER, loadDataDir: dump, startParams: TEST_START_PARAMS });
  const pglite = new PGlite({ parsers: INT8_AS_NUMBER, startParams: TEST_START_PARAMS });
  await pglite.waitReady;
  await writeDump(pglite, file);
  return pglite;
}

const readDumps = new Map<string, Blob>();

/**
 * A dump of the run, read once per process and handed to every database it opens. PGlite reads a
 * `loadDataDir` only through `arrayBuffer()` (and its `type`, to tell a gzipped one), and copies
 * each file out of the bytes it gets; a Node Blob copies its 42 MB again on every `arrayBuffer()`
 * (0.36 s a database on this machine, a quarter of opening one), so the bytes are served as they
 * are. Null when the file is not written yet.
 */
async function readDump(file: string): Promise<Blob | null> {
  const known = readDumps.get(file);
  if (known) return known;
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return null;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const dump: Pick<Blob, 'type' | 'size' | 'arrayBuffer'> = { type: '', size: buffer.byteLength, arrayBuffer: async () => buffer };
  // PGlite's option is typed Blob; it uses no more of it than the three members above.
  const blob = dump as Blob;
  readDumps.set(file, blob);
  return blob;
}

/** Dumps the database to `file`, written under a name of its own and then renamed: a concurrent test process reads a whole dump or none. */
async function writeDump(pglite: PGlite, file: string): Promise<void> {
  const made = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, made);
  await rename(partial, file);
}

/**
 * For tests: an in-memory database with every migration applied. Under the test runner (the
 * template folder set) the first call of a run migrates one database and dumps it; every later
 * call, in any test process of the run, loads that dump instead of running the migrations again
 * (0.26 to 1.0 s per database measured on this machine, under load). The dump's name carries a hash of the
 * migration files, so a changed migration is never served from an old dump. Without the folder it
 * opens a database and migrates it.
 */
export async function openMigratedMemoryDb(): Promise<Db> {
  const dir = process.env[PGLITE_TEMPLATE_DIR_ENV];
  if (dir) {
    const file = join(dir, `migrated-${await migrationsFingerprint()}.tar`);
    const dump = await readDump(file);
    if (dump) {
      const pglite = new PGlite({ parsers: INT8_AS_NUMBER, loadDataDir: dump, startParams: TEST_START_PARAMS });
      await pglite.waitReady;
      return new PgliteDb(pglite);
    }
    const pglite = await newMemoryPglite();
    await pglite.waitReady;
    const db = new PgliteDb(pglite);
    await migrate(db);
    await writeDump(pglite, file);
    return db;
  }
  const db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  return db;
}

async function migrationsFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await migrationFiles())
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(MIGRATIONS_DIR, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The migration files this code knows, in order (the last one is the schema version). */
export async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
}

/** The transaction-scoped advisory lock every migration step takes (works through PgBouncer in transaction mode). */
export const MIGRATION_LOCK = 728011;

/**
 * Applies every migrations/NNN_name.sql not yet applied, in order, each in its own transaction.
 * Several instances may start at once on one database: every step, the creation of the
 * bookkeeping table included (two concurrent CREATE TABLE IF NOT EXISTS can fail on PostgreSQL's
 * catalog), runs under one transaction-scoped advisory lock, and each migration is checked again
 * under it. No session state: this works through PgBouncer in transaction mode.
 */
export async function migrate(db: Db): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const applied = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  const files = await migrationFiles();
  const ran: string[] = [];
  for (const file of files) {
    if (applied.has(file)) continue;
    const text = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
    await db.transaction(async (tx) => {
      // A lock so that two instances starting together do not both migrate.
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const again = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (again.length > 0) return;
      for (const statement of splitStatements(text)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      ran.push(file);
    });
  }
  return ran;
}

/** Splits a migration file on semicolons at line ends (our migrations hold no procedural bodies). */
function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
