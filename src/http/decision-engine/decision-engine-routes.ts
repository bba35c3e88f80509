// Juspay decision engine's API served by Junction (issue 19; docs/decision-engine-compat.md): its
// paths (no /v1, under a configurable prefix, empty by default), its headers (x-api-key,
// x-admin-secret, Bearer), its bodies and answers exactly, beside Junction's own API.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { DecisionEngineService, EngineAnswer, EngineCaller } from '../../core/decision-engine/decision-engine-service.ts';
import { constantTimeEqual, sha256Hex } from '../../core/crypto.ts';
import { NoQuery } from '../schemas.ts';

export interface DecisionEngineRouteDeps {
  service: DecisionEngineService;
  adminApiKey: string | undefined;
  /** A Junction API key's merchant, or null. */
  merchantOfKey(apiKey: string): Promise<string | null>;
  /** A dashboard user's bearer token's merchant, or null. */
  merchantOfBearer(request: FastifyRequest): Promise<string | null>;
  /** Whether the service can serve (GET /health/ready). */
  ready(): Promise<boolean>;
  /** Serve GET /health too (only under a prefix: without one, Junction's own /health answers it). */
  withHealth: boolean;
}

const tags = ['decision-engine'];
const Body = Type.Unknown();
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
const ALGO_ACTIONS = ['create', 'get', 'update', 'delete'] as const;

class Unauthenticated extends Error {}

export function decisionEngineRoutes(deps: DecisionEngineRouteDeps): FastifyPluginAsync {
  const { service } = deps;

  /** Who is calling, from the engine's headers (and Junction's Basic API key); 401 plain text otherwise. */
  async function callerOf(request: FastifyRequest, options: { adminOnly?: boolean } = {}): Promise<EngineCaller> {
    const secret = request.headers['x-admin-secret'];
    if (typeof secret === 'string') {
      if (deps.adminApiKey && constantTimeEqual(sha256Hex(secret), sha256Hex(deps.adminApiKey))) return { kind: 'OPERATOR' };
      throw new Unauthenticated('Invalid admin secret');
    }
    if (options.adminOnly) throw new Unauthenticated('Missing authentication credentials');
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string') {
      const merchantId = await deps.merchantOfKey(apiKey);
      if (!merchantId) throw new Unauthenticated('Invalid API key');
      return { kind: 'MERCHANT', merchantId };
    }
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string') {
      if (/^basic\s/i.test(authorization)) {
        const decoded = Buffer.from(authorization.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
        const merchantId = await deps.merchantOfKey(decoded.split(':')[0] ?? '');
        if (!merchantId) throw new Unauthenticated('Invalid API key');
        return { kind: 'MERCHANT', merchantId };
      }
      const merchantId = await deps.merchantOfBearer(request).catch(() => null);
      if (!merchantId) throw new Unauthenticated('Invalid token');
      return { kind: 'MERCHANT', merchantId };
    }
    throw new Unauthenticated('Missing authentication credentials');
  }

  async function answer(reply: FastifyReply, run: () => Promise<EngineAnswer>): Promise<FastifyReply> {
    let result: EngineAnswer;
    try {
      result = await run();
    } catch (error) {
      if (error instanceof Unauthenticated) return reply.status(401).type('text/plain; charset=utf-8').send(error.message);
      throw error;
    }
    if (typeof result.body === 'string' && result.status === 401) return reply.status(401).type('text/plain; charset=utf-8').send(result.body);
    return reply.status(result.status).type('application/json; charset=utf-8').send(JSON.stringify(result.body));
  }

  return async (app) => {
    if (deps.withHealth) {
      app.get('/health', { schema: { tags, querystring: NoQuery, summary: 'Decision engine: health' } }, async () => ({ message: 'Health is good' }));
    }
    app.get('/health/ready', { schema: { tags, querystring: NoQuery, summary: 'Decision engine: ready (Up / Down)' } }, async (_request, reply) =>
      (await deps.ready()) ? { message: 'Up' } : reply.status(400).send({ message: 'Down' }));

    app.post('/merchant-account/create', { schema: { tags, body: Body, summary: 'Decision engine: create a merchant account (x-admin-secret); maps it onto a Junction merchant' } }, (request, reply) =>
      answer(reply, async () => service.createMerchantAccount(await callerOf(request, { adminOnly: true }), (request.body ?? {}) as Record<string, unknown>)));
    app.get('/merchant-account/:id', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: a merchant account' } }, (request, reply) =>
      answer(reply, async () => service.getMerchantAccount(await callerOf(request), (request.params as { id: string }).id)));
    app.delete('/merchant-account/:id', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: delete a merchant account (the mapping; the Junction merchant stays)' } }, (request, reply) =>
      answer(reply, async () => service.deleteMerchantAccount(await callerOf(request), (request.params as { id: string }).id)));
    app.get('/merchant-account/:id/debit-routing', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: debit routing flag' } }, (request, reply) =>
      answer(reply, async () => service.debitRouting(await callerOf(request), (request.params as { id: string }).id, null)));
    app.post('/merchant-account/:id/debit-routing', { schema: { tags, params: IdParams, body: Body, summary: 'Decision engine: set the debit routing flag' } }, (request, reply) =>
      answer(reply, async () => service.debitRouting(await callerOf(request), (request.params as { id: string }).id, (request.body ?? {}) as Record<string, unknown>)));

    app.post('/decide-gateway', { schema: { tags, body: Body, summary: "Decision engine: which gateway (Junction's Priority Logic, health and success-rate ranking)" } }, (request, reply) =>
      answer(reply, async () => service.decideGateway(await callerOf(request), request.body)));
    app.post('/update-gateway-score', { schema: { tags, body: Body, summary: 'Decision engine: the outcome of a decided payment' } }, (request, reply) =>
      answer(reply, async () => service.updateGatewayScore(await callerOf(request), request.body)));

    for (const action of ALGO_ACTIONS) {
      app.post(`/rule/${action}`, { schema: { tags, body: Body, summary: `Decision engine: ${action} a rule configuration (successRate, elimination, debitRouting)` } }, (request, reply) =>
        answer(reply, async () => service.ruleConfig(await callerOf(request), action, request.body)));
    }
    app.post('/config-sr-dimension', { schema: { tags, body: Body, summary: 'Decision engine: the SR dimensions of a merchant' } }, (request, reply) =>
      answer(reply, async () => service.configSrDimension(await callerOf(request), request.body)));
    app.get('/config-sr-dimension/:id', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: the stored SR dimensions' } }, (request, reply) =>
      answer(reply, async () => service.getSrDimension(await callerOf(request), (request.params as { id: string }).id)));
  };
}
