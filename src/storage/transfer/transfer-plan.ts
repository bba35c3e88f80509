// What `npm run admin -- export` / `import` move, table by table, in dependency order (a row's
// references are always written before it), and what they leave out, with the reason. A table
// created by a migration that is in neither list makes export and import refuse to run (and a test
// fail), so a new table is never silently forgotten.

export const EXPORT_FORMAT = 'junction-export';
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportedTable {
  name: string;
  /**
   * How the table belongs to a merchant: the column holding the merchant id, or 'global' for
   * operator-wide data (exported only with every merchant, never with --merchant).
   */
  merchantColumn: string | 'global';
  /** A unique, non-null key: rows are read in its order, a page at a time (keyset). */
  key: readonly string[];
}

export const EXPORTED_TABLES: readonly ExportedTable[] = [
  { name: 'merchants', merchantColumn: 'id', key: ['id'] },
  { name: 'api_keys', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'gateway_accounts', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'merchant_jwt_keys', merchantColumn: 'merchant_id', key: ['key_id'] },
  { name: 'customers', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'users', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'priority_logics', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'merchant_routing', merchantColumn: 'merchant_id', key: ['merchant_id'] },
  { name: 'priority_logic_audit', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'release_guards', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'engine_merchants', merchantColumn: 'merchant_id', key: ['engine_merchant_id'] },
  { name: 'engine_configs', merchantColumn: 'merchant_id', key: ['engine_merchant_id', 'kind'] },
  { name: 'engine_routing_rules', merchantColumn: 'merchant_id', key: ['rule_id'] },
  { name: 'priority_logic_backtests', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'scheduled_outages', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'orders', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'txns', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'refunds', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'card_vault', merchantColumn: 'merchant_id', key: ['token'] },
  { name: 'outbox_events', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'gateway_webhook_events', merchantColumn: 'merchant_id', key: ['account_id', 'event_id'] },
  { name: 'simulator_ledger', merchantColumn: 'merchant_id', key: ['gateway_txn_id'] },
  {
    name: 'analytics_hourly',
    merchantColumn: 'merchant_id',
    key: ['merchant_id', 'hour', 'gateway', 'logic_id', 'payment_method_type', 'card_brand', 'status', 'error_code', 'error_category', 'currency', 'first_attempt'],
  },
  {
    name: 'analytics_daily',
    merchantColumn: 'merchant_id',
    key: ['merchant_id', 'day', 'gateway', 'logic_id', 'payment_method_type', 'card_brand', 'status', 'error_code', 'error_category', 'currency', 'first_attempt'],
  },
  { name: 'risk_configs', merchantColumn: 'merchant_id', key: ['merchant_id'] },
  { name: 'risk_rules', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'risk_list_entries', merchantColumn: 'merchant_id', key: ['merchant_id', 'list', 'kind', 'value'] },
  { name: 'risk_audit', merchantColumn: 'merchant_id', key: ['id'] },
  { name: 'gateway_status_overrides', merchantColumn: 'global', key: ['gateway', 'raw_code'] },
];

export interface ExcludedTable {
  reason: string;
  /** Merchant rows of this table that `import --replace` deletes with the merchant's state (foreign keys). */
  merchantColumn?: string;
}

const DERIVED_ANALYTICS = "the analytics rollup at the report's grain (migration 024), derived from analytics_hourly and analytics_daily; import resets the rollup, whose next run rebuilds it";

export const EXCLUDED_TABLES: Readonly<Record<string, ExcludedTable>> = {
  schema_migrations: { reason: 'the target applies its own migrations; the header names the schema version instead, and import checks it' },
  user_sessions: {
    reason: 'browser sign-in sessions: short-lived bearer secrets tied to the old deployment; users sign in again on the target',
    merchantColumn: 'merchant_id',
  },
  signin_throttle: { reason: 'transient sign-in failure counters, keyed by digests of emails and addresses, not by merchant' },
  risk_velocity_events: { reason: 'transient velocity counters (minutes to a day of events), keyed by merchant-prefixed keys; a target starts with empty windows' },
  risk_setup_versions: { reason: "a change counter of each merchant's risk setup for the instances' caches; a target starts without, and its instances load the setup on first use" },
  risk_blocks: { reason: 'transient card-testing blocks (hours), keyed by merchant-prefixed keys; they lapse on their own' },
  analytics_hourly_report: { reason: DERIVED_ANALYTICS, merchantColumn: 'merchant_id' },
  analytics_daily_report: { reason: DERIVED_ANALYTICS, merchantColumn: 'merchant_id' },
  analytics_daily_values: { reason: DERIVED_ANALYTICS, merchantColumn: 'merchant_id' },
  analytics_rollup_state: {
    reason: "the rollup worker's own watermark over the whole database; import resets it, so the next rollup rebuilds the analytics from the transactions",
  },
};

/** Tables of the migrated schema that are neither exported nor excluded (should be none). */
export function unplannedTables(existing: readonly string[]): string[] {
  const planned = new Set([...EXPORTED_TABLES.map((t) => t.name), ...Object.keys(EXCLUDED_TABLES)]);
  return existing.filter((name) => !planned.has(name)).sort();
}

/** The header line of an export file. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  format_version: number;
  /** The last migration applied to the source: the target must be at the same one. */
  schema_version: string;
  exported_at: string;
  source_engine: 'pglite' | 'postgres';
  /** The one merchant exported, or null for every merchant (and the operator-wide tables). */
  merchant_id: string | null;
  /** The tables that follow, in this order, and their columns (generated columns are not exported). */
  tables: Array<{ name: string; columns: string[] }>;
  /** Encrypted columns are exported as they are stored. */
  encrypted_columns: string[];
}

/** The last line: row counts per table, so a truncated file is refused. */
export interface ExportTrailer {
  end: true;
  rows: Record<string, number>;
}

export const ENCRYPTED_COLUMNS = [
  'merchants.response_key_enc',
  'merchants.webhook_password_enc',
  'merchants.webhook_hmac_key_enc',
  'gateway_accounts.credentials_enc',
  'merchant_jwt_keys.junction_private_key_enc',
  'card_vault.ciphertext',
];
