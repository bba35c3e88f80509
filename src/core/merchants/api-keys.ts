// API keys: created in clear once, stored as SHA-256 digests, listed by prefix, revoked, and
// checked on every request (authenticate, cached for a few seconds).
import { newId, randomToken, sha256Hex } from '../crypto.ts';
import { AppError, notFound } from '../errors.ts';
import type { NewApiKeyRecord } from '../ports/merchant-store.ts';
import { requireMerchant, type MerchantDeps } from './merchant-deps.ts';
import { validateFixedApiKey, validateLabel } from './merchant-input.ts';
import { toApiKeyInfo } from './merchant-records.ts';
import type { ApiKeyInfo, AuthenticatedKey, CreatedApiKey } from './types.ts';

/** last_used_at is written at most this often per key, so authentication is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_API_KEY_LENGTH = 256;

function keyPrefix(key: string): string {
  // Enough to recognise a key in a list, never enough to guess it.
  return key.slice(0, Math.min(12, Math.floor(key.length / 3)));
}

/** A new key for the merchant (random unless `fixed`), and the record that stores its digest. */
export function newApiKey(merchantId: string, label: string | null, fixed: string | undefined): { record: NewApiKeyRecord; key: string } {
  const key = fixed ?? `jnc_${randomToken(24)}`;
  return { key, record: { id: newId('key'), merchantId, keyHash: sha256Hex(key), prefix: keyPrefix(key), label } };
}

export function duplicateKey(field: string): AppError {
  return new AppError('ALREADY_EXISTS', 'This API key is already in use', { fields: [{ field_name: field, reason: 'is already in use' }] });
}

export async function createApiKey(deps: MerchantDeps, merchantId: string, label?: string | null, keyOptions: { key?: string } = {}): Promise<CreatedApiKey> {
  await requireMerchant(deps.store, merchantId);
  const fixed = keyOptions.key === undefined ? undefined : validateFixedApiKey(keyOptions.key);
  const { key, record } = newApiKey(merchantId, validateLabel(label), fixed);
  const result = await deps.store.insertApiKey(record);
  if (!result.ok) throw duplicateKey('key');
  return { id: record.id, key, prefix: record.prefix };
}

export async function listApiKeys(deps: MerchantDeps, merchantId: string): Promise<ApiKeyInfo[]> {
  await requireMerchant(deps.store, merchantId);
  return (await deps.store.listApiKeys(merchantId)).map(toApiKeyInfo);
}

export async function revokeApiKey(deps: MerchantDeps, merchantId: string, keyId: string): Promise<ApiKeyInfo> {
  const record = await deps.store.revokeApiKey(merchantId, keyId, deps.now());
  if (!record) throw notFound('API key');
  deps.caches.auth.deleteWhere((_hash, value) => value.keyId === keyId);
  deps.changed(merchantId);
  return toApiKeyInfo(record);
}

export async function authenticate(deps: MerchantDeps, apiKey: string): Promise<AuthenticatedKey | null> {
  if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > MAX_API_KEY_LENGTH) return null;
  const { auth: authCache, keyHashes } = deps.caches;
  const hash = keyHashes.get(apiKey) ?? sha256Hex(apiKey);
  const cached = authCache.get(hash);
  if (cached) return cached;
  const record = await deps.store.findApiKeyByHash(hash);
  if (!record || record.revokedAt !== null) return null;
  keyHashes.remember(apiKey, hash);
  const at = deps.now();
  if (!record.lastUsedAt || at.getTime() - record.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) await deps.store.touchApiKey(record.id, at);
  const result: AuthenticatedKey = { merchantId: record.merchantId, keyId: record.id };
  authCache.set(hash, result);
  return result;
}
