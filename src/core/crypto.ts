// Secrets at rest and keyed digests. AES-256-GCM with a key ring so keys can rotate: every
// ciphertext names its key ("<keyId>:<iv>:<tag>:<data>", base64url parts); new data uses the
// primary key, old data stays readable while its key is in the ring.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/** Secret the development key is derived from when JUNCTION_MASTER_KEYS is not set: fit for a laptop only. */
export const LOCAL_FALLBACK_SECRET = 'junction-local';

export interface KeyRing {
  primaryKeyId: string;
  keys: Map<string, Buffer>;
  /** Key for keyed digests (card fingerprints). */
  fingerprintKey: Buffer;
}

/**
 * Builds a key ring from "id1:base64key,id2:base64key" (first is primary). With no
 * configuration a key is derived from `fallbackSecret` so a laptop install works out of the
 * box; production sets JUNCTION_MASTER_KEYS.
 */
export function keyRingFromConfig(masterKeys: string | undefined, fallbackSecret: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let primaryKeyId = '';
  if (masterKeys?.trim()) {
    for (const part of masterKeys.split(',')) {
      const [id, material] = part.trim().split(':');
      if (!id || !material) throw new Error('JUNCTION_MASTER_KEYS must look like "k1:<base64 32 bytes>,k0:<...>"');
      const key = Buffer.from(material, 'base64');
      if (key.length !== 32) throw new Error(`Master key ${id} must be 32 bytes (base64)`);
      keys.set(id, key);
      if (!primaryKeyId) primaryKeyId = id;
    }
  } else {
    primaryKeyId = 'dev';
    keys.set('dev', createHash('sha256').update(`junction-dev-key:${fallbackSecret}`).digest());
  }
  const fingerprintKey = createHmac('sha256', keys.get(primaryKeyId)!).update('card-fingerprint').digest();
  return { primaryKeyId, keys, fingerprintKey };
}

export function encryptSecret(ring: KeyRing, plaintext: string): string {
  const key = ring.keys.get(ring.primaryKeyId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [ring.primaryKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
}

export function decryptSecret(ring: KeyRing, ciphertext: string): string {
  const [keyId, iv, tag, data] = ciphertext.split(':');
  const key = keyId ? ring.keys.get(keyId) : undefined;
  if (!key || !iv || !tag || data === undefined) throw new Error('Cannot decrypt: unknown key or malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

export function keyIdOf(ciphertext: string): string {
  return ciphertext.split(':')[0] ?? '';
}

/** A stable keyed fingerprint of a card number: equal cards match, the number cannot be recovered. */
export function cardFingerprint(ring: KeyRing, cardNumber: string): string {
  return createHmac('sha256', ring.fingerprintKey).update(cardNumber).digest('base64url').slice(0, 32);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHmac('sha256', key).update(data).digest(encoding);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

const ID_BYTES = 12;
/** Random bytes for ids, drawn from the CSPRNG a few KB at a time (as crypto.randomUUID does) instead of one call per id. */
const idEntropy = Buffer.alloc(ID_BYTES * 341);
let idOffset = idEntropy.length;

/** Prefixed random ids (96 random bits): ordeh_, txn_, rfnd_, evt_, gwa_, key_ ... */
export function newId(prefix: string): string {
  if (idOffset + ID_BYTES > idEntropy.length) {
    randomFillSync(idEntropy);
    idOffset = 0;
  }
  const hex = idEntropy.toString('hex', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `${prefix}_${hex}`;
}
