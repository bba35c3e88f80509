// Builds a whole Junction for a test: in-memory PGlite by default, or a fresh schema on the
// PostgreSQL server named by TEST_DATABASE_URL / DATABASE_URL (dropped on close).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp, type BuildOptions, type Junction } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb, openMigratedMemoryDb } from '../../src/storage/db.ts';

export const DEMO_MERCHANT = 'demo_merchant';
export const DEMO_KEY = 'test_demo_key_0001';
export const DEMO_USER_TOKENS = { admin: 'test_pl_admin_token_0001', editor: 'test_pl_editor_token_0001', approver: 'test_pl_approver_token_0001', viewer: 'test_pl_viewer_token_0001' };
/** The demo users' dashboard password, for tests that sign in (pass `demo: { userPassword }`). */
export const DEMO_USER_PASSWORD = 'test-demo-password-0001';
/**
 * scrypt cost of the test apps' password hashes: 1 MiB instead of production's 32 MiB per hash.
 * Tests that sign in (and fail) dozens of times otherwise spend most of their time hashing;
 * what they check (throttling, decoys, sessions) does not depend on the cost.
 */
export const TEST_SCRYPT_PARAMS = { N: 1024, r: 8, p: 1 } as const;

export interface TestApp extends Junction {
  basic: string;
  /** Which database this run uses: 'pglite' or 'postgres'. */
  engine: 'pglite' | 'postgres';
}

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export async function startTestApp(
  overrides: Partial<Omit<Config, 'demo'>> & { demo?: Partial<Config['demo']> } = {},
  options: BuildOptions & { engine?: 'pglite' | 'postgres' } = {},
): Promise<TestApp> {
  const databaseUrl = options.engine === 'pglite' ? undefined : testDatabaseUrl();
  const schema = databaseUrl ? `test_app_${randomBytes(5).toString('hex')}` : undefined;
  const config: Config = {
    ...loadConfig({}),
    logLevel: 'silent',
    publicBaseUrl: 'http://127.0.0.1:8080',
    adminApiKey: 'test-admin-key',
    ...overrides,
    databaseUrl,
    // Demo users get no password unless a test asks (scrypt is slow on purpose).
    demo: {
      enabled: true,
      merchantId: DEMO_MERCHANT,
      apiKey: DEMO_KEY,
      userTokens: DEMO_USER_TOKENS,
      userPasswords: false,
      ...(overrides.demo?.userPassword ? { userPassword: overrides.demo.userPassword } : {}),
    },
  };
  // In-memory PGlite starts migrated (from the run's migrated dump, src/storage/db.ts); buildApp's own
  // migrate() then finds nothing to do.
  const db = options.db ?? (databaseUrl ? await openDb({ databaseUrl, schema, poolSize: 8 }) : await openMigratedMemoryDb());
  const junction = await buildApp(config, { logger: false, simulatorSeed: 7, passwordHashParams: TEST_SCRYPT_PARAMS, ...options, db });
  const close = junction.close;
  return {
    ...junction,
    engine: db.engine,
    basic: `Basic ${Buffer.from(`${DEMO_KEY}:`).toString('base64')}`,
    async close() {
      await close();
      await db.close();
      if (databaseUrl && schema) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}

/** Form-encodes a flat object the way Juspay's clients do. */
export function form(fields: Record<string, string | number | boolean>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export const VISA_OK = { payment_method_type: 'CARD', card_number: '4111111111111111', card_exp_month: '12', card_exp_year: '2031', card_security_code: '123' };
