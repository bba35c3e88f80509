// The encrypted request format of Juspay's official clients: a JWS (RS256, signed with the
// merchant's private key) wrapped in a JWE (RSA-OAEP key wrap + A256GCM, encrypted to our public
// key), sent as JSON {header, encryptedKey, iv, encryptedPayload, tag}. Answers go back the same
// way: signed with our private key, encrypted to the merchant's public key. The clients wrap keys
// with RSA-OAEP/SHA-1 on requests and unwrap with RSA-OAEP/SHA-256 on answers; both are accepted
// on requests, and answers use RSA-OAEP-256.
//
// The cryptography is the `jose` library's (flattened JWE/JWS); this module only renames the
// clients' field names to the standard ones (header -> protected, encryptedKey -> encrypted_key,
// encryptedPayload -> ciphertext) and maps failures to our errors.
import type { KeyObject } from 'node:crypto';
import { base64url, errors as joseErrors, FlattenedEncrypt, FlattenedSign, flattenedDecrypt, flattenedVerify, type FlattenedJWE, type FlattenedJWSInput } from 'jose';
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
  merchantPublicKey: KeyObject;
  /** Unwraps the request's content key, and signs answers. */
  junctionPrivateKey: KeyObject;
}

/** Key wraps a request may use (the clients send RSA-OAEP, i.e. SHA-1) and the one content cipher. */
const REQUEST_KEY_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256'];
const CONTENT_ALGORITHMS = ['A256GCM'];
const SIGNATURE_ALGORITHMS = ['RS256'];

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

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

function headerOf(encoded: string, what: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(fromUtf8.decode(base64url.decode(encoded)));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw bad(`${what} is not base64url JSON`);
}

/** The key id a JWE names, to look up the keys before opening it. */
export function jweKeyId(body: unknown): string {
  const header = headerOf(envelopeOf(body).header, 'header');
  if (typeof header.kid !== 'string' || header.kid === '') throw bad('header has no kid');
  return header.kid;
}

/** The inner JWS as the clients send it: JSON {header, payload, signature}, or compact. */
function signedOf(plaintext: string): FlattenedJWSInput {
  let parts: { header?: unknown; payload?: unknown; signature?: unknown };
  if (plaintext.trim().startsWith('{')) {
    try {
      parts = JSON.parse(plaintext) as typeof parts;
    } catch {
      throw bad('inner JWS is malformed');
    }
  } else {
    const [header, payload, signature] = plaintext.split('.');
    parts = { header, payload, signature };
  }
  if (typeof parts.header !== 'string' || typeof parts.payload !== 'string' || typeof parts.signature !== 'string' || !parts.header || !parts.payload || !parts.signature) {
    throw bad('inner JWS is incomplete');
  }
  return { protected: parts.header, payload: parts.payload, signature: parts.signature };
}

/** Decrypts and verifies a request; returns the merchant's JSON payload. */
export async function openJuspayJwe(body: unknown, keys: JweKeys): Promise<unknown> {
  const envelope = envelopeOf(body);
  // Checked here too (jose enforces the same lists) so a wrong algorithm is a clear 400.
  const header = headerOf(envelope.header, 'header');
  if (header.enc !== 'A256GCM') throw bad('enc must be A256GCM');
  if (header.alg !== 'RSA-OAEP' && header.alg !== 'RSA-OAEP-256') throw bad('alg must be RSA-OAEP or RSA-OAEP-256');
  const jwe: FlattenedJWE = { protected: envelope.header, encrypted_key: envelope.encryptedKey, iv: envelope.iv, ciphertext: envelope.encryptedPayload, tag: envelope.tag };
  let plaintext: string;
  try {
    const opened = await flattenedDecrypt(jwe, keys.junctionPrivateKey, { keyManagementAlgorithms: REQUEST_KEY_ALGORITHMS, contentEncryptionAlgorithms: CONTENT_ALGORITHMS });
    plaintext = fromUtf8.decode(opened.plaintext);
  } catch (error) {
    if (error instanceof joseErrors.JWEInvalid) throw bad('not a well-formed JWE');
    throw new AppError('UNAUTHENTICATED', 'Encrypted request could not be decrypted with this key id');
  }
  const signed = signedOf(plaintext);
  if (headerOf(signed.protected!, 'inner JWS header').alg !== 'RS256') throw bad('JWS alg must be RS256');
  let payload: Uint8Array;
  try {
    payload = (await flattenedVerify(signed, keys.merchantPublicKey, { algorithms: SIGNATURE_ALGORITHMS })).payload;
  } catch (error) {
    if (error instanceof joseErrors.JWSInvalid) throw bad('inner JWS is malformed');
    throw new AppError('UNAUTHENTICATED', 'Signature of the encrypted request does not verify');
  }
  try {
    return JSON.parse(fromUtf8.decode(payload)) as unknown;
  } catch {
    throw bad('signed payload is not JSON');
  }
}

/** Signs an answer with our key and encrypts it to the merchant. */
export async function sealJuspayJwe(answer: unknown, keyId: string, keys: JweKeys): Promise<JweEnvelope> {
  const jws = await new FlattenedSign(utf8.encode(JSON.stringify(answer))).setProtectedHeader({ alg: 'RS256', kid: keyId }).sign(keys.junctionPrivateKey);
  const plaintext = JSON.stringify({ header: jws.protected, payload: jws.payload, signature: jws.signature });
  const jwe = await new FlattenedEncrypt(utf8.encode(plaintext)).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: keyId }).encrypt(keys.merchantPublicKey);
  if (!jwe.protected || !jwe.encrypted_key || !jwe.iv || !jwe.tag) throw new Error('jose produced an incomplete JWE');
  return { header: jwe.protected, encryptedKey: jwe.encrypted_key, iv: jwe.iv, encryptedPayload: jwe.ciphertext, tag: jwe.tag };
}
