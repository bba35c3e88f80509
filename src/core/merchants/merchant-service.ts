// Merchant management: merchants, API keys, webhook settings and gateway accounts. Secrets are
// encrypted here (the store only moves ciphertext); API keys are stored as SHA-256 digests.
// Hot lookups (authenticate, routingCandidates, connectorAccount, getMerchantSecrets) are cached
// in memory for a few seconds; local writes invalidate at once, other instances see a write
// within the TTL.
import type { RoutingSettings } from '../routing-settings.ts';
import type { KeyRing } from '../crypto.ts';
import type { ConnectorAccount } from '../ports/connector.ts';
import type { MerchantStore } from '../ports/merchant-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import { authenticate, createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import {
  connectorAccount,
  createGatewayAccount,
  getGatewayAccount,
  listGatewayAccounts,
  routingCandidates,
  updateGatewayAccount,
  type GatewayAccountDeps,
  type GatewayConnectorChecks,
} from './gateway-accounts.ts';
import { createMerchantCaches, invalidateMerchantCaches, type MerchantCacheTtls } from './merchant-caches.ts';
import { getMerchantSecrets, getRoutingSettings, updateRoutingSettings, updateWebhookSettings } from './merchant-settings.ts';
import { createMerchant, findMerchant, getMerchant, listMerchants } from './merchants.ts';
import { getSigningKeys, rotateSigningKey } from './signing-keys.ts';
import type {
  ApiKeyInfo,
  AuthenticatedKey,
  CreatedApiKey,
  CreatedMerchant,
  CreateMerchantInput,
  GatewayAccount,
  GatewayAccountInput,
  GatewayAccountPatch,
  Merchant,
  MerchantSecrets,
  RotatedSigningKey,
  SigningKeyName,
  SigningKeys,
  UpdatedWebhookSettings,
  WebhookSettingsPatch,
} from './types.ts';

export interface MerchantService {
  createMerchant(input: CreateMerchantInput): Promise<CreatedMerchant>;
  getMerchant(merchantId: string): Promise<Merchant>;
  /** Like getMerchant, but null when there is no such merchant. */
  findMerchant(merchantId: string): Promise<Merchant | null>;
  /** A page of merchants in id order: `limit` (1-200, default 50) and the `cursor` of the previous page. */
  listMerchants(query: { limit?: string; cursor?: string }): Promise<{ merchants: Merchant[]; nextCursor: string | null }>;
  updateWebhookSettings(merchantId: string, patch: WebhookSettingsPatch): Promise<UpdatedWebhookSettings>;
  getMerchantSecrets(merchantId: string): Promise<MerchantSecrets>;
  /** The response key and the webhook signing key in clear, read from the store (not the cache). */
  getSigningKeys(merchantId: string): Promise<SigningKeys>;
  /** Replaces one signing key with a new random one; the old one stops signing at once on this instance. */
  rotateSigningKey(merchantId: string, key: SigningKeyName): Promise<RotatedSigningKey>;

  createApiKey(merchantId: string, label?: string | null, options?: { key?: string }): Promise<CreatedApiKey>;
  listApiKeys(merchantId: string): Promise<ApiKeyInfo[]>;
  revokeApiKey(merchantId: string, keyId: string): Promise<ApiKeyInfo>;
  authenticate(apiKey: string): Promise<AuthenticatedKey | null>;

  createGatewayAccount(merchantId: string, input: GatewayAccountInput): Promise<GatewayAccount>;
  listGatewayAccounts(merchantId: string): Promise<GatewayAccount[]>;
  getGatewayAccount(merchantId: string, accountId: string): Promise<GatewayAccount>;
  updateGatewayAccount(merchantId: string, accountId: string, patch: GatewayAccountPatch): Promise<GatewayAccount>;
  routingCandidates(merchantId: string): Promise<readonly RoutingAccount[]>;
  getRoutingSettings(merchantId: string): Promise<RoutingSettings>;
  updateRoutingSettings(merchantId: string, body: unknown): Promise<RoutingSettings>;
  connectorAccount(merchantId: string, accountId: string): Promise<ConnectorAccount>;
  /** Drops every cached lookup of the merchant in this process (another instance changed it). */
  invalidateCaches(merchantId: string): void;
}

export interface MerchantServiceOptions extends GatewayConnectorChecks {
  store: MerchantStore;
  keyRing: KeyRing;
  now?: () => Date;
  /** Cache lifetimes in milliseconds (0 disables a cache). */
  cacheTtlMs?: MerchantCacheTtls;
  /**
   * Called after every change that dropped cached lookups here (accounts, routing settings, webhook
   * settings, signing keys, revoked keys), so that other instances drop theirs (app.ts publishes it).
   */
  onChange?: (merchantId: string) => void;
}

/** Wires the merchant use-cases (merchants.ts, api-keys.ts, signing-keys.ts, merchant-settings.ts, gateway-accounts.ts) to one store, key ring, clock and set of caches. */
export function createMerchantService(options: MerchantServiceOptions): MerchantService {
  const now = options.now ?? (() => new Date());
  const caches = createMerchantCaches(options.cacheTtlMs ?? {}, () => now().getTime());
  const deps: GatewayAccountDeps = {
    store: options.store,
    keyRing: options.keyRing,
    now,
    caches,
    changed: (merchantId) => {
      options.onChange?.(merchantId);
    },
    connectors: { connectedGateways: options.connectedGateways, credentialProblems: options.credentialProblems, connectorCapabilities: options.connectorCapabilities },
  };
  return {
    createMerchant: (input) => createMerchant(deps, input),
    getMerchant: (merchantId) => getMerchant(deps, merchantId),
    findMerchant: (merchantId) => findMerchant(deps, merchantId),
    listMerchants: (query) => listMerchants(deps, query),
    updateWebhookSettings: (merchantId, patch) => updateWebhookSettings(deps, merchantId, patch),
    getMerchantSecrets: (merchantId) => getMerchantSecrets(deps, merchantId),
    getSigningKeys: (merchantId) => getSigningKeys(deps, merchantId),
    rotateSigningKey: (merchantId, key) => rotateSigningKey(deps, merchantId, key),

    createApiKey: (merchantId, label, keyOptions) => createApiKey(deps, merchantId, label, keyOptions),
    listApiKeys: (merchantId) => listApiKeys(deps, merchantId),
    revokeApiKey: (merchantId, keyId) => revokeApiKey(deps, merchantId, keyId),
    authenticate: (apiKey) => authenticate(deps, apiKey),

    createGatewayAccount: (merchantId, input) => createGatewayAccount(deps, merchantId, input),
    listGatewayAccounts: (merchantId) => listGatewayAccounts(deps, merchantId),
    getGatewayAccount: (merchantId, accountId) => getGatewayAccount(deps, merchantId, accountId),
    updateGatewayAccount: (merchantId, accountId, patch) => updateGatewayAccount(deps, merchantId, accountId, patch),
    routingCandidates: (merchantId) => routingCandidates(deps, merchantId),
    getRoutingSettings: (merchantId) => getRoutingSettings(deps, merchantId),
    updateRoutingSettings: (merchantId, body) => updateRoutingSettings(deps, merchantId, body),
    connectorAccount: (merchantId, accountId) => connectorAccount(deps, merchantId, accountId),
    invalidateCaches: (merchantId) => invalidateMerchantCaches(caches, merchantId),
  };
}
