// The database setup the PostgreSQL benches share: a fresh database next to DATABASE_URL's, the
// app configured on it with the demo merchant, and the drop at the end.
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.ts';

/** Runs `fn` on one client connected to `url`, closed afterwards. */
export async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server of `base`. */
export function benchDatabaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createBenchDatabase(base: string, name: string): Promise<void> {
  await admin(base, (c) => c.query(`CREATE DATABASE ${name}`));
}

/**
 * Drops the bench database once the app's pool has really disconnected: pool.end() resolves
 * before its sockets close, and a forced drop would then kill a client the pool no longer
 * listens to (an unhandled 'error').
 */
export async function dropDatabase(base: string, name: string): Promise<void> {
  await admin(base, async (c) => {
    for (let i = 0; i < 100; i++) {
      const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (Number(rows[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** The app's configuration for a bench: silent, on `databaseUrl`, with the demo merchant and its API key (and an admin user token when given). */
export function benchAppConfig(databaseUrl: string, demo: { merchantId: string; apiKey: string; adminToken?: string }): Config {
  const defaults = loadConfig({});
  return {
    ...defaults,
    databaseUrl,
    logLevel: 'silent',
    adminApiKey: 'bench-admin-key',
    demo: { ...defaults.demo, enabled: true, merchantId: demo.merchantId, apiKey: demo.apiKey, userTokens: { admin: demo.adminToken, approver: undefined, viewer: undefined }, userPasswords: false },
  };
}
