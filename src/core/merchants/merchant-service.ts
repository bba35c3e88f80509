// Merchant management: merchants, API keys, webhook settings and gateway accounts. Secrets are
// encrypted here (the store only moves ciphertext); API keys are stored as SHA-256 digests.
// Hot lookups (authenticate, routingCandidates, connectorAccount, getMerchantSecrets) are cached
// in memory for a few seconds; local writes invalidate at once, other instances see a write
// within the TTL.
import { applyRoutingSettingsPatch, routingSettingsFrom, routingSettingsToWire, type RoutingSettings } from '../routing-settings.ts';
import { decryptSecret, encryptSecret, newId, randomToken, sha256Hex, type KeyRing } from '../crypto.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { gatewayIdOf } from '../gateways.ts';
import type { ConnectorAccount } from '../ports/connector.ts';
import type { ApiKeyRecord, GatewayAccountRecord, GatewayAccountRecordPatch, MerchantRecord, MerchantRecordPatch, MerchantStore, NewApiKeyRecord } from '../ports/merchant-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import {
  validateCustomHeaders,
  validateFixedApiKey,
  validateGatewayAccountInput,
  validateGatewayAccountPatch,
  validateLabel,
  validateMerchantId,
  validateName,
  validateOptionalText,
  validateWebhookUrl,
  validateWebhookVersion,
} from './merchant-input.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
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

export interface MerchantServiceOptions {
  store: MerchantStore;
  keyRing: KeyRing;
  now?: () => Date;
  /** Cache lifetimes in milliseconds (0 disables a cache). */
  cacheTtlMs?: { auth?: number; routing?: number; secrets?: number };
  /**
   * Called after every change that dropped cached lookups here (accounts, routing settings, webhook
   * settings, signing keys, revoked keys), so that other instances drop theirs (app.ts publishes it).
   */
  onChange?: (merchantId: string) => void;
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
  connectorCapabilities?: (gateway: string) => { paymentMethodTypes: readonly string[]; cardBrands: readonly string[] | 'ANY'; currencies: readonly string[] | 'ANY' } | undefined;
}

/** last_used_at is written at most this often per key, so authentication is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_API_KEY_LENGTH = 256;

/** A signing key: 32 random bytes, base64url (43 characters), used as the HMAC key's UTF-8 text. */
function newSigningKey(): string {
  return randomToken(32);
}

function keyPrefix(key: string): string {
  // Enough to recognise a key in a list, never enough to guess it.
  return key.slice(0, Math.min(12, Math.floor(key.length / 3)));
}

const MERCHANT_PAGE_DEFAULT = 50;
const MERCHANT_PAGE_MAX = 200;

function mask(secret: string): string {
  return secret.length >= 16 ? `****${secret.slice(-4)}` : '****';
}

function toApiKeyInfo(record: ApiKeyRecord): ApiKeyInfo {
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

function toMerchant(record: MerchantRecord): Merchant {
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

type ConnectorCapabilityLookup = NonNullable<MerchantServiceOptions['connectorCapabilities']>;

/** An account's list narrowed to what its connector can take: "all" on the account is the connector's all. */
function narrowed(accountList: readonly string[], connectorList: readonly string[] | 'ANY' | undefined): readonly string[] {
  if (connectorList === undefined || connectorList === 'ANY' || accountList.length > 0) return accountList;
  return connectorList;
}

function toCandidate(record: GatewayAccountRecord, capabilities?: ConnectorCapabilityLookup): RoutingAccount {
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

function duplicateAccount(gateway: string, referenceId: string | null): AppError {
  return new AppError('ALREADY_EXISTS', `A ${gateway} account with gateway_reference_id ${referenceId ?? '(none)'} already exists for this merchant`, {
    fields: [{ field_name: 'gateway_reference_id', reason: `already used by another ${gateway} account of this merchant` }],
  });
}

function duplicateKey(field: string): AppError {
  return new AppError('ALREADY_EXISTS', 'This API key is already in use', { fields: [{ field_name: field, reason: 'is already in use' }] });
}

/** How many API keys' hashes one instance remembers (see keyHashes). */
const KEY_HASHES = 1_000;

export function createMerchantService(options: MerchantServiceOptions): MerchantService {
  /** Refuses credentials the connector cannot use and payment method types it cannot take, naming each field. */
  function checkAgainstConnector(gateway: string, credentials: Record<string, string> | undefined, paymentMethodTypes: readonly string[] | undefined): void {
    const problems = credentials !== undefined ? (options.credentialProblems?.(gateway, credentials) ?? []) : [];
    const capabilities = options.connectorCapabilities?.(gateway);
    for (const type of paymentMethodTypes ?? []) {
      if (capabilities && !capabilities.paymentMethodTypes.includes(type)) {
        problems.push({ field_name: 'payment_method_types', reason: `${gateway}'s connector does not take ${type} (it takes ${capabilities.paymentMethodTypes.join(', ')})` });
      }
    }
    if (problems.length > 0) {
      throw new AppError('INVALID_INPUT', `Invalid ${gateway} account: ${problems.map((p) => `${p.field_name} ${p.reason}`).join('; ')}`, { fields: problems });
    }
  }

  const { store, keyRing } = options;
  const now = options.now ?? (() => new Date());
  const nowMs = (): number => now().getTime();
  const authCache = new TtlCache<AuthenticatedKey>(options.cacheTtlMs?.auth ?? 5_000, nowMs);
  // The SHA-256 of keys that authenticated, so that a key seen again is not hashed again (a tenth of
  // a decide-gateway request's time). The hash is a function of the key alone: nothing to invalidate;
  // whether the key is still valid is authCache's and the database's answer, as before. Only keys
  // that matched a record are remembered, at most KEY_HASHES of them (then it starts over).
  const keyHashes = new Map<string, string>();
  const routingCache = new TtlCache<readonly RoutingAccount[]>(options.cacheTtlMs?.routing ?? 3_000, nowMs);
  const secretsCache = new TtlCache<MerchantSecrets>(options.cacheTtlMs?.secrets ?? 5_000, nowMs);
  const routingSettingsCache = new TtlCache<RoutingSettings>(options.cacheTtlMs?.routing ?? 3_000, nowMs);
  const connectorCache = new TtlCache<ConnectorAccount>(options.cacheTtlMs?.secrets ?? 5_000, nowMs, 5_000);

  const decryptCredentials = (record: GatewayAccountRecord): Record<string, string> => {
    const parsed: unknown = JSON.parse(decryptSecret(keyRing, record.credentialsEnc));
    const credentials: Record<string, string> = {};
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') credentials[name] = value;
    }
    return credentials;
  };

  const toGatewayAccount = (record: GatewayAccountRecord): GatewayAccount => {
    const maskedCredentials: Record<string, string> = {};
    for (const [name, value] of Object.entries(decryptCredentials(record))) maskedCredentials[name] = mask(value);
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
  };

  const requireMerchant = async (merchantId: string): Promise<MerchantRecord> => {
    const record = typeof merchantId === 'string' && merchantId ? await store.getMerchant(merchantId) : null;
    if (!record) throw notFound('Merchant');
    return record;
  };

  const newKey = (merchantId: string, label: string | null, fixed: string | undefined): { record: NewApiKeyRecord; key: string } => {
    const key = fixed ?? `jnc_${randomToken(24)}`;
    return { key, record: { id: newId('key'), merchantId, keyHash: sha256Hex(key), prefix: keyPrefix(key), label } };
  };

  const changed = (merchantId: string): void => {
    options.onChange?.(merchantId);
  };

  const invalidateAccounts = (merchantId: string, accountId?: string): void => {
    routingCache.delete(merchantId);
    if (accountId) connectorCache.delete(`${merchantId}\u0000${accountId}`);
    changed(merchantId);
  };

  const service: MerchantService = {
    async createMerchant(input) {
      const id = input.id === undefined || input.id === '' ? `m_${randomToken(9).replace(/-/g, '_')}` : validateMerchantId(input.id);
      const name = validateName(input.name);
      const webhookUrl = input.webhookUrl ? validateWebhookUrl(input.webhookUrl) : null;
      const webhookUsername = input.webhookUsername ? validateOptionalText(input.webhookUsername, 'webhook_username') : null;
      const webhookPassword = input.webhookPassword ? validateOptionalText(input.webhookPassword, 'webhook_password') : null;
      const customHeaders = input.webhookCustomHeaders === undefined ? {} : validateCustomHeaders(input.webhookCustomHeaders);
      const version = input.webhookVersion ? validateWebhookVersion(input.webhookVersion) : null;
      const fixedKey = input.apiKey === undefined ? undefined : validateFixedApiKey(input.apiKey, 'api_key');
      const responseKey = newSigningKey();
      const webhookHmacKey = newSigningKey();
      const { key, record: keyRecord } = newKey(id, 'default', fixedKey);
      const result = await store.insertMerchant(
        {
          id,
          name,
          responseKeyEnc: encryptSecret(keyRing, responseKey),
          webhookUrl,
          webhookUsername,
          webhookPasswordEnc: webhookPassword === null ? null : encryptSecret(keyRing, webhookPassword),
          webhookHmacKeyEnc: encryptSecret(keyRing, webhookHmacKey),
          webhookCustomHeaders: customHeaders,
          settings: version ? { webhook_version: version } : {},
        },
        keyRecord,
      );
      if (!result.ok) {
        if (result.conflict === 'api_key') throw duplicateKey('api_key');
        throw new AppError('ALREADY_EXISTS', `Merchant ${id} already exists`, { fields: [{ field_name: 'merchant_id', reason: 'is already taken' }] });
      }
      return { merchant: toMerchant(result.value), apiKey: key, apiKeyId: keyRecord.id, apiKeyPrefix: keyRecord.prefix, responseKey, webhookHmacKey };
    },

    async getMerchant(merchantId) {
      return toMerchant(await requireMerchant(merchantId));
    },

    async findMerchant(merchantId) {
      const record = await store.getMerchant(merchantId);
      return record ? toMerchant(record) : null;
    },

    async listMerchants(query) {
      let limit = MERCHANT_PAGE_DEFAULT;
      if (query.limit !== undefined) {
        if (!/^\d{1,4}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > MERCHANT_PAGE_MAX) {
          throw invalidField('limit', `must be a whole number from 1 to ${MERCHANT_PAGE_MAX}`);
        }
        limit = Number(query.limit);
      }
      let afterId: string | undefined;
      if (query.cursor !== undefined) {
        const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(query.cursor) ? Buffer.from(query.cursor, 'base64url').toString('utf8') : '';
        if (!decoded.startsWith('m:') || decoded.length < 3) throw invalidField('cursor', 'is not a next_cursor of a previous page');
        afterId = decoded.slice(2);
      }
      // One more than asked tells whether a next page exists.
      const records = await store.listMerchants({ ...(afterId !== undefined ? { afterId } : {}), limit: limit + 1 });
      const page = records.slice(0, limit);
      const last = page[page.length - 1];
      return { merchants: page.map(toMerchant), nextCursor: records.length > limit && last ? Buffer.from(`m:${last.id}`, 'utf8').toString('base64url') : null };
    },

    async updateWebhookSettings(merchantId, patch) {
      const current = await requireMerchant(merchantId);
      const update: MerchantRecordPatch = {};
      if (patch.url !== undefined) update.webhookUrl = patch.url === null ? null : validateWebhookUrl(patch.url, 'url');
      if (patch.username !== undefined) update.webhookUsername = patch.username === null ? null : validateOptionalText(patch.username, 'username');
      if (patch.password !== undefined) {
        update.webhookPasswordEnc = patch.password === null ? null : encryptSecret(keyRing, validateOptionalText(patch.password, 'password'));
      }
      if (patch.customHeaders !== undefined) update.webhookCustomHeaders = validateCustomHeaders(patch.customHeaders, 'custom_headers');
      if (patch.version !== undefined) {
        const settings = { ...current.settings };
        if (patch.version === null) delete settings.webhook_version;
        else settings.webhook_version = validateWebhookVersion(patch.version, 'version');
        update.settings = settings;
      }
      // The older spelling of rotateSigningKey(merchantId, 'webhook_hmac_key'), kept for its callers.
      let webhookHmacKey: string | undefined;
      if (patch.rotateHmacKey === true) {
        webhookHmacKey = newSigningKey();
        update.webhookHmacKeyEnc = encryptSecret(keyRing, webhookHmacKey);
      }
      const record = await store.updateMerchant(merchantId, update);
      if (!record) throw notFound('Merchant');
      secretsCache.delete(merchantId);
      changed(merchantId);
      return webhookHmacKey === undefined ? { merchant: toMerchant(record) } : { merchant: toMerchant(record), webhookHmacKey };
    },

    async getRoutingSettings(merchantId) {
      const cached = routingSettingsCache.get(merchantId);
      if (cached) return cached;
      const settings = routingSettingsFrom((await requireMerchant(merchantId)).settings.routing);
      routingSettingsCache.set(merchantId, settings);
      return settings;
    },

    async updateRoutingSettings(merchantId, body) {
      const current = await requireMerchant(merchantId);
      const next = applyRoutingSettingsPatch(routingSettingsFrom(current.settings.routing), body);
      const record = await store.updateMerchant(merchantId, { settings: { ...current.settings, routing: routingSettingsToWire(next) } });
      if (!record) throw notFound('Merchant');
      routingSettingsCache.delete(merchantId);
      changed(merchantId);
      return next;
    },

    async getMerchantSecrets(merchantId) {
      const cached = secretsCache.get(merchantId);
      if (cached) return cached;
      const record = await requireMerchant(merchantId);
      const version = record.settings.webhook_version;
      const secrets: MerchantSecrets = {
        responseKey: decryptSecret(keyRing, record.responseKeyEnc),
        webhook: {
          url: record.webhookUrl,
          username: record.webhookUsername,
          password: record.webhookPasswordEnc === null ? null : decryptSecret(keyRing, record.webhookPasswordEnc),
          hmacKey: decryptSecret(keyRing, record.webhookHmacKeyEnc),
          customHeaders: record.webhookCustomHeaders,
          version: typeof version === 'string' ? version : null,
        },
      };
      secretsCache.set(merchantId, secrets);
      return secrets;
    },

    async getSigningKeys(merchantId) {
      const record = await requireMerchant(merchantId);
      return { responseKey: decryptSecret(keyRing, record.responseKeyEnc), webhookHmacKey: decryptSecret(keyRing, record.webhookHmacKeyEnc) };
    },

    async rotateSigningKey(merchantId, key) {
      if (key !== 'response_key' && key !== 'webhook_hmac_key') throw invalidField('key', 'must be response_key or webhook_hmac_key');
      await requireMerchant(merchantId);
      const value = newSigningKey();
      const encrypted = encryptSecret(keyRing, value);
      const record = await store.updateMerchant(merchantId, key === 'response_key' ? { responseKeyEnc: encrypted } : { webhookHmacKeyEnc: encrypted });
      if (!record) throw notFound('Merchant');
      secretsCache.delete(merchantId);
      changed(merchantId);
      return { key, value };
    },

    async createApiKey(merchantId, label, keyOptions = {}) {
      await requireMerchant(merchantId);
      const fixed = keyOptions.key === undefined ? undefined : validateFixedApiKey(keyOptions.key);
      const { key, record } = newKey(merchantId, validateLabel(label), fixed);
      const result = await store.insertApiKey(record);
      if (!result.ok) throw duplicateKey('key');
      return { id: record.id, key, prefix: record.prefix };
    },

    async listApiKeys(merchantId) {
      await requireMerchant(merchantId);
      return (await store.listApiKeys(merchantId)).map(toApiKeyInfo);
    },

    async revokeApiKey(merchantId, keyId) {
      const record = await store.revokeApiKey(merchantId, keyId, now());
      if (!record) throw notFound('API key');
      authCache.deleteWhere((_hash, value) => value.keyId === keyId);
      changed(merchantId);
      return toApiKeyInfo(record);
    },

    async authenticate(apiKey) {
      if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > MAX_API_KEY_LENGTH) return null;
      const hash = keyHashes.get(apiKey) ?? sha256Hex(apiKey);
      const cached = authCache.get(hash);
      if (cached) return cached;
      const record = await store.findApiKeyByHash(hash);
      if (!record || record.revokedAt !== null) return null;
      if (!keyHashes.has(apiKey)) {
        if (keyHashes.size >= KEY_HASHES) keyHashes.clear();
        keyHashes.set(apiKey, hash);
      }
      const at = now();
      if (!record.lastUsedAt || at.getTime() - record.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) await store.touchApiKey(record.id, at);
      const result: AuthenticatedKey = { merchantId: record.merchantId, keyId: record.id };
      authCache.set(hash, result);
      return result;
    },

    async createGatewayAccount(merchantId, input) {
      await requireMerchant(merchantId);
      const valid = validateGatewayAccountInput(input);
      if (options.connectedGateways && !options.connectedGateways.has(valid.gateway)) {
        const known = [...options.connectedGateways].sort().join(', ');
        throw new AppError('GATEWAY_NOT_CONNECTED', `Junction has no connector for ${valid.gateway} yet, so an account for it could not take payments; gateways with a connector: ${known}`, {
          fields: [{ field_name: 'gateway', reason: `${valid.gateway} has no connector in this version (connected: ${known})` }],
        });
      }
      checkAgainstConnector(valid.gateway, valid.credentials, valid.paymentMethodTypes);
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
      invalidateAccounts(merchantId);
      return toGatewayAccount(result.value);
    },

    async listGatewayAccounts(merchantId) {
      await requireMerchant(merchantId);
      return (await store.listGatewayAccounts(merchantId)).map(toGatewayAccount);
    },

    async getGatewayAccount(merchantId, accountId) {
      const record = await store.getGatewayAccount(merchantId, accountId);
      if (!record) throw notFound('Gateway account');
      return toGatewayAccount(record);
    },

    async updateGatewayAccount(merchantId, accountId, patch) {
      const current = await store.getGatewayAccount(merchantId, accountId);
      if (!current) throw notFound('Gateway account');
      const valid = validateGatewayAccountPatch(patch);
      checkAgainstConnector(current.gateway, valid.credentials, valid.paymentMethodTypes);
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
      invalidateAccounts(merchantId, accountId);
      return toGatewayAccount(result.value);
    },

    invalidateCaches(merchantId) {
      routingCache.delete(merchantId);
      routingSettingsCache.delete(merchantId);
      secretsCache.delete(merchantId);
      connectorCache.deleteWhere((key) => key.startsWith(`${merchantId}\u0000`));
      authCache.deleteWhere((_hash, value) => value.merchantId === merchantId);
    },

    async routingCandidates(merchantId) {
      const cached = routingCache.get(merchantId);
      if (cached) return cached;
      const candidates = Object.freeze((await store.listGatewayAccounts(merchantId)).map((record) => toCandidate(record, options.connectorCapabilities)));
      routingCache.set(merchantId, candidates);
      return candidates;
    },

    async connectorAccount(merchantId, accountId) {
      const cacheKey = `${merchantId}\u0000${accountId}`;
      const cached = connectorCache.get(cacheKey);
      if (cached) return cached;
      const record = await store.getGatewayAccount(merchantId, accountId);
      if (!record) throw notFound('Gateway account');
      const account: ConnectorAccount = Object.freeze({
        accountId: record.id,
        merchantId: record.merchantId,
        gateway: record.gateway,
        gatewayReferenceId: record.gatewayReferenceId,
        credentials: Object.freeze(decryptCredentials(record)),
      });
      connectorCache.set(cacheKey, account);
      return account;
    },
  };
  return service;
}
