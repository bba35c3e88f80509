// The admin key guard: `Authorization: Bearer <JUNCTION_ADMIN_KEY>`, compared in constant time.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { constantTimeEqual, sha256Hex } from '../../core/crypto.ts';

export function bearerMatches(request: FastifyRequest, adminApiKey: string): boolean {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  return constantTimeEqual(sha256Hex(match[1]), sha256Hex(adminApiKey));
}

/** An onRequest hook for admin-only routes. */
export function requireAdminKey(adminApiKey: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!adminApiKey) throw new AppError('UNAUTHORIZED', 'Admin API is disabled: set JUNCTION_ADMIN_KEY');
    if (!bearerMatches(request, adminApiKey)) throw new AppError('UNAUTHENTICATED', 'Invalid or missing admin key (Authorization: Bearer <JUNCTION_ADMIN_KEY>)');
  };
}
