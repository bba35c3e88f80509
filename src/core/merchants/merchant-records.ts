// Store records to the service's domain types. Gateway account credentials are decrypted here:
// in clear for the connector, masked for everyone else.
import { decryptSecret, type KeyRing } from '../crypto.ts';
import type { ApiKeyRecord, GatewayAccountRecord, MerchantRecord } from '../ports/merchant-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import type { ApiKeyInfo, GatewayAccount, Merchant } from './types.ts';

/** What a gateway's connector can take at all (MerchantServiceOptions.connectorCapabilities). */
export type ConnectorCapabilityLookup = (gateway: string) => { paymentMethodTypes: readonly string[]; cardBrands: readonly string[] | 'ANY'; currencies: readonly string[] | 'ANY' } | undefined;

function mask(secret: string): string {
  return secret.length >= 16 ? `****${secret.slice(-4)}` : '****';
}

export function toApiKeyInfo(record: ApiKeyRecord): ApiKeyInfo {
  return {
    id: record.id,
    merchantId: record.merchantId,
    prefix: record.prefix,
    label: record.label,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    revokedAt: record.revokedAt,
  };
}

export function toMerchant(record: MerchantRecord): Merchant {
  const version = record.settings.webhook_version;
  return {
    id: record.id,
    name: record.name,
    webhookUrl: record.webhookUrl,
    webhookUsername: record.webhookUsername,
    hasWebhookPassword: record.webhookPasswordEnc !== null,
    webhookCustomHeaders: record.webhookCustomHeaders,
    webhookVersion: typeof version === 'string' ? version : null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** An account's list narrowed to what its connector can take: "all" on the account is the connector's all. */
function narrowed(accountList: readonly string[], connectorList: readonly string[] | 'ANY' | undefined): readonly string[] {
  if (connectorList === undefined || connectorList === 'ANY' || accountList.length > 0) return accountList;
  return connectorList;
}

export function toCandidate(record: GatewayAccountRecord, capabilities?: ConnectorCapabilityLookup): RoutingAccount {
  const connector = capabilities?.(record.gateway);
  return Object.freeze({
    accountId: record.id,
    gateway: record.gateway,
    gatewayId: record.gatewayId,
    gatewayReferenceId: record.gatewayReferenceId,
    enabled: record.enabled,
    paymentMethodTypes: Object.freeze([...narrowed(record.paymentMethodTypes, connector?.paymentMethodTypes)]),
    paymentMethods: Object.freeze([...record.paymentMethods]),
    cardBrands: Object.freeze([...narrowed(record.cardBrands, connector?.cardBrands)]),
    currencies: Object.freeze([...narrowed(record.currencies, connector?.currencies)]),
    priority: record.priority,
  });
}

export function decryptCredentials(keyRing: KeyRing, record: GatewayAccountRecord): Record<string, string> {
  const parsed: unknown = JSON.parse(decryptSecret(keyRing, record.credentialsEnc));
  const credentials: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') credentials[name] = value;
  }
  return credentials;
}

export function toGatewayAccount(keyRing: KeyRing, record: GatewayAccountRecord): GatewayAccount {
  const maskedCredentials: Record<string, string> = {};
  for (const [name, value] of Object.entries(decryptCredentials(keyRing, record))) maskedCredentials[name] = mask(value);
  return {
    id: record.id,
    merchantId: record.merchantId,
    gateway: record.gateway as GatewayAccount['gateway'],
    gatewayId: record.gatewayId,
    gatewayReferenceId: record.gatewayReferenceId,
    maskedCredentials,
    paymentMethodTypes: record.paymentMethodTypes,
    paymentMethods: record.paymentMethods,
    cardBrands: record.cardBrands,
    currencies: record.currencies,
    enabled: record.enabled,
    priority: record.priority,
    fees: record.fees,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
