// The HTTP routes for buildApp, in the order they are registered (the OpenAPI document lists them
// in that order): the merchant API, the admin API, the dashboard's APIs, the decision engine's API,
// the JWE endpoints and the simulator's controls. Each gets the services it needs and its auth.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { KeyRing } from '../core/crypto.ts';
import { mayDo } from '../core/analytics/dashboard-rights.ts';
import type { createAnalyticsService } from '../core/analytics/analytics-service.ts';
import { createDecisionEngineService, createMemoryDecisionContexts } from '../core/decision-engine/decision-engine-service.ts';
import type { createGatewayStatusTable } from '../core/gateway-status/gateway-status-table.ts';
import { createJwtKeyService } from '../core/merchants/jwt-key-service.ts';
import type { MerchantService } from '../core/merchants/merchant-service.ts';
import type { UserService } from '../core/priority-logic/user-service.ts';
import { createRiskAdminService } from '../core/risk/risk-admin-service.ts';
import { createRiskInsightService } from '../core/risk/risk-insight-service.ts';
import { createWebhookLog, type WebhookLog } from '../core/webhooks/webhook-log.ts';
import { describeDefinition } from '../connectors/kit/definition.ts';
import type { HttpTransport } from '../connectors/kit/transport.ts';
import { CONNECTOR_DEFINITIONS, connectorDefinition } from '../connectors/registry.ts';
import type { SimulatorFleet } from '../connectors/simulator/simulator-fleet.ts';
import { adminRoutes } from '../http/admin/admin-routes.ts';
import { gatewayStatusRoutes } from '../http/admin/gateway-status-routes.ts';
import { bearerMatches } from '../http/auth/admin-auth.ts';
import { createMerchantAuth } from '../http/auth/merchant-auth.ts';
import { sessionRoutes } from '../http/auth/session-routes.ts';
import { createActorAuth } from '../http/auth/user-auth.ts';
import { customerRoutes } from '../http/customers/customer-routes.ts';
import { registerDashboard } from '../http/dashboard-static.ts';
import { dashboardRoutes } from '../http/dashboard/dashboard-routes.ts';
import { decisionEngineRoutes } from '../http/decision-engine/decision-engine-routes.ts';
import { jweRoutes, jwtKeyAdminRoutes } from '../http/jwe/jwe-routes.ts';
import { paymentRoutes } from '../http/payments/payment-routes.ts';
import { backtestRoutes } from '../http/priority-logic/backtest-routes.ts';
import { priorityLogicRoutes } from '../http/priority-logic/priority-logic-routes.ts';
import { userAdminRoutes } from '../http/priority-logic/user-admin-routes.ts';
import { riskInsightRoutes } from '../http/risk/risk-insight-routes.ts';
import { riskRoutes } from '../http/risk/risk-routes.ts';
import { routingIntelligenceRoutes } from '../http/routing/routing-intelligence-routes.ts';
import { simulatorRoutes } from '../http/simulator/simulator-routes.ts';
import { webhookLogRoutes } from '../http/webhooks/webhook-log-routes.ts';
import type { Db } from '../storage/db.ts';
import { createDecisionEngineStore } from '../storage/decision-engine-repository.ts';
import { createJwtKeyRepository } from '../storage/jwt-key-repository.ts';
import { createWebhookLogStore } from '../storage/outbox-repository.ts';
import type { createPaymentStore } from '../storage/payment-repository.ts';
import { createRedisDecisionContexts } from '../storage/redis-decision-contexts.ts';
import { createRiskInsightRepository } from '../storage/risk-insight-repository.ts';
import type { WiredPayments } from './payments.ts';
import { riskProviderWebhook, type WiredRisk } from './risk.ts';
import type { WiredRouting } from './routing.ts';
import type { WiredSessions } from './sessions.ts';

export interface RouteWiring {
  config: Config;
  db: Db;
  keyRing: KeyRing;
  log: FastifyBaseLogger;
  merchants: MerchantService;
  store: ReturnType<typeof createPaymentStore>;
  payments: WiredPayments;
  users: UserService;
  sessions: WiredSessions;
  routing: WiredRouting;
  risk: WiredRisk;
  analytics: ReturnType<typeof createAnalyticsService>;
  simulator: SimulatorFleet;
  gatewayStatus: ReturnType<typeof createGatewayStatusTable>;
  transport: HttpTransport;
  /** Tells other instances that `what` changed for a merchant (cache invalidation). */
  publishChange: (what: string) => (merchantId: string) => void;
  /** True once the app serves (the decision engine's health answers with it). */
  isReady: () => boolean;
}

type MerchantAuth = ReturnType<typeof createMerchantAuth>;
type ActorOf = ReturnType<typeof createActorAuth>;

export async function registerRoutes(app: FastifyInstance, w: RouteWiring): Promise<void> {
  const { merchants, users } = w;
  const auth = createMerchantAuth(async (key) => {
    const found = await merchants.authenticate(key);
    return found ? { merchantId: found.merchantId, keyId: found.keyId } : null;
  });
  const webhookLog = createWebhookLog({ store: createWebhookLogStore(w.db), orderExists: async (merchantId, orderId) => (await w.store.getOrder(merchantId, orderId)) !== null });
  const actorOf = createActorAuth({ users: (token) => users.authenticate(token), merchantAuth: auth, sessions: (token) => w.sessions.sessions.authenticate(token) });
  await registerMerchantAndAdminRoutes(app, w, auth, webhookLog);
  await registerDashboardApiRoutes(app, w, auth, actorOf);
  await registerEngineAndToolRoutes(app, w, actorOf, webhookLog);
}

/** The merchant API (payments, webhook log, customers), the admin API and dashboard sign-in. */
async function registerMerchantAndAdminRoutes(app: FastifyInstance, w: RouteWiring, auth: MerchantAuth, webhookLog: WebhookLog): Promise<void> {
  const { config } = w;
  const { payments, customers, paymentMethods, createSession } = w.payments;
  const { sessions, sessionTtlMs, dashboardConfig } = w.sessions;
  await app.register(paymentRoutes({ payments, auth }));
  await app.register(webhookLogRoutes({ webhookLog, auth }));
  await app.register(customerRoutes({ customers, auth, paymentMethods, createSession }));
  await app.register(
    adminRoutes({ merchants: w.merchants, adminApiKey: config.adminApiKey, connectors: () => CONNECTOR_DEFINITIONS.map(describeDefinition), gatewayMetrics: () => w.transport.metrics() }),
    { prefix: '/admin/v1' },
  );
  await app.register(userAdminRoutes({ users: w.users, sessions, adminApiKey: config.adminApiKey }), { prefix: '/admin/v1' });
  await app.register(sessionRoutes({ sessions, ttlMs: sessionTtlMs, cookieSecure: dashboardConfig.cookieSecure || Boolean(config.tlsCertFile) }));
  await registerDashboard(app, dashboardConfig.staticDir);
}

/** Priority Logic, backtests, risk and routing intelligence: the dashboard's APIs (users, sessions, API keys). */
async function registerDashboardApiRoutes(app: FastifyInstance, w: RouteWiring, auth: MerchantAuth, actorOf: ActorOf): Promise<void> {
  const { payments } = w.payments;
  const { risk, riskStore, riskProviders } = w.risk;
  const backtests = w.routing.backtests;
  await app.register(priorityLogicRoutes({ service: w.routing.priorityLogic, actorOf }));
  await app.register(backtestRoutes({ service: backtests, actorOf }));
  const riskAdmin = createRiskAdminService({
    store: riskStore,
    // A change made here drops this instance's compiled setup and tells the others at once (their
    // version check bounds it to 5 s without Redis).
    risk: {
      dryRun: risk.dryRun,
      invalidate: (merchantId) => {
        risk.invalidate(merchantId);
        w.publishChange('risk')(merchantId);
      },
    },
    capture: (merchantId, txnUuid) => payments.capture(merchantId, txnUuid, {}),
    voidTxn: (merchantId, txnUuid) => payments.voidTxn(merchantId, txnUuid, {}),
    reviewEvent: (merchantId, txnUuid, eventName) => payments.emitReviewEvent(merchantId, txnUuid, eventName),
  });
  await app.register(riskRoutes({ service: riskAdmin, actorOf, providerWebhook: riskProviderWebhook(riskProviders, riskStore, payments) }));
  await app.register(riskInsightRoutes({ insights: createRiskInsightService({ store: createRiskInsightRepository(w.db) }), actorOf }));
  await app.register(routingIntelligenceRoutes({ intelligence: w.routing.scoring, decide: w.routing.decideService, merchants: w.merchants, actorOf, auth }));
}

/** Juspay decision engine's API, the dashboard's own routes, gateway status and JWT keys (admin), JWE, the simulator. */
async function registerEngineAndToolRoutes(app: FastifyInstance, w: RouteWiring, actorOf: ActorOf, webhookLog: WebhookLog): Promise<void> {
  const { config, merchants, log } = w;
  const { payments, createSession } = w.payments;
  const { scoring, decideService, priorityLogic, redis } = w.routing;
  // Juspay decision engine's API, on Junction's routing (issue 19).
  const decisionEngine = createDecisionEngineService({
    store: createDecisionEngineStore(w.db),
    contexts: redis ? createRedisDecisionContexts(redis) : createMemoryDecisionContexts(),
    merchants: {
      exists: async (merchantId) => (await merchants.findMerchant(merchantId)) !== null,
      create: async (merchantId) => {
        await merchants.createMerchant({ id: merchantId, name: merchantId });
      },
      createApiKey: async (merchantId) => (await merchants.createApiKey(merchantId, 'decision engine')).key,
    },
    decide: (merchantId, input, decideOptions) => decideService.decideGateway(merchantId, input, decideOptions),
    accounts: (merchantId) => merchants.routingCandidates(merchantId),
    record: (merchantId, outcome) => scoring.record(merchantId, outcome),
    priorityLogic,
    log: (message, fields) => log.info(fields, message),
  });
  const enginePrefix = config.decisionEngine?.prefix ?? '';
  await app.register(
    decisionEngineRoutes({
      service: decisionEngine,
      adminApiKey: config.adminApiKey,
      withHealth: enginePrefix !== '',
      merchantOfKey: async (key) => {
        const found = await merchants.authenticate(key);
        return found ? { merchantId: found.merchantId, keyId: found.keyId } : null;
      },
      actorOfBearer: (request) => actorOf(request),
      ready: async () => w.isReady(),
    }),
    { prefix: enginePrefix },
  );
  await app.register(
    dashboardRoutes({
      actorOf,
      analytics: w.analytics,
      payments,
      merchants,
      webhookLog,
      intelligence: scoring,
      simulator: w.simulator,
      connectorOf: (gateway) => {
        const definition = connectorDefinition(gateway);
        return definition ? describeDefinition(definition) : undefined;
      },
      log: (message, fields) => log.info(fields, message),
    }),
  );
  await app.register(gatewayStatusRoutes({ table: w.gatewayStatus, adminApiKey: config.adminApiKey }), { prefix: '/admin/v1' });
  const jwtKeys = createJwtKeyService({ store: createJwtKeyRepository(w.db), keyRing: w.keyRing, merchantExists: async (id) => (await merchants.findMerchant(id)) !== null });
  await app.register(jwtKeyAdminRoutes({ keys: jwtKeys, adminApiKey: config.adminApiKey }), { prefix: '/admin/v1' });
  await app.register(jweRoutes({ payments, createSession, keys: jwtKeys }));
  await app.register(
    simulatorRoutes({
      simulators: w.simulator,
      // The admin key reaches every merchant's simulator; anyone else (API key, dashboard session
      // or user token) only their own merchant's, changing it only with a role that may inject outages.
      callerOf: async (request) => {
        if (config.adminApiKey && bearerMatches(request, config.adminApiKey)) return { kind: 'ADMIN' };
        const actor = await actorOf(request);
        return { kind: 'MERCHANT', merchantId: actor.merchantId, mayChange: mayDo(actor, 'inject_outage') };
      },
      merchantExists: async (merchantId) => (await merchants.findMerchant(merchantId)) !== null,
    }),
  );
}
