// The encrypted request format of Juspay's official clients: a JWS (RS256, signed with the
// merchant's private key) wrapped in a JWE (RSA-OAEP key wrap + A256GCM, encrypted to our public
// key), sent as JSON {header, encryptedKey, iv, encryptedPayload, tag}. Answers go back the same
// way: signed with our private key, encrypted to the merchant's public key. The clients wrap keys
// with RSA-OAEP/SHA-1 on requests and unwrap with RSA-OAEP/SHA-256 on answers; both are accepted
// here by the header's `alg`, and answers use RSA-OAEP-256.
import { constants, createCipheriv, createDecipheriv, createSign, createVerify, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { AppError } from '../errors.ts';

export interface JweEnvelope {
  header: string;
  encryptedKey: string;
  iv: string;
  encryptedPayload: string;
  tag: string;
}

export interface JweKeys {
  merchantId: string;
  /** Verifies the merchant's signature, and answers are encrypted to it. */
  merchantPublicKey: KeyObject | string;
  /** Unwraps the request's content key, and signs answers. */
  junctionPrivateKey: KeyObject | string;
}

const b64url = (buffer: Buffer): string => buffer.toString('base64url');
const fromB64 = (text: string): Buffer => Buffer.from(text, 'base64'); // accepts base64 and base64url

function bad(reason: string): AppError {
  return new AppError('INVALID_INPUT', `Encrypted request rejected: ${reason}`, { fields: [{ field_name: 'body', reason }] });
}

function envelopeOf(body: unknown): JweEnvelope {
  if (typeof body === 'string') {
    const parts = body.split('.');
    if (parts.length !== 5) throw bad('not a JWE (five parts expected)');
    const [header, encryptedKey, iv, encryptedPayload, tag] = parts as [string, string, string, string, string];
    return { header, encryptedKey, iv, encryptedPayload, tag };
  }
  const value = body as Partial<JweEnvelope> | null;
  if (!value || typeof value !== 'object') throw bad('body must be a JWE object');
  for (const key of ['header', 'encryptedKey', 'iv', 'encryptedPayload', 'tag'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') throw bad(`${key} is missing`);
  }
  return value as JweEnvelope;
}

/** The key id a JWE names, to look up the keys before opening it. */
export function jweKeyId(body: unknown): string {
  const envelope = envelopeOf(body);
  let header: { kid?: unknown };
  try {
    header = JSON.parse(fromB64(envelope.header).toString('utf8')) as { kid?: unknown };
  } catch {
    throw bad('header is not base64url JSON');
  }
  if (typeof header.kid !== 'string' || header.kid === '') throw bad('header has no kid');
  return header.kid;
}

/** Decrypts and verifies a request; returns the merchant's JSON payload. */
export function openJuspayJwe(body: unknown, keys: JweKeys): unknown {
  const envelope = envelopeOf(body);
  const header = JSON.parse(fromB64(envelope.header).toString('utf8')) as { alg?: string; enc?: string };
  if (header.enc !== 'A256GCM') throw bad('enc must be A256GCM');
  if (header.alg !== 'RSA-OAEP' && header.alg !== 'RSA-OAEP-256') throw bad('alg must be RSA-OAEP or RSA-OAEP-256');
  let plaintext: string;
  try {
    const cek = privateDecrypt({ key: keys.junctionPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: header.alg === 'RSA-OAEP' ? 'sha1' : 'sha256' }, fromB64(envelope.encryptedKey));
    const decipher = createDecipheriv('aes-256-gcm', cek, fromB64(envelope.iv));
    decipher.setAAD(Buffer.from(envelope.header));
    decipher.setAuthTag(fromB64(envelope.tag));
    plaintext = Buffer.concat([decipher.update(fromB64(envelope.encryptedPayload)), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('UNAUTHENTICATED', 'Encrypted request could not be decrypted with this key id');
  }
  let signed: { header?: string; payload?: string; signature?: string };
  try {
    signed = plaintext.trim().startsWith('{') ? (JSON.parse(plaintext) as typeof signed) : (() => {
      const [h, p, s] = plaintext.split('.');
      return { header: h, payload: p, signature: s };
    })();
  } catch {
    throw bad('inner JWS is malformed');
  }
  if (!signed.header || !signed.payload || !signed.signature) throw bad('inner JWS is incomplete');
  const jwsHeader = JSON.parse(fromB64(signed.header).toString('utf8')) as { alg?: string };
  if (jwsHeader.alg !== 'RS256') throw bad('JWS alg must be RS256');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${signed.header}.${signed.payload}`);
  if (!verifier.verify(keys.merchantPublicKey, fromB64(signed.signature))) {
    throw new AppError('UNAUTHENTICATED', 'Signature of the encrypted request does not verify');
  }
  const payload = fromB64(signed.payload).toString('utf8');
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    throw bad('signed payload is not JSON');
  }
}

/** Signs an answer with our key and encrypts it to the merchant. */
export function sealJuspayJwe(answer: unknown, keyId: string, keys: JweKeys): JweEnvelope {
  const jwsHeader = b64url(Buffer.from(JSON.stringify({ alg: 'RS256', kid: keyId })));
  const payload = b64url(Buffer.from(JSON.stringify(answer)));
  const signer = createSign('RSA-SHA256');
  signer.update(`${jwsHeader}.${payload}`);
  const signature = b64url(signer.sign(keys.junctionPrivateKey));
  const plaintext = JSON.stringify({ header: jwsHeader, payload, signature });
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: keyId })));
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const encryptedKey = publicEncrypt({ key: keys.merchantPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
  return { header, encryptedKey: b64url(encryptedKey), iv: b64url(iv), encryptedPayload: b64url(encrypted), tag: b64url(cipher.getAuthTag()) };
}
