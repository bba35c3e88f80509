// Domain types of merchant management. Secrets never travel in these shapes except in
// MerchantSecrets and ConnectorAccount, which only the payment path asks for.
import type { GatewayName } from '../gateways.ts';

export interface Merchant {
  id: string;
  name: string;
  webhookUrl: string | null;
  webhookUsername: string | null;
  /** Whether a webhook password is set (the password itself is a secret). */
  hasWebhookPassword: boolean;
  webhookCustomHeaders: Record<string, string>;
  /** The EC API `version` date that selects the webhook event set; null: the latest. */
  webhookVersion: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiKeyInfo {
  id: string;
  merchantId: string;
  /** The first characters of the key, enough to recognise it; never the key. */
  prefix: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Fees of one account, for cost-aware routing and reports: e.g. {percent: 1.9, fixed_minor: 300}. */
export type GatewayFees = Record<string, number>;

/** What a gateway account takes and costs, as configured, stored and validated alike. */
export interface GatewayAccountSettings {
  /** Empty lists mean "no restriction" for that dimension. */
  paymentMethodTypes: string[];
  paymentMethods: string[];
  cardBrands: string[];
  currencies: string[];
  enabled: boolean;
  /** Lower runs first in the default ordering. */
  priority: number;
  fees: GatewayFees;
}

export interface GatewayAccount extends GatewayAccountSettings {
  id: string;
  merchantId: string;
  gateway: GatewayName;
  gatewayId: number;
  gatewayReferenceId: string | null;
  /** The stored credential names with masked values ("api_key": "****1a2b"): never the values. */
  maskedCredentials: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export interface MerchantSecrets {
  /** HMAC key of the return-URL signature. */
  responseKey: string;
  webhook: {
    url: string | null;
    username: string | null;
    password: string | null;
    /** HMAC key of the webhook body signature header. */
    hmacKey: string;
    customHeaders: Record<string, string>;
    version: string | null;
  };
}

export interface CreateMerchantInput {
  id?: string;
  name: string;
  webhookUrl?: string;
  webhookUsername?: string;
  webhookPassword?: string;
  webhookCustomHeaders?: Record<string, string>;
  webhookVersion?: string;
  /** A fixed first API key (demo and scripts); random when absent. */
  apiKey?: string;
}

export interface CreatedMerchant {
  merchant: Merchant;
  /** The first API key, in plaintext: shown once, never stored. */
  apiKey: string;
  apiKeyId: string;
  apiKeyPrefix: string;
  /** The return-URL response key, shown once at creation so the merchant can verify signatures. */
  responseKey: string;
  /** The key of the webhook body signature (HMAC-SHA256), shown once at creation. */
  webhookHmacKey: string;
}

/** The two keys a merchant verifies our signatures with (HMAC-SHA256), in clear: admin only. */
export interface SigningKeys {
  /** Signs the return-URL redirect (`signature` query parameter). */
  responseKey: string;
  /** Signs the outgoing webhook body (`x-junction-signature` header). */
  webhookHmacKey: string;
}

export type SigningKeyName = 'response_key' | 'webhook_hmac_key';

export interface RotatedSigningKey {
  key: SigningKeyName;
  /** The new key, in clear: answered once by the rotation (readable again only with the admin key). */
  value: string;
}

export interface UpdatedWebhookSettings {
  merchant: Merchant;
  /** Present only when the HMAC key was rotated: the new key, shown once. */
  webhookHmacKey?: string;
}

export interface CreatedApiKey {
  id: string;
  /** The key in plaintext: shown once. */
  key: string;
  prefix: string;
}

/** Undefined leaves a field as it is; null clears it. */
export interface WebhookSettingsPatch {
  url?: string | null;
  username?: string | null;
  password?: string | null;
  customHeaders?: Record<string, string>;
  version?: string | null;
  /** Generates a new webhook HMAC key (returned once). */
  rotateHmacKey?: boolean;
}

export interface GatewayAccountInput {
  gateway: string;
  gatewayReferenceId?: string | null;
  /** On a patch, replaces the whole credential set (rotation). */
  credentials?: Record<string, string>;
  paymentMethodTypes?: string[];
  paymentMethods?: string[];
  cardBrands?: string[];
  currencies?: string[];
  enabled?: boolean;
  priority?: number;
  fees?: GatewayFees;
}

/** A change to an account: any field but its gateway. */
export type GatewayAccountPatch = Omit<GatewayAccountInput, 'gateway'>;

export interface AuthenticatedKey {
  merchantId: string;
  keyId: string;
}
