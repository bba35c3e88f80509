// Password hashing for dashboard users: scrypt (memory-hard) from node:crypto, with a random
// salt per password and the parameters stored with the hash so they can be raised later:
// `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalidField } from './errors.ts';

/** N = 2^15, r = 8: 32 MiB of memory per hash, ~50-100 ms on a laptop core. */
export const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function optionsFor(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

/** Throws a field-named INVALID_INPUT when the password does not meet the policy. */
export function checkPasswordPolicy(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') throw invalidField(field, 'must be a string');
  if (password.length < PASSWORD_MIN_LENGTH) throw invalidField(field, `must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) throw invalidField(field, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
  return password;
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, optionsFor(params.N, params.r, params.p));
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length === 0) return false;
  const actual = await scrypt(password, salt, expected.length, optionsFor(N, r, p));
  return timingSafeEqual(actual, expected);
}

export type ScryptParams = { N: number; r: number; p: number };

/**
 * A hash of a random password, verified against when the email is unknown, so timing does not
 * tell. Made with the same parameters as the real hashes, so both checks cost the same.
 */
const decoys = new Map<string, Promise<string>>();
export function decoyHash(params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const key = `${params.N}$${params.r}$${params.p}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = hashPassword(randomBytes(18).toString('base64url'), params);
    decoys.set(key, decoy);
  }
  return decoy;
}
