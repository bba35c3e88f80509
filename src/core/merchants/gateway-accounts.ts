// A merchant's gateway accounts: saved (credentials encrypted, checked against the gateway's
// connector), listed with masked credentials, and read by routing (candidates) and by the
// connectors (credentials in clear), both cached for a few seconds.
import { encryptSecret, newId } from '../crypto.ts';
import { AppError, notFound } from '../errors.ts';
import { gatewayIdOf } from '../gateways.ts';
import type { ConnectorAccount } from '../ports/connector.ts';
import type { GatewayAccountRecordPatch } from '../ports/merchant-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import { connectorCacheKey } from './merchant-caches.ts';
import { requireMerchant, type MerchantDeps } from './merchant-deps.ts';
import { validateGatewayAccountInput, validateGatewayAccountPatch } from './merchant-input.ts';
import { decryptCredentials, toCandidate, toGatewayAccount, type ConnectorCapabilityLookup } from './merchant-records.ts';
import type { GatewayAccount, GatewayAccountInput, GatewayAccountPatch } from './types.ts';

/** What the connectors tell the service about gateways (see MerchantServiceOptions). */
export interface GatewayConnectorChecks {
  /**
   * Gateways this build has a connector for (connectors/registry.ts). An account for any other
   * gateway is refused when saved (GATEWAY_NOT_CONNECTED) instead of declining every payment later.
   */
  connectedGateways?: ReadonlySet<string>;
  /** The connector's check of an account's credentials (names, presence, shape): problems refuse the save. */
  credentialProblems?: (gateway: string, credentials: Record<string, string>) => Array<{ field_name: string; reason: string }>;
  /**
   * What the gateway's connector can take at all. An account's empty list ("all") means all of
   * these, and an account cannot claim a payment method type its connector cannot take.
   */
  connectorCapabilities?: ConnectorCapabilityLookup;
}

export type GatewayAccountDeps = MerchantDeps & { connectors: GatewayConnectorChecks };

function duplicateAccount(gateway: string, referenceId: string | null): AppError {
  return new AppError('ALREADY_EXISTS', `A ${gateway} account with gateway_reference_id ${referenceId ?? '(none)'} already exists for this merchant`, {
    fields: [{ field_name: 'gateway_reference_id', reason: `already used by another ${gateway} account of this merchant` }],
  });
}

/** Refuses credentials the connector cannot use and payment method types it cannot take, naming each field. */
function checkAgainstConnector(checks: GatewayConnectorChecks, gateway: string, credentials: Record<string, string> | undefined, paymentMethodTypes: readonly string[] | undefined): void {
  const problems = credentials !== undefined ? (checks.credentialProblems?.(gateway, credentials) ?? []) : [];
  const capabilities = checks.connectorCapabilities?.(gateway);
  for (const type of paymentMethodTypes ?? []) {
    if (capabilities && !capabilities.paymentMethodTypes.includes(type)) {
      problems.push({ field_name: 'payment_method_types', reason: `${gateway}'s connector does not take ${type} (it takes ${capabilities.paymentMethodTypes.join(', ')})` });
    }
  }
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', `Invalid ${gateway} account: ${problems.map((p) => `${p.field_name} ${p.reason}`).join('; ')}`, { fields: problems });
  }
}

function invalidateAccounts(deps: MerchantDeps, merchantId: string, accountId?: string): void {
  deps.caches.routing.delete(merchantId);
  if (accountId) deps.caches.connector.delete(connectorCacheKey(merchantId, accountId));
  deps.changed(merchantId);
}

export async function createGatewayAccount(deps: GatewayAccountDeps, merchantId: string, input: GatewayAccountInput): Promise<GatewayAccount> {
  const { store, keyRing, connectors } = deps;
  await requireMerchant(store, merchantId);
  const valid = validateGatewayAccountInput(input);
  if (connectors.connectedGateways && !connectors.connectedGateways.has(valid.gateway)) {
    const known = [...connectors.connectedGateways].sort().join(', ');
    throw new AppError('GATEWAY_NOT_CONNECTED', `Junction has no connector for ${valid.gateway} yet, so an account for it could not take payments; gateways with a connector: ${known}`, {
      fields: [{ field_name: 'gateway', reason: `${valid.gateway} has no connector in this version (connected: ${known})` }],
    });
  }
  checkAgainstConnector(connectors, valid.gateway, valid.credentials, valid.paymentMethodTypes);
  const result = await store.insertGatewayAccount({
    id: newId('gwa'),
    merchantId,
    gateway: valid.gateway,
    gatewayId: gatewayIdOf(valid.gateway),
    gatewayReferenceId: valid.gatewayReferenceId,
    credentialsEnc: encryptSecret(keyRing, JSON.stringify(valid.credentials)),
    paymentMethodTypes: valid.paymentMethodTypes,
    paymentMethods: valid.paymentMethods,
    cardBrands: valid.cardBrands,
    currencies: valid.currencies,
    enabled: valid.enabled,
    priority: valid.priority,
    fees: valid.fees,
  });
  if (!result.ok) throw duplicateAccount(valid.gateway, valid.gatewayReferenceId);
  invalidateAccounts(deps, merchantId);
  return toGatewayAccount(keyRing, result.value);
}

export async function listGatewayAccounts(deps: MerchantDeps, merchantId: string): Promise<GatewayAccount[]> {
  await requireMerchant(deps.store, merchantId);
  return (await deps.store.listGatewayAccounts(merchantId)).map((record) => toGatewayAccount(deps.keyRing, record));
}

export async function getGatewayAccount(deps: MerchantDeps, merchantId: string, accountId: string): Promise<GatewayAccount> {
  const record = await deps.store.getGatewayAccount(merchantId, accountId);
  if (!record) throw notFound('Gateway account');
  return toGatewayAccount(deps.keyRing, record);
}

export async function updateGatewayAccount(deps: GatewayAccountDeps, merchantId: string, accountId: string, patch: GatewayAccountPatch): Promise<GatewayAccount> {
  const { store, keyRing } = deps;
  const current = await store.getGatewayAccount(merchantId, accountId);
  if (!current) throw notFound('Gateway account');
  const valid = validateGatewayAccountPatch(patch);
  checkAgainstConnector(deps.connectors, current.gateway, valid.credentials, valid.paymentMethodTypes);
  const update: GatewayAccountRecordPatch = {};
  if (valid.gatewayReferenceId !== undefined) update.gatewayReferenceId = valid.gatewayReferenceId;
  if (valid.credentials !== undefined) update.credentialsEnc = encryptSecret(keyRing, JSON.stringify(valid.credentials));
  if (valid.paymentMethodTypes !== undefined) update.paymentMethodTypes = valid.paymentMethodTypes;
  if (valid.paymentMethods !== undefined) update.paymentMethods = valid.paymentMethods;
  if (valid.cardBrands !== undefined) update.cardBrands = valid.cardBrands;
  if (valid.currencies !== undefined) update.currencies = valid.currencies;
  if (valid.enabled !== undefined) update.enabled = valid.enabled;
  if (valid.priority !== undefined) update.priority = valid.priority;
  if (valid.fees !== undefined) update.fees = valid.fees;
  const result = await store.updateGatewayAccount(merchantId, accountId, update);
  if (!result) throw notFound('Gateway account');
  if (!result.ok) throw duplicateAccount(current.gateway, valid.gatewayReferenceId ?? null);
  invalidateAccounts(deps, merchantId, accountId);
  return toGatewayAccount(keyRing, result.value);
}

export async function routingCandidates(deps: GatewayAccountDeps, merchantId: string): Promise<readonly RoutingAccount[]> {
  const cached = deps.caches.routing.get(merchantId);
  if (cached) return cached;
  const candidates = Object.freeze((await deps.store.listGatewayAccounts(merchantId)).map((record) => toCandidate(record, deps.connectors.connectorCapabilities)));
  deps.caches.routing.set(merchantId, candidates);
  return candidates;
}

export async function connectorAccount(deps: MerchantDeps, merchantId: string, accountId: string): Promise<ConnectorAccount> {
  const cacheKey = connectorCacheKey(merchantId, accountId);
  const cached = deps.caches.connector.get(cacheKey);
  if (cached) return cached;
  const record = await deps.store.getGatewayAccount(merchantId, accountId);
  if (!record) throw notFound('Gateway account');
  const account: ConnectorAccount = Object.freeze({
    accountId: record.id,
    merchantId: record.merchantId,
    gateway: record.gateway,
    gatewayReferenceId: record.gatewayReferenceId,
    credentials: Object.freeze(decryptCredentials(deps.keyRing, record)),
  });
  deps.caches.connector.set(cacheKey, account);
  return account;
}
