// Sign-in: email and password (scrypt) to a new browser session, counted by the sign-in throttle.
import { newId, randomToken, sha256Hex } from '../crypto.ts';
import { AppError, invalidField } from '../errors.ts';
import { decoyHash, verifyPassword } from '../password-hash.ts';
import type { UserWithPassword } from '../ports/session-store.ts';
import { csrfTokenFor, toSessionUser, type SessionContext, type SignedIn } from './session-types.ts';

const INVALID_CREDENTIALS = 'Invalid email or password';

/** `address`: the client's address, for the throttle (the pair email + address, and the address alone). */
export async function signIn(ctx: SessionContext, input: { email: unknown; password: unknown; merchantId?: unknown; address?: string }): Promise<SignedIn> {
  const { store, now, hashParams } = ctx;
  if (typeof input.email !== 'string' || input.email.trim() === '' || input.email.length > 254) throw invalidField('email', 'must be an email address');
  if (typeof input.password !== 'string' || input.password === '') throw invalidField('password', 'is required');
  if (input.merchantId !== undefined && (typeof input.merchantId !== 'string' || input.merchantId === '')) throw invalidField('merchant_id', 'must be a merchant id');
  const email = input.email.trim().toLowerCase();
  const address = input.address ?? 'unknown';
  if (ctx.throttle) {
    // Counted (as a failure) before the hash runs: a burst of concurrent guesses cannot all be checked.
    const admitted = await ctx.throttle.admit(email, address);
    if (!admitted.allowed) {
      const seconds = Math.max(1, Math.ceil(admitted.retryAfterMs / 1000));
      throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts; try again in ${seconds} s`, {
        retryAfterSeconds: seconds,
        fields: [{ field_name: admitted.key === 'address' ? 'address' : 'email', reason: `too many failed sign-in attempts; retry after ${seconds} s` }],
      });
    }
  }
  const candidates = (await store.findUsersByEmail(email)).filter((u) => !u.disabledAt && u.passwordHash && (input.merchantId === undefined || u.merchantId === input.merchantId));
  const matching: UserWithPassword[] = [];
  if (candidates.length === 0) await verifyPassword(input.password, await decoyHash(hashParams)); // same cost as a real check
  for (const u of candidates) if (await verifyPassword(input.password, u.passwordHash!)) matching.push(u);
  if (matching.length === 0) {
    throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS, { fields: [{ field_name: 'password', reason: INVALID_CREDENTIALS }] });
  }
  if (matching.length > 1) throw invalidField('merchant_id', 'this email signs in to several merchants: say which one');
  await ctx.throttle?.succeeded(email, address);
  const user = matching[0]!;
  const token = `jns_${randomToken(32)}`;
  const expiresAt = new Date(now() + ctx.ttlMs);
  await store.insertSession({ id: newId('sess'), tokenHash: sha256Hex(token), userId: user.id, merchantId: user.merchantId, expiresAt });
  return { token, csrfToken: csrfTokenFor(token), user: toSessionUser(user), expiresAt };
}
