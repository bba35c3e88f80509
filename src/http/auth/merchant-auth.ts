// Merchant authentication: HTTP Basic with the API key as the username (Juspay's scheme), and
// the x-merchantid header, when sent, must name the key's merchant.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';

export interface MerchantPrincipal {
  merchantId: string;
  keyId: string;
}

export type ApiKeyAuthenticator = (apiKey: string) => Promise<MerchantPrincipal | null>;

/** Extracts the API key from `Authorization: Basic base64(key:)`; null when absent. */
export function apiKeyFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value || scheme.toLowerCase() !== 'basic') throw new AppError('UNAUTHENTICATED', 'Use HTTP Basic authentication with the API key as the username');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon === -1 ? decoded : decoded.slice(0, colon);
  if (!key) throw new AppError('UNAUTHENTICATED', 'API key missing in the Authorization header');
  return key;
}

export function createMerchantAuth(authenticate: ApiKeyAuthenticator) {
  async function optional(request: FastifyRequest): Promise<MerchantPrincipal | null> {
    const key = apiKeyFromHeader(request.headers.authorization);
    if (key === null) return null;
    const principal = await authenticate(key);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'Invalid API key');
    const claimed = request.headers['x-merchantid'];
    if (typeof claimed === 'string' && claimed !== '' && claimed !== principal.merchantId) {
      throw new AppError('UNAUTHENTICATED', 'x-merchantid does not match the API key', { fields: [{ field_name: 'x-merchantid', reason: 'does not match the API key' }] });
    }
    return principal;
  }
  async function required(request: FastifyRequest): Promise<MerchantPrincipal> {
    const principal = await optional(request);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'API key missing: use HTTP Basic authentication with the API key as the username');
    return principal;
  }
  return { optional, required };
}

export type MerchantAuth = ReturnType<typeof createMerchantAuth>;
