// MerchantStore over plain parameterised SQL: the same statements run on PGlite and PostgreSQL.
import type {
  ApiKeyRecord,
  GatewayAccountRecord,
  GatewayAccountRecordPatch,
  InsertResult,
  MerchantRecord,
  MerchantRecordPatch,
  MerchantStore,
  NewApiKeyRecord,
  NewGatewayAccountRecord,
  NewMerchantRecord,
} from '../core/ports/merchant-store.ts';
import type { Db, Sql, SqlParam } from './db.ts';

interface MerchantRow {
  id: string;
  name: string;
  response_key_enc: string;
  webhook_url: string | null;
  webhook_username: string | null;
  webhook_password_enc: string | null;
  webhook_hmac_key_enc: string;
  webhook_custom_headers: Record<string, string> | null;
  settings: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

interface ApiKeyRow {
  id: string;
  merchant_id: string;
  key_hash: string;
  key_prefix: string;
  label: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

interface GatewayAccountRow {
  id: string;
  merchant_id: string;
  gateway: string;
  gateway_id: number;
  gateway_reference_id: string | null;
  credentials_enc: string;
  payment_method_types: string[] | null;
  payment_methods: string[] | null;
  card_brands: string[] | null;
  currencies: string[] | null;
  enabled: boolean;
  priority: number;
  fees: Record<string, number> | null;
  created_at: Date;
  updated_at: Date;
}

function toMerchant(row: MerchantRow): MerchantRecord {
  return {
    id: row.id,
    name: row.name,
    responseKeyEnc: row.response_key_enc,
    webhookUrl: row.webhook_url,
    webhookUsername: row.webhook_username,
    webhookPasswordEnc: row.webhook_password_enc,
    webhookHmacKeyEnc: row.webhook_hmac_key_enc,
    webhookCustomHeaders: row.webhook_custom_headers ?? {},
    settings: row.settings ?? {},
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    keyHash: row.key_hash,
    prefix: row.key_prefix,
    label: row.label,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
  };
}

function toGatewayAccount(row: GatewayAccountRow): GatewayAccountRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    gateway: row.gateway,
    gatewayId: Number(row.gateway_id),
    gatewayReferenceId: row.gateway_reference_id,
    credentialsEnc: row.credentials_enc,
    paymentMethodTypes: row.payment_method_types ?? [],
    paymentMethods: row.payment_methods ?? [],
    cardBrands: row.card_brands ?? [],
    currencies: row.currencies ?? [],
    enabled: row.enabled,
    priority: Number(row.priority),
    fees: row.fees ?? {},
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Unique violations become data; which constraint decides the conflict's name. */
function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== '23505') return null;
  const constraint = typeof e.constraint === 'string' ? e.constraint : typeof e.message === 'string' ? e.message : '';
  return constraint;
}

const MERCHANT_COLUMNS = 'id, name, response_key_enc, webhook_url, webhook_username, webhook_password_enc, webhook_hmac_key_enc, webhook_custom_headers, settings, created_at, updated_at';
const API_KEY_COLUMNS = 'id, merchant_id, key_hash, key_prefix, label, created_at, last_used_at, revoked_at';
const ACCOUNT_COLUMNS =
  'id, merchant_id, gateway, gateway_id, gateway_reference_id, credentials_enc, payment_method_types, payment_methods, card_brands, currencies, enabled, priority, fees, created_at, updated_at';

async function insertKey(sql: Sql, key: NewApiKeyRecord): Promise<ApiKeyRecord> {
  const rows = await sql.query<ApiKeyRow>(`INSERT INTO api_keys (id, merchant_id, key_hash, key_prefix, label) VALUES ($1, $2, $3, $4, $5) RETURNING ${API_KEY_COLUMNS}`, [
    key.id,
    key.merchantId,
    key.keyHash,
    key.prefix,
    key.label,
  ]);
  return toApiKey(rows[0]!);
}

export class SqlMerchantStore implements MerchantStore {
  constructor(private readonly db: Db) {}

  async insertMerchant(merchant: NewMerchantRecord, firstKey: NewApiKeyRecord): Promise<InsertResult<MerchantRecord>> {
    try {
      const record = await this.db.transaction(async (tx) => {
        const rows = await tx.query<MerchantRow>(
          `INSERT INTO merchants (id, name, response_key_enc, webhook_url, webhook_username, webhook_password_enc, webhook_hmac_key_enc, webhook_custom_headers, settings)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb) RETURNING ${MERCHANT_COLUMNS}`,
          [
            merchant.id,
            merchant.name,
            merchant.responseKeyEnc,
            merchant.webhookUrl,
            merchant.webhookUsername,
            merchant.webhookPasswordEnc,
            merchant.webhookHmacKeyEnc,
            merchant.webhookCustomHeaders,
            merchant.settings,
          ],
        );
        await insertKey(tx, firstKey);
        return toMerchant(rows[0]!);
      });
      return { ok: true, value: record };
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === null) throw error;
      return { ok: false, conflict: constraint.includes('api_keys') ? 'api_key' : 'merchant_id' };
    }
  }

  async getMerchant(merchantId: string): Promise<MerchantRecord | null> {
    const rows = await this.db.query<MerchantRow>(`SELECT ${MERCHANT_COLUMNS} FROM merchants WHERE id = $1`, [merchantId]);
    return rows[0] ? toMerchant(rows[0]) : null;
  }

  async listMerchants(options: { afterId?: string; limit: number }): Promise<MerchantRecord[]> {
    const rows = await this.db.query<MerchantRow>(`SELECT ${MERCHANT_COLUMNS} FROM merchants WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`, [options.afterId ?? null, options.limit]);
    return rows.map(toMerchant);
  }

  async updateMerchant(merchantId: string, patch: MerchantRecordPatch): Promise<MerchantRecord | null> {
    const sets: string[] = [];
    const params: SqlParam[] = [merchantId];
    const set = (column: string, value: SqlParam, cast = ''): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (patch.responseKeyEnc !== undefined) set('response_key_enc', patch.responseKeyEnc);
    if (patch.webhookUrl !== undefined) set('webhook_url', patch.webhookUrl);
    if (patch.webhookUsername !== undefined) set('webhook_username', patch.webhookUsername);
    if (patch.webhookPasswordEnc !== undefined) set('webhook_password_enc', patch.webhookPasswordEnc);
    if (patch.webhookHmacKeyEnc !== undefined) set('webhook_hmac_key_enc', patch.webhookHmacKeyEnc);
    if (patch.webhookCustomHeaders !== undefined) set('webhook_custom_headers', patch.webhookCustomHeaders, '::jsonb');
    if (patch.settings !== undefined) set('settings', patch.settings, '::jsonb');
    sets.push('updated_at = now()');
    const rows = await this.db.query<MerchantRow>(`UPDATE merchants SET ${sets.join(', ')} WHERE id = $1 RETURNING ${MERCHANT_COLUMNS}`, params);
    return rows[0] ? toMerchant(rows[0]) : null;
  }

  async insertApiKey(key: NewApiKeyRecord): Promise<InsertResult<ApiKeyRecord>> {
    try {
      return { ok: true, value: await insertKey(this.db, key) };
    } catch (error) {
      if (uniqueViolation(error) === null) throw error;
      return { ok: false, conflict: 'api_key' };
    }
  }

  async listApiKeys(merchantId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE merchant_id = $1 ORDER BY created_at, id`, [merchantId]);
    return rows.map(toApiKey);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const rows = await this.db.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1`, [keyHash]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async revokeApiKey(merchantId: string, keyId: string, at: Date): Promise<ApiKeyRecord | null> {
    const rows = await this.db.query<ApiKeyRow>(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND merchant_id = $2 RETURNING ${API_KEY_COLUMNS}`, [keyId, merchantId, at]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async touchApiKey(keyId: string, at: Date): Promise<void> {
    await this.db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [keyId, at]);
  }

  async insertGatewayAccount(account: NewGatewayAccountRecord): Promise<InsertResult<GatewayAccountRecord>> {
    try {
      const rows = await this.db.query<GatewayAccountRow>(
        `INSERT INTO gateway_accounts (id, merchant_id, gateway, gateway_id, gateway_reference_id, credentials_enc, payment_method_types, payment_methods, card_brands, currencies, enabled, priority, fees)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::text[], $9::text[], $10::text[], $11, $12, $13::jsonb) RETURNING ${ACCOUNT_COLUMNS}`,
        [
          account.id,
          account.merchantId,
          account.gateway,
          account.gatewayId,
          account.gatewayReferenceId,
          account.credentialsEnc,
          account.paymentMethodTypes,
          account.paymentMethods,
          account.cardBrands,
          account.currencies,
          account.enabled,
          account.priority,
          account.fees,
        ],
      );
      return { ok: true, value: toGatewayAccount(rows[0]!) };
    } catch (error) {
      if (uniqueViolation(error) === null) throw error;
      return { ok: false, conflict: 'gateway_reference' };
    }
  }

  async listGatewayAccounts(merchantId: string): Promise<GatewayAccountRecord[]> {
    const rows = await this.db.query<GatewayAccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM gateway_accounts WHERE merchant_id = $1 ORDER BY priority, created_at, id`, [merchantId]);
    return rows.map(toGatewayAccount);
  }

  async getGatewayAccount(merchantId: string, accountId: string): Promise<GatewayAccountRecord | null> {
    const rows = await this.db.query<GatewayAccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM gateway_accounts WHERE id = $1 AND merchant_id = $2`, [accountId, merchantId]);
    return rows[0] ? toGatewayAccount(rows[0]) : null;
  }

  async updateGatewayAccount(merchantId: string, accountId: string, patch: GatewayAccountRecordPatch): Promise<InsertResult<GatewayAccountRecord> | null> {
    const sets: string[] = [];
    const params: SqlParam[] = [accountId, merchantId];
    const set = (column: string, value: SqlParam, cast = ''): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (patch.gatewayReferenceId !== undefined) set('gateway_reference_id', patch.gatewayReferenceId);
    if (patch.credentialsEnc !== undefined) set('credentials_enc', patch.credentialsEnc);
    if (patch.paymentMethodTypes !== undefined) set('payment_method_types', patch.paymentMethodTypes, '::text[]');
    if (patch.paymentMethods !== undefined) set('payment_methods', patch.paymentMethods, '::text[]');
    if (patch.cardBrands !== undefined) set('card_brands', patch.cardBrands, '::text[]');
    if (patch.currencies !== undefined) set('currencies', patch.currencies, '::text[]');
    if (patch.enabled !== undefined) set('enabled', patch.enabled);
    if (patch.priority !== undefined) set('priority', patch.priority);
    if (patch.fees !== undefined) set('fees', patch.fees, '::jsonb');
    sets.push('updated_at = now()');
    try {
      const rows = await this.db.query<GatewayAccountRow>(`UPDATE gateway_accounts SET ${sets.join(', ')} WHERE id = $1 AND merchant_id = $2 RETURNING ${ACCOUNT_COLUMNS}`, params);
      return rows[0] ? { ok: true, value: toGatewayAccount(rows[0]) } : null;
    } catch (error) {
      if (uniqueViolation(error) === null) throw error;
      return { ok: false, conflict: 'gateway_reference' };
    }
  }
}

export function createMerchantRepository(db: Db): MerchantStore {
  return new SqlMerchantStore(db);
}
