import assert from 'node:assert/strict';
import { constants, createCipheriv, createSign, generateKeyPairSync, privateDecrypt, createDecipheriv, createVerify, publicEncrypt, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../errors.ts';
import { jweKeyId, openJuspayJwe, sealJuspayJwe } from './juspay-jwe.ts';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const junction = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = { merchantId: 'm1', merchantPublicKey: merchant.publicKey, junctionPrivateKey: junction.privateKey };
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** What the official client sends: JWS signed by the merchant, JWE with RSA-OAEP (SHA-1) to our key. */
function clientRequest(body: unknown, kid = 'jwk_1', signer = merchant.privateKey) {
  const header = b64(`{"alg":"RS256","kid":"${kid}"}`);
  const payload = b64(JSON.stringify(body));
  const sign = createSign('RSA-SHA256');
  sign.update(`${header}.${payload}`);
  const jws = JSON.stringify({ header, payload, signature: b64(sign.sign(signer)) });
  const jweHeader = b64(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM', cty: 'JWT', kid }));
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(jweHeader));
  const encrypted = Buffer.concat([cipher.update(jws), cipher.final()]);
  return {
    header: jweHeader,
    encryptedKey: b64(publicEncrypt({ key: junction.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, cek)),
    iv: b64(iv),
    encryptedPayload: b64(encrypted),
    tag: b64(cipher.getAuthTag()),
  };
}

test('opens what the official client sends and names its key id', async () => {
  const request = clientRequest({ order_id: 'o1', amount: '10.00' });
  assert.equal(jweKeyId(request), 'jwk_1');
  assert.deepEqual(await openJuspayJwe(request, keys), { order_id: 'o1', amount: '10.00' });
  // The compact form works too.
  const compact = [request.header, request.encryptedKey, request.iv, request.encryptedPayload, request.tag].join('.');
  assert.deepEqual(await openJuspayJwe(compact, keys), { order_id: 'o1', amount: '10.00' });
});

test('refuses tampering, a wrong signer and malformed envelopes', async () => {
  const request = clientRequest({ order_id: 'o1' });
  const tampered = { ...request, encryptedPayload: b64(Buffer.from(Buffer.from(request.encryptedPayload, 'base64url').map((x, i) => (i === 0 ? x ^ 1 : x)))) };
  await assert.rejects(
    () => openJuspayJwe(tampered, keys),
    (e: unknown) => e instanceof AppError && e.code === 'UNAUTHENTICATED',
  );
  const forged = clientRequest({ order_id: 'o1' }, 'jwk_1', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  await assert.rejects(
    () => openJuspayJwe(forged, keys),
    (e: unknown) => e instanceof AppError && e.code === 'UNAUTHENTICATED',
  );
  await assert.rejects(
    () => openJuspayJwe({ header: 'x' }, keys),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT',
  );
  assert.throws(() => jweKeyId({ order_id: 'plain' }), AppError);
});

test('answers are signed by us and encrypted to the merchant, as the client decrypts them (RSA-OAEP-256)', async () => {
  const sealed = await sealJuspayJwe({ status: 'CHARGED' }, 'jwk_1', keys);
  const cek = privateDecrypt({ key: merchant.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(sealed.encryptedKey, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', cek, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(sealed.header));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const jws = JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.encryptedPayload, 'base64')), decipher.final()]).toString()) as { header: string; payload: string; signature: string };
  const verify = createVerify('RSA-SHA256');
  verify.update(`${jws.header}.${jws.payload}`);
  assert.ok(verify.verify(junction.publicKey, jws.signature, 'base64'));
  assert.deepEqual(JSON.parse(Buffer.from(jws.payload, 'base64').toString()), { status: 'CHARGED' });
});

// The official client's own crypto module (expresscheckout-nodejs), unmodified: what it seals we
// open, and what we seal it opens, with the keys the way a merchant configures them (PEM).
const require = createRequire(import.meta.url);
const clientJwt = (
  require(join(dirname(require.resolve('expresscheckout-nodejs')), 'security', 'JWT.js')) as {
    default: {
      jwtEncrypt(data: string, keyId: string, publicKey: string, privateKey: string): unknown;
      jwtDecrypt(data: unknown, keyId: string, publicKey: string, privateKey: string): string;
    };
  }
).default;
const pem = {
  merchantPrivate: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  junctionPublic: junction.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

test("round trip with the official client's JWT module: its request opens here, our answer opens there", async () => {
  const request = clientJwt.jwtEncrypt(JSON.stringify({ order_id: 'o2', amount: '12.50' }), 'jwk_9', pem.junctionPublic, pem.merchantPrivate);
  assert.equal(jweKeyId(request), 'jwk_9');
  assert.deepEqual(await openJuspayJwe(request, keys), { order_id: 'o2', amount: '12.50' });
  const sealed = await sealJuspayJwe({ status: 'CHARGED', amount: 12.5 }, 'jwk_9', keys);
  assert.deepEqual(JSON.parse(clientJwt.jwtDecrypt(sealed, 'jwk_9', pem.junctionPublic, pem.merchantPrivate)), { status: 'CHARGED', amount: 12.5 });
  // Our answer is not readable by anyone else's key.
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.throws(() => clientJwt.jwtDecrypt(sealed, 'jwk_9', pem.junctionPublic, stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()));
});

test('refuses algorithms outside the format (a 400 naming why), and a request sealed to another key', async () => {
  const request = clientRequest({ order_id: 'o1' });
  const withHeader = (h: Record<string, unknown>) => ({ ...request, header: b64(JSON.stringify(h)) });
  await assert.rejects(
    () => openJuspayJwe(withHeader({ alg: 'RSA-OAEP', enc: 'A128GCM', kid: 'jwk_1' }), keys),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT' && /A256GCM/.test(e.message),
  );
  await assert.rejects(
    () => openJuspayJwe(withHeader({ alg: 'dir', enc: 'A256GCM', kid: 'jwk_1' }), keys),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT' && /alg/.test(e.message),
  );
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await assert.rejects(
    () => openJuspayJwe(request, { ...keys, junctionPrivateKey: other.privateKey }),
    (e: unknown) => e instanceof AppError && e.code === 'UNAUTHENTICATED',
  );
});
