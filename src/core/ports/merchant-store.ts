// The storage port of merchant management: records as stored (secrets still encrypted). The
// service encrypts and decrypts; the store only moves opaque strings.
import type { GatewayAccountSettings } from '../merchants/types.ts';

export interface MerchantRecord {
  id: string;
  name: string;
  responseKeyEnc: string;
  webhookUrl: string | null;
  webhookUsername: string | null;
  webhookPasswordEnc: string | null;
  webhookHmacKeyEnc: string;
  webhookCustomHeaders: Record<string, string>;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type NewMerchantRecord = Omit<MerchantRecord, 'createdAt' | 'updatedAt'>;

export interface MerchantRecordPatch {
  responseKeyEnc?: string;
  webhookUrl?: string | null;
  webhookUsername?: string | null;
  webhookPasswordEnc?: string | null;
  webhookHmacKeyEnc?: string;
  webhookCustomHeaders?: Record<string, string>;
  settings?: Record<string, unknown>;
}

export interface ApiKeyRecord {
  id: string;
  merchantId: string;
  keyHash: string;
  prefix: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type NewApiKeyRecord = Pick<ApiKeyRecord, 'id' | 'merchantId' | 'keyHash' | 'prefix' | 'label'>;

export interface GatewayAccountRecord extends GatewayAccountSettings {
  id: string;
  merchantId: string;
  gateway: string;
  gatewayId: number;
  gatewayReferenceId: string | null;
  credentialsEnc: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewGatewayAccountRecord = Omit<GatewayAccountRecord, 'createdAt' | 'updatedAt'>;

export type GatewayAccountRecordPatch = Partial<
  Pick<GatewayAccountRecord, 'gatewayReferenceId' | 'credentialsEnc' | 'paymentMethodTypes' | 'paymentMethods' | 'cardBrands' | 'currencies' | 'enabled' | 'priority' | 'fees'>
>;

/** Outcome of an insert that may hit a unique constraint. */
export type InsertResult<T> = { ok: true; value: T } | { ok: false; conflict: 'merchant_id' | 'api_key' | 'gateway_reference' };

export interface MerchantStore {
  /** Inserts the merchant and its first API key in one transaction. */
  insertMerchant(merchant: NewMerchantRecord, firstKey: NewApiKeyRecord): Promise<InsertResult<MerchantRecord>>;
  getMerchant(merchantId: string): Promise<MerchantRecord | null>;
  /** Merchants in id order, after `afterId` when given (keyset pages for the admin list). */
  listMerchants(options: { afterId?: string; limit: number }): Promise<MerchantRecord[]>;
  updateMerchant(merchantId: string, patch: MerchantRecordPatch): Promise<MerchantRecord | null>;

  insertApiKey(key: NewApiKeyRecord): Promise<InsertResult<ApiKeyRecord>>;
  listApiKeys(merchantId: string): Promise<ApiKeyRecord[]>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Sets revoked_at if not yet revoked; null when the key is not the merchant's. */
  revokeApiKey(merchantId: string, keyId: string, at: Date): Promise<ApiKeyRecord | null>;
  touchApiKey(keyId: string, at: Date): Promise<void>;

  insertGatewayAccount(account: NewGatewayAccountRecord): Promise<InsertResult<GatewayAccountRecord>>;
  listGatewayAccounts(merchantId: string): Promise<GatewayAccountRecord[]>;
  getGatewayAccount(merchantId: string, accountId: string): Promise<GatewayAccountRecord | null>;
  updateGatewayAccount(merchantId: string, accountId: string, patch: GatewayAccountRecordPatch): Promise<InsertResult<GatewayAccountRecord> | null>;
}
