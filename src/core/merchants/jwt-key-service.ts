// Keys for encrypted requests from Juspay's official clients (`jweAuth`). The merchant uploads its
// RSA public key; we make a key pair for that merchant and give back our public key and the key id
// the client sends as `kid`. Our private key is kept encrypted under the master key ring.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AppError, invalidField, notFound } from '../errors.ts';
import { decryptSecret, encryptSecret, newId, type KeyRing } from '../crypto.ts';
import type { JwtKeyRecord, JwtKeyStore } from '../ports/jwt-key-store.ts';
import type { JweKeys } from '../jose/juspay-jwe.ts';

export interface JwtKeyInfo {
  key_id: string;
  merchant_id: string;
  junction_public_key: string;
  created_at: string;
  revoked_at: string | null;
}

function info(record: JwtKeyRecord): JwtKeyInfo {
  return {
    key_id: record.keyId,
    merchant_id: record.merchantId,
    junction_public_key: record.junctionPublicKey,
    created_at: record.createdAt.toISOString(),
    revoked_at: record.revokedAt ? record.revokedAt.toISOString() : null,
  };
}

export function parseRsaPublicKey(pem: unknown, field = 'merchant_public_key'): KeyObject {
  if (typeof pem !== 'string' || !pem.includes('PUBLIC KEY')) throw invalidField(field, 'must be an RSA public key in PEM form');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw invalidField(field, 'is not a readable PEM public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw invalidField(field, 'must be an RSA key');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw invalidField(field, 'must be at least 2048 bits');
  return key;
}

export function createJwtKeyService(deps: { store: JwtKeyStore; keyRing: KeyRing; merchantExists: (merchantId: string) => Promise<boolean> }) {
  const cache = new Map<string, { at: number; keys: JweKeys | null }>();
  return {
    async register(merchantId: string, body: unknown): Promise<JwtKeyInfo> {
      if (!(await deps.merchantExists(merchantId))) throw notFound(`Merchant ${merchantId}`);
      const merchantKey = parseRsaPublicKey((body as Record<string, unknown> | null)?.merchant_public_key);
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const record = await deps.store.insert({
        keyId: newId('jwk'),
        merchantId,
        merchantPublicKey: merchantKey.export({ type: 'spki', format: 'pem' }).toString(),
        junctionPublicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        junctionPrivateKeyEnc: encryptSecret(deps.keyRing, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      });
      return info(record);
    },
    async list(merchantId: string): Promise<JwtKeyInfo[]> {
      return (await deps.store.list(merchantId)).map(info);
    },
    async revoke(merchantId: string, keyId: string): Promise<JwtKeyInfo> {
      const record = await deps.store.revoke(merchantId, keyId);
      if (!record) throw notFound(`Key ${keyId}`);
      cache.delete(keyId);
      return info(record);
    },
    /** The keys a `kid` names (cached briefly); refuses unknown and revoked ids. */
    async resolve(keyId: string): Promise<JweKeys> {
      const hit = cache.get(keyId);
      if (hit && Date.now() - hit.at < 10_000) {
        if (!hit.keys) throw new AppError('UNAUTHENTICATED', 'Unknown or revoked key id');
        return hit.keys;
      }
      const record = await deps.store.get(keyId);
      const keys =
        record && !record.revokedAt
          ? {
              merchantId: record.merchantId,
              merchantPublicKey: createPublicKey(record.merchantPublicKey),
              junctionPrivateKey: createPrivateKey(decryptSecret(deps.keyRing, record.junctionPrivateKeyEnc)),
            }
          : null;
      cache.set(keyId, { at: Date.now(), keys });
      if (!keys) throw new AppError('UNAUTHENTICATED', 'Unknown or revoked key id');
      return keys;
    },
  };
}

export type JwtKeyService = ReturnType<typeof createJwtKeyService>;
