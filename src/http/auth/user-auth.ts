// Authentication of the Priority Logic API: a dashboard user's bearer token (`Authorization:
// Bearer <token>`, roles ADMIN / EDITOR / APPROVER / VIEWER), or the merchant's API key (HTTP
// Basic), which acts as a system actor with ADMIN rights and is never an approver.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/priority-logic/types.ts';
import type { MerchantAuth } from './merchant-auth.ts';

export type UserTokenAuthenticator = (token: string) => Promise<Actor | null>;

export function createActorAuth(deps: { users: UserTokenAuthenticator; merchantAuth: MerchantAuth }) {
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
    if (!header) throw new AppError('UNAUTHENTICATED', 'Authenticate with a user token (Authorization: Bearer <token>) or the API key (HTTP Basic)');
    const principal = await deps.merchantAuth.required(request);
    return { merchantId: principal.merchantId, kind: 'API_KEY', id: principal.keyId, role: 'ADMIN', requestId: request.id };
  };
}

export type ActorAuth = ReturnType<typeof createActorAuth>;
