// The Fastify instance and its server-level options: logging with redaction, body limit, proxy
// trust, request ids, TLS, URL rewriting and the answer to malformed URLs.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { errorBody } from './errors/error-handler.ts';
import { CACHED_SCHEMA_COMPILERS } from './schema-compilers.ts';

/** Errors Fastify raises before routing (a malformed URL): a 400 in the API's error shape. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_BAD_URL' ? 'the URL is malformed (bad percent-encoding)' : error.message;
  void reply.status(400).send(errorBody(new AppError('INVALID_INPUT', `Invalid request: ${message}`, { fields: [{ field_name: 'url', reason: message }] }), request.id));
}

/** Card data never reaches a log line, whatever shape the request takes. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'body.card_number',
  'body.card_security_code',
  'body.card_exp_month',
  'body.card_exp_year',
  '*.card_number',
  '*.card_security_code',
  '*.cvv',
  '*.number',
  '*.credentials',
  '*.password',
  '*.apiKey',
  '*.api_key',
];

export function createFastifyInstance(config: Config, logger: boolean | Record<string, unknown> | undefined): FastifyInstance {
  return Fastify({
    logger: logger ?? { level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    bodyLimit: config.bodyLimitBytes,
    // Behind a proxy the client address (rate limits, sign-in throttle) comes from X-Forwarded-For.
    trustProxy: config.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    // Malformed URLs (bad percent-encoding) answer in the API's error shape, not Fastify's.
    frameworkErrors: answerFrameworkError,
    genReqId: () => `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    // The official Node client builds "/orders<id>" (no slash) for order updates.
    rewriteUrl: (request) => {
      const url = request.url ?? '/';
      const match = /^\/orders([A-Za-z0-9_-]+)(\?.*)?$/.exec(url);
      return match ? `/orders/${match[1]}${match[2] ?? ''}` : url;
    },
    ...(config.tlsCertFile && config.tlsKeyFile ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } } : {}),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Fastify's own compilers, compiled once per process (schema-compilers.ts).
    schemaController: { compilersFactory: CACHED_SCHEMA_COMPILERS },
  }) as unknown as FastifyInstance;
}
