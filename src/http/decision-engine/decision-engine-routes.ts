// Juspay decision engine's API served by Junction (issue 19; docs/decision-engine-compat.md): its
// paths (no /v1, under a configurable prefix, empty by default), its headers (x-api-key,
// x-admin-secret, Bearer), its bodies and answers exactly, beside Junction's own API.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { DecisionEngineService, EngineAnswer, EngineCaller } from '../../core/decision-engine/decision-engine-service.ts';
import { constantTimeEqual, sha256Hex } from '../../core/crypto.ts';
import { NoQuery } from '../schemas.ts';
import type { Actor } from '../../core/priority-logic/types.ts';

export interface DecisionEngineRouteDeps {
  service: DecisionEngineService;
  adminApiKey: string | undefined;
  /** A Junction API key's merchant and key id, or null. */
  merchantOfKey(apiKey: string): Promise<{ merchantId: string; keyId: string } | null>;
  /** A dashboard user's bearer token (or session) as its actor; throws when invalid. */
  actorOfBearer(request: FastifyRequest): Promise<Actor>;
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

type CallerOf = (request: FastifyRequest, options?: { adminOnly?: boolean }) => Promise<EngineCaller>;

/** Who is calling, from the engine's headers (and Junction's Basic API key); 401 plain text otherwise. */
function callerFrom(deps: DecisionEngineRouteDeps): CallerOf {
  return async function callerOf(request, options = {}) {
    const secret = request.headers['x-admin-secret'];
    if (typeof secret === 'string') {
      if (deps.adminApiKey && constantTimeEqual(sha256Hex(secret), sha256Hex(deps.adminApiKey))) return { kind: 'OPERATOR' };
      throw new Unauthenticated('Invalid admin secret');
    }
    if (options.adminOnly) throw new Unauthenticated('Missing authentication credentials');
    // A merchant's API key acts as its system admin, as on Junction's own API.
    const byKey = async (key: string): Promise<EngineCaller> => {
      const found = await deps.merchantOfKey(key);
      if (!found) throw new Unauthenticated('Invalid API key');
      return { kind: 'MERCHANT', merchantId: found.merchantId, actor: { merchantId: found.merchantId, kind: 'API_KEY', id: found.keyId, role: 'ADMIN', requestId: request.id } };
    };
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string') return byKey(apiKey);
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string') {
      if (/^basic\s/i.test(authorization))
        return byKey(
          Buffer.from(authorization.replace(/^basic\s+/i, ''), 'base64')
            .toString('utf8')
            .split(':')[0] ?? '',
        );
      const actor = await deps.actorOfBearer(request).catch(() => null);
      if (!actor) throw new Unauthenticated('Invalid token');
      return { kind: 'MERCHANT', merchantId: actor.merchantId, actor };
    }
    throw new Unauthenticated('Missing authentication credentials');
  };
}

async function answer(reply: FastifyReply, run: () => Promise<EngineAnswer>): Promise<FastifyReply> {
  let result: EngineAnswer;
  try {
    result = await run();
  } catch (error) {
    if (error instanceof Unauthenticated) return reply.status(401).type('text/plain; charset=utf-8').send(error.message);
    throw error;
  }
  if (result.text) return reply.status(result.status).type('text/plain; charset=utf-8').send(String(result.body));
  if (result.body === null && result.status === 200) return reply.status(200).send();
  return reply.status(result.status).type('application/json; charset=utf-8').send(JSON.stringify(result.body));
}

/** Health, merchant accounts, decisions and their feedback. */
function accountAndDecisionRoutes(app: FastifyInstance, deps: DecisionEngineRouteDeps, callerOf: CallerOf): void {
  const { service } = deps;
  if (deps.withHealth) {
    app.get('/health', { schema: { tags, querystring: NoQuery, summary: 'Decision engine: health' } }, async () => ({ message: 'Health is good' }));
  }
  app.get('/health/ready', { schema: { tags, querystring: NoQuery, summary: 'Decision engine: ready (Up / Down)' } }, async (_request, reply) =>
    (await deps.ready()) ? { message: 'Up' } : reply.status(400).send({ message: 'Down' }),
  );

  app.post('/merchant-account/create', { schema: { tags, body: Body, summary: 'Decision engine: create a merchant account (x-admin-secret); maps it onto a Junction merchant' } }, (request, reply) =>
    answer(reply, async () => service.createMerchantAccount(await callerOf(request, { adminOnly: true }), (request.body ?? {}) as Record<string, unknown>)),
  );
  app.get('/merchant-account/:id', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: a merchant account' } }, (request, reply) =>
    answer(reply, async () => service.getMerchantAccount(await callerOf(request), (request.params as { id: string }).id)),
  );
  app.delete(
    '/merchant-account/:id',
    { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: delete a merchant account (the mapping; the Junction merchant stays)' } },
    (request, reply) => answer(reply, async () => service.deleteMerchantAccount(await callerOf(request), (request.params as { id: string }).id)),
  );
  app.get('/merchant-account/:id/debit-routing', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: debit routing flag' } }, (request, reply) =>
    answer(reply, async () => service.debitRouting(await callerOf(request), (request.params as { id: string }).id, null)),
  );
  app.post('/merchant-account/:id/debit-routing', { schema: { tags, params: IdParams, body: Body, summary: 'Decision engine: set the debit routing flag' } }, (request, reply) =>
    answer(reply, async () => service.debitRouting(await callerOf(request), (request.params as { id: string }).id, (request.body ?? {}) as Record<string, unknown>)),
  );

  app.post('/decide-gateway', { schema: { tags, body: Body, summary: "Decision engine: which gateway (Junction's Priority Logic, health and success-rate ranking)" } }, (request, reply) =>
    answer(reply, async () => service.decideGateway(await callerOf(request), request.body)),
  );
  app.post(
    '/decision_gateway',
    { schema: { tags, body: Body, summary: 'Decision engine: the legacy decider (orderReference, txnDetail, txnCardInfo, merchantAccount ...), decided as /decide-gateway' } },
    (request, reply) => answer(reply, async () => service.legacyDecisionGateway(await callerOf(request), request.body)),
  );
  app.post(
    '/routing/hybrid',
    { schema: { tags, body: Body, summary: 'Decision engine: the active rule and a decision in one call (static_routing_request, dynamic_routing_request)' } },
    (request, reply) => answer(reply, async () => service.hybridRouting(await callerOf(request), request.body)),
  );
  app.post(
    '/admin/hierarchy/sync',
    { schema: { tags, body: Body, summary: "Decision engine: Hyperswitch's organization -> merchant -> profile tree (x-admin-secret); each profile an engine merchant" } },
    (request, reply) => answer(reply, async () => service.syncHierarchy(await callerOf(request, { adminOnly: true }), request.body)),
  );
  app.post(
    '/admin/hierarchy/reconcile',
    { schema: { tags, body: Body, summary: 'Decision engine: which engine merchants a Hyperswitch tree links, does not know, or strands (x-admin-secret; writes nothing)' } },
    (request, reply) => answer(reply, async () => service.reconcileHierarchy(await callerOf(request, { adminOnly: true }), request.body)),
  );
  app.post('/update-gateway-score', { schema: { tags, body: Body, summary: 'Decision engine: the outcome of a decided payment' } }, (request, reply) =>
    answer(reply, async () => service.updateGatewayScore(await callerOf(request), request.body)),
  );

  app.post('/update-score', { schema: { tags, body: Body, summary: 'Decision engine: the legacy feedback (txn_detail, txn_card_info); answers the text Success' } }, (request, reply) =>
    answer(reply, async () => service.updateGatewayScore(await callerOf(request), request.body, true)),
  );
}

/** Rule configurations, routing rules (Priority Logics) and SR dimensions. */
function ruleAndRoutingRoutes(app: FastifyInstance, service: DecisionEngineService, callerOf: CallerOf): void {
  for (const action of ALGO_ACTIONS) {
    app.post(`/rule/${action}`, { schema: { tags, body: Body, summary: `Decision engine: ${action} a rule configuration (successRate, elimination, debitRouting)` } }, (request, reply) =>
      answer(reply, async () => service.ruleConfig(await callerOf(request), action, request.body)),
    );
  }
  app.post(
    '/routing/create',
    { schema: { tags, body: Body, summary: 'Decision engine: create a routing rule (a Priority Logic: single/priority -> default, volume_split -> volume, advanced -> rule-based)' } },
    (request, reply) => answer(reply, async () => service.createRoutingRule(await callerOf(request), request.body)),
  );
  app.post('/routing/activate', { schema: { tags, body: Body, summary: "Decision engine: activate a routing rule (the Priority Logic's full release)" } }, (request, reply) =>
    answer(reply, async () => service.activateRoutingRule(await callerOf(request), request.body)),
  );
  app.post('/routing/deactivate', { schema: { tags, body: Body, summary: 'Decision engine: deactivate a routing rule' } }, (request, reply) =>
    answer(reply, async () => service.activateRoutingRule(await callerOf(request), request.body, true)),
  );
  app.post('/routing/update', { schema: { tags, body: Body, summary: 'Decision engine: update a routing rule (a copy of its Priority Logic, released in its place when live)' } }, (request, reply) =>
    answer(reply, async () => service.updateRoutingRule(await callerOf(request), request.body)),
  );
  app.post('/routing/delete', { schema: { tags, body: Body, summary: 'Decision engine: delete a routing rule (refused while live)' } }, (request, reply) =>
    answer(reply, async () => service.deleteRoutingRule(await callerOf(request), request.body)),
  );
  app.post('/routing/list/:id', { schema: { tags, params: IdParams, body: Body, summary: "Decision engine: a merchant's routing rules" } }, (request, reply) =>
    answer(reply, async () => service.listRoutingRules(await callerOf(request), (request.params as { id: string }).id, false)),
  );
  app.post('/routing/list/active/:id', { schema: { tags, params: IdParams, body: Body, summary: "Decision engine: a merchant's active routing rule" } }, (request, reply) =>
    answer(reply, async () => service.listRoutingRules(await callerOf(request), (request.params as { id: string }).id, true)),
  );
  app.post('/routing/evaluate', { schema: { tags, body: Body, summary: "Decision engine: evaluate the merchant's active Priority Logic on typed parameters" } }, (request, reply) =>
    answer(reply, async () => service.evaluateRouting(await callerOf(request), request.body)),
  );

  app.post('/config-sr-dimension', { schema: { tags, body: Body, summary: 'Decision engine: the SR dimensions of a merchant' } }, (request, reply) =>
    answer(reply, async () => service.configSrDimension(await callerOf(request), request.body)),
  );
  app.get('/config-sr-dimension/:id', { schema: { tags, params: IdParams, querystring: NoQuery, summary: 'Decision engine: the stored SR dimensions' } }, (request, reply) =>
    answer(reply, async () => service.getSrDimension(await callerOf(request), (request.params as { id: string }).id)),
  );
}

export function decisionEngineRoutes(deps: DecisionEngineRouteDeps): FastifyPluginAsync {
  const callerOf = callerFrom(deps);
  return async (app) => {
    accountAndDecisionRoutes(app, deps, callerOf);
    ruleAndRoutingRoutes(app, deps.service, callerOf);
  };
}
