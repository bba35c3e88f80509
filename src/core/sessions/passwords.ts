// Dashboard passwords: set by the operator (ending the user's sessions), and the demo users' one.
import { randomToken } from '../crypto.ts';
import { AppError } from '../errors.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../password-hash.ts';
import type { UserWithPassword } from '../ports/session-store.ts';
import type { SessionContext } from './session-types.ts';

/** Sets a user's password (the operator's CLI or admin API, and the demo seed). Ends their sessions. */
export async function setPassword(ctx: SessionContext, merchantId: string, userId: string, password: unknown): Promise<void> {
  const { store, hashParams } = ctx;
  const checked = checkPasswordPolicy(password);
  const ok = await store.setPasswordHash(merchantId, userId, await hashPassword(checked, hashParams));
  if (!ok) throw new AppError('RESOURCE_NOT_FOUND', 'User not found');
  await store.deleteUserSessions(userId);
  ctx.cache.clear();
  ctx.onChange?.();
}

/**
 * Gives the demo users a password: `fixed` (DEMO_USER_PASSWORD) when set, kept in step if it
 * changes; otherwise a random one for users that have none. Returns the password when it was
 * set now (to print once), or null when every user already had one.
 */
export async function seedDemoPasswords(ctx: SessionContext, merchantId: string, emails: readonly string[], fixed: string | undefined): Promise<string | null> {
  const { store, hashParams } = ctx;
  const users: UserWithPassword[] = [];
  for (const email of emails) {
    const u = (await store.findUsersByEmail(email)).find((x) => x.merchantId === merchantId);
    if (u) users.push(u);
  }
  let pending = users.filter((u) => !u.passwordHash);
  if (fixed !== undefined) {
    checkPasswordPolicy(fixed, 'DEMO_USER_PASSWORD');
    const withHash = users.filter((u) => u.passwordHash);
    // One check stands for all: the demo users share one password.
    if (withHash[0] && !(await verifyPassword(fixed, withHash[0].passwordHash!))) pending = users;
  }
  if (pending.length === 0) return fixed ?? null;
  const password = fixed ?? randomToken(12);
  const hash = await hashPassword(password, hashParams);
  for (const u of pending) await store.setPasswordHash(merchantId, u.id, hash);
  return password;
}
