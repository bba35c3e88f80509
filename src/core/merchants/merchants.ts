// Merchants themselves: created with their first API key and signing keys, read, found and listed.
import { encryptSecret, randomToken } from '../crypto.ts';
import { AppError, invalidField } from '../errors.ts';
import { duplicateKey, newApiKey } from './api-keys.ts';
import { requireMerchant, type MerchantDeps } from './merchant-deps.ts';
import { validateCustomHeaders, validateFixedApiKey, validateMerchantId, validateName, validateOptionalText, validateWebhookUrl, validateWebhookVersion } from './merchant-input.ts';
import { toMerchant } from './merchant-records.ts';
import { newSigningKey } from './signing-keys.ts';
import type { CreatedMerchant, CreateMerchantInput, Merchant } from './types.ts';

const MERCHANT_PAGE_DEFAULT = 50;
const MERCHANT_PAGE_MAX = 200;

export async function createMerchant(deps: Pick<MerchantDeps, 'store' | 'keyRing'>, input: CreateMerchantInput): Promise<CreatedMerchant> {
  const { store, keyRing } = deps;
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
  const { key, record: keyRecord } = newApiKey(id, 'default', fixedKey);
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
}

export async function getMerchant(deps: Pick<MerchantDeps, 'store'>, merchantId: string): Promise<Merchant> {
  return toMerchant(await requireMerchant(deps.store, merchantId));
}

/** Like getMerchant, but null when there is no such merchant. */
export async function findMerchant(deps: Pick<MerchantDeps, 'store'>, merchantId: string): Promise<Merchant | null> {
  const record = await deps.store.getMerchant(merchantId);
  return record ? toMerchant(record) : null;
}

/** A page of merchants in id order: `limit` (1-200, default 50) and the `cursor` of the previous page. */
export async function listMerchants(deps: Pick<MerchantDeps, 'store'>, query: { limit?: string; cursor?: string }): Promise<{ merchants: Merchant[]; nextCursor: string | null }> {
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
  const records = await deps.store.listMerchants({ ...(afterId !== undefined ? { afterId } : {}), limit: limit + 1 });
  const page = records.slice(0, limit);
  const last = page[page.length - 1];
  return { merchants: page.map(toMerchant), nextCursor: records.length > limit && last ? Buffer.from(`m:${last.id}`, 'utf8').toString('base64url') : null };
}
