// Request rate limits (issue 10) with @fastify/rate-limit: per merchant API key, per dashboard
// session or user token, else per client address; in Redis when REDIS_URL is set (one budget for
// every instance), in memory otherwise. Generous defaults: they stop floods, not merchants.
// Exempt: /health, the dashboard's static files and the API docs, gateways' webhooks, the
// simulator's bank pages, and the operator's admin key. The 429 is the API's error shape with
// Retry-After.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { RateLimitConfig } from '../config.ts';
import { ForgetfulMap } from '../core/cache/forgetful-map.ts';
import { sha256Hex } from '../core/crypto.ts';
import { AppError } from '../core/errors.ts';

const EXEMPT_PATHS = ['/health', '/dashboard', '/docs', '/openapi.json', '/webhooks', '/simulator/bank', '/favicon.ico'];

/**
 * Digests of recently seen credentials: a busy key is hashed once, not on every request (about 2%
 * of a payment's server thread in a profile, 2026-12-06). Bounded (emptied when full) and only for
 * credentials of a usual length, so random or huge headers cost memory for no one.
 */
export const RECENT_DIGESTS_MAX = 4096;
const recentDigests = new ForgetfulMap<string>(RECENT_DIGESTS_MAX);
const MEMO_MAX_LENGTH = 256;

function digest(value: string): string {
  const known = recentDigests.get(value);
  if (known !== undefined) return known;
  const hashed = sha256Hex(value).slice(0, 32);
  return value.length <= MEMO_MAX_LENGTH ? recentDigests.remember(value, hashed) : hashed;
}

type Kind = 'key' | 'session' | 'address';

/** Who is asking: the credential's digest (never the secret itself), or the address. */
export function rateLimitSubject(request: FastifyRequest, adminApiKey: string | undefined): { kind: Kind; id: string } | null {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const [scheme, value = ''] = auth.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer') {
      if (adminApiKey && value === adminApiKey) return null;
      return { kind: 'session', id: `user:${digest(value)}` };
    }
    if (scheme?.toLowerCase() === 'basic') {
      const key = Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
      return { kind: 'key', id: `key:${digest(key)}` };
    }
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { kind: 'key', id: `key:${digest(apiKey)}` };
  const cookie = request.headers.cookie;
  const session = typeof cookie === 'string' ? /(?:^|;\s*)junction_session=([^;]+)/.exec(cookie)?.[1] : undefined;
  if (session) return { kind: 'session', id: `session:${digest(session)}` };
  return { kind: 'address', id: `addr:${request.ip}` };
}

function exempt(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return EXEMPT_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

export async function registerRateLimits(app: FastifyInstance, config: RateLimitConfig, options: { adminApiKey: string | undefined; redis?: Redis | null; nameSpace?: string }): Promise<void> {
  if (!config.enabled) return;
  const limitOf: Record<Kind, number> = { key: config.perKeyPerMinute, session: config.perSessionPerMinute, address: config.perAddressPerMinute };
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    ...(options.redis ? { redis: options.redis, nameSpace: options.nameSpace ?? 'junction:rl:', skipOnError: true } : {}),
    allowList: (request) => exempt(request) || rateLimitSubject(request, options.adminApiKey) === null,
    keyGenerator: (request) => rateLimitSubject(request, options.adminApiKey)?.id ?? 'exempt',
    max: async (request) => limitOf[rateLimitSubject(request, options.adminApiKey)?.kind ?? 'address'],
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError('RATE_LIMITED', `Too many requests: the limit is ${context.max} per minute; retry in ${seconds} s`, { retryAfterSeconds: seconds });
    },
  });
}
