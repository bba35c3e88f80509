// The merchant's two signing keys: the return-URL response key and the webhook HMAC key.
import { decryptSecret, encryptSecret, randomToken } from '../crypto.ts';
import { invalidField, notFound } from '../errors.ts';
import { requireMerchant, type MerchantDeps } from './merchant-deps.ts';
import type { RotatedSigningKey, SigningKeyName, SigningKeys } from './types.ts';

/** A signing key: 32 random bytes, base64url (43 characters), used as the HMAC key's UTF-8 text. */
export function newSigningKey(): string {
  return randomToken(32);
}

/** The response key and the webhook signing key in clear, read from the store (not the cache). */
export async function getSigningKeys(deps: MerchantDeps, merchantId: string): Promise<SigningKeys> {
  const record = await requireMerchant(deps.store, merchantId);
  return { responseKey: decryptSecret(deps.keyRing, record.responseKeyEnc), webhookHmacKey: decryptSecret(deps.keyRing, record.webhookHmacKeyEnc) };
}

/** Replaces one signing key with a new random one; the old one stops signing at once on this instance. */
export async function rotateSigningKey(deps: MerchantDeps, merchantId: string, key: SigningKeyName): Promise<RotatedSigningKey> {
  if (key !== 'response_key' && key !== 'webhook_hmac_key') throw invalidField('key', 'must be response_key or webhook_hmac_key');
  await requireMerchant(deps.store, merchantId);
  const value = newSigningKey();
  const encrypted = encryptSecret(deps.keyRing, value);
  const record = await deps.store.updateMerchant(merchantId, key === 'response_key' ? { responseKeyEnc: encrypted } : { webhookHmacKeyEnc: encrypted });
  if (!record) throw notFound('Merchant');
  deps.caches.secrets.delete(merchantId);
  deps.changed(merchantId);
  return { key, value };
}
