// For tests: the databases a storage test runs on, migrated and disposable. In-memory PGlite
// always; PostgreSQL too when DATABASE_URL is set, each opening in a schema of its own that
// cleanup drops. (Nothing in the service imports this.)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDb, openMigratedMemoryDb, type Db } from './db.ts';

export interface TestDatabase {
  name: 'PGlite' | 'PostgreSQL';
  open(): Promise<{ db: Db; cleanup(): Promise<void> }>;
}

export function migratedTestDatabases(schemaPrefix: string, options: { poolSize?: number } = {}): TestDatabase[] {
  const databases: TestDatabase[] = [
    {
      name: 'PGlite',
      async open() {
        const db = await openMigratedMemoryDb();
        return { db, cleanup: () => db.close() };
      },
    },
  ];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    databases.push({
      name: 'PostgreSQL',
      async open() {
        const schema = `${schemaPrefix}_${randomBytes(6).toString('hex')}`;
        const db = await openDb({ databaseUrl, schema, poolSize: options.poolSize ?? 3 });
        await migrate(db);
        return {
          db,
          async cleanup() {
            await db.close();
            const admin = new pg.Client({ connectionString: databaseUrl });
            await admin.connect();
            try {
              await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            } finally {
              await admin.end();
            }
          },
        };
      },
    });
  }
  return databases;
}
