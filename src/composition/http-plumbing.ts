// What every route relies on, registered before any route: request metrics and traces, the one
// error handler, the input guard, the route schema audit, rate limits, the shared error schema,
// the body parsers and the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { registerErrorHandling } from '../http/errors/error-handler.ts';
import { registerInputGuard } from '../http/input-guard.ts';
import { registerJsonBodyParser } from '../http/json-body-parser.ts';
import { registerRateLimits } from '../http/rate-limits.ts';
import { registerRouteSchemaAudit, type RouteSchemaProblem } from '../http/route-schema-audit.ts';
import { ErrorBody } from '../http/schemas.ts';
import { registerSwagger } from '../http/swagger.ts';
import { registerRequestObservability } from '../observability/fastify-hooks.ts';
import type { MetricsRecorder } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';

export interface HttpPlumbing {
  routeSchemas: { problems(): RouteSchemaProblem[] };
  /** The rate limiter's Redis connection (closed with the app), when REDIS_URL is set and limits are on. */
  rateLimitRedis: Redis | null;
}

export async function registerHttpPlumbing(app: FastifyInstance, deps: { config: Config; recorder: MetricsRecorder; tracing: Tracing; rateLimitNamespace: string | undefined }): Promise<HttpPlumbing> {
  const { config } = deps;
  registerRequestObservability(app, { metrics: deps.recorder, tracing: deps.tracing });
  registerErrorHandling(app);
  registerInputGuard(app);
  const routeSchemas = registerRouteSchemaAudit(app);
  // Rate limits before any route: Redis (one budget for every instance) when REDIS_URL is set.
  const rateLimitRedis = config.redisUrl && config.rateLimits.enabled ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 }) : null;
  await registerRateLimits(app, config.rateLimits, { adminApiKey: config.adminApiKey, redis: rateLimitRedis, ...(deps.rateLimitNamespace ? { nameSpace: deps.rateLimitNamespace } : {}) });
  app.addSchema(ErrorBody);
  await app.register(formbody);
  registerJsonBodyParser(app);
  await registerSwagger(app);
  return { routeSchemas, rateLimitRedis };
}
