// A browser session once signed in: the principal behind its cookie (cached for a few seconds,
// its expiry sliding with use), and sign-out.
import { sha256Hex } from '../crypto.ts';
import { csrfTokenFor, toSessionUser, type SessionContext, type SessionPrincipal } from './session-types.ts';

/** The principal behind a session cookie, or null (unknown, expired, or the user is disabled). */
export async function authenticateSession(ctx: SessionContext, token: string): Promise<SessionPrincipal | null> {
  const { store, now, cache } = ctx;
  if (token.length < 20 || token.length > 200) return null;
  const hash = sha256Hex(token);
  const cached = cache.get(hash);
  if (cached !== undefined) return cached;
  const at = new Date(now());
  const found = await store.findSession(hash, at);
  let principal: SessionPrincipal | null = null;
  if (found && !found.user.disabledAt) {
    principal = {
      actor: { merchantId: found.user.merchantId, kind: 'USER', id: found.user.id, role: found.user.role },
      user: toSessionUser(found.user),
      csrfToken: csrfTokenFor(token),
      sessionId: found.session.id,
    };
    // Slide the expiry, at most once a minute per session.
    if (at.getTime() - found.session.lastSeenAt.getTime() > 60_000) {
      await store.touchSession(found.session.id, at, new Date(at.getTime() + ctx.ttlMs));
    }
  }
  cache.set(hash, principal);
  return principal;
}

export async function signOut(ctx: SessionContext, token: string): Promise<void> {
  const hash = sha256Hex(token);
  ctx.cache.delete(hash);
  await ctx.store.deleteSession(hash);
  ctx.onChange?.();
}
