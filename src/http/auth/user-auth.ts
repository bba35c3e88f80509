// Authentication of the dashboard-facing APIs (Priority Logic, routing, dashboard): a browser
// session cookie (state-changing requests must also carry the session's CSRF token in
// `x-csrf-token`), a dashboard user's bearer token (`Authorization: Bearer <token>`), or the
// merchant's API key (HTTP Basic), which acts as a system actor with ADMIN rights and is never
// an approver. Roles: ADMIN / EDITOR / APPROVER / VIEWER.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/priority-logic/types.ts';
import { csrfMatches, type SessionPrincipal } from '../../core/sessions/session-service.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import type { MerchantAuth } from './merchant-auth.ts';

export type UserTokenAuthenticator = (token: string) => Promise<Actor | null>;
export type SessionAuthenticator = (token: string) => Promise<SessionPrincipal | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createActorAuth(deps: { users: UserTokenAuthenticator; merchantAuth: MerchantAuth; sessions?: SessionAuthenticator }) {
  return async function actorOf(request: FastifyRequest): Promise<Actor> {
    const header = request.headers.authorization?.trim() ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header);
    if (bearer?.[1]) {
      const actor = await deps.users(bearer[1].trim());
      if (!actor) throw new AppError('UNAUTHENTICATED', 'Invalid or disabled user token');
      const claimed = request.headers['x-merchantid'];
      if (typeof claimed === 'string' && claimed !== '' && claimed !== actor.merchantId) {
        throw new AppError('UNAUTHENTICATED', 'x-merchantid does not match the user token', { fields: [{ field_name: 'x-merchantid', reason: 'does not match the user token' }] });
      }
      return { ...actor, requestId: request.id };
    }
    if (!header) {
      const cookie = deps.sessions ? readCookie(request, SESSION_COOKIE) : undefined;
      if (cookie && deps.sessions) {
        const principal = await deps.sessions(cookie);
        if (!principal) throw new AppError('UNAUTHENTICATED', 'Your session has ended: sign in again');
        if (!SAFE_METHODS.has(request.method)) {
          const csrf = request.headers['x-csrf-token'];
          if (!csrfMatches(cookie, typeof csrf === 'string' ? csrf : undefined)) throw new AppError('CSRF_TOKEN_INVALID');
        }
        return { ...principal.actor, requestId: request.id };
      }
      throw new AppError('UNAUTHENTICATED', 'Sign in, or authenticate with a user token (Authorization: Bearer <token>) or the API key (HTTP Basic)');
    }
    const principal = await deps.merchantAuth.required(request);
    return { merchantId: principal.merchantId, kind: 'API_KEY', id: principal.keyId, role: 'ADMIN', requestId: request.id };
  };
}

export type ActorAuth = ReturnType<typeof createActorAuth>;
