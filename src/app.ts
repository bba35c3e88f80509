// The composition root: builds every part from the configuration and wires adapters to the core.
// Tests call buildApp() and drive it with app.inject(); main.ts adds listening and signals.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from './config.ts';
import { AppError } from './core/errors.ts';
import { keyRingFromConfig, LOCAL_FALLBACK_SECRET, type KeyRing } from './core/crypto.ts';
import { createCustomerService } from './core/customers/customer-service.ts';
import { seedDemo, type DemoSeedResult } from './core/merchants/demo-seed.ts';
import { createMerchantService, type MerchantService } from './core/merchants/merchant-service.ts';
import { GATEWAY_IDS } from './core/gateways.ts';
import { createPriorityLogicRouter } from './core/priority-logic/priority-logic-router.ts';
import { createPriorityLogicService, type PriorityLogicService } from './core/priority-logic/priority-logic-service.ts';
import { createBacktestService, type BacktestService } from './core/backtest/backtest-service.ts';
import { createUserService, type UserService } from './core/priority-logic/user-service.ts';
import { createPaymentService, type MerchantDirectory, type PaymentService } from './core/payments/payment-service.ts';
import { createPaymentMethodsView, createSessionHandler } from './core/payments/payment-methods.ts';
import type { Connector } from './core/ports/connector.ts';
import type { GatewayRouter } from './core/ports/router.ts';
import { createConnectorExecutor, type ConnectorExecutor } from './connectors/executor.ts';
import { describeDefinition } from './connectors/kit/definition.ts';
import { CONNECTED_GATEWAYS, CONNECTOR_DEFINITIONS, connectorCapabilities, connectorDefinition, createConnectorRegistry, credentialProblems } from './connectors/registry.ts';
import { createHttpTransport, type GatewayTransportMetrics } from './connectors/kit/transport.ts';
import { buildSimulatorWebhookRequest } from './connectors/simulator/simulator-connector.ts';
import { SimulatorFleet } from './connectors/simulator/simulator-fleet.ts';
import { createSimulatorLedgerRepository } from './storage/simulator-ledger-repository.ts';
import { mayDo } from './core/analytics/dashboard-rights.ts';
import { adminRoutes } from './http/admin/admin-routes.ts';
import { gatewayStatusRoutes } from './http/admin/gateway-status-routes.ts';
import { jweRoutes, jwtKeyAdminRoutes } from './http/jwe/jwe-routes.ts';
import { createJwtKeyService } from './core/merchants/jwt-key-service.ts';
import { createJwtKeyRepository } from './storage/jwt-key-repository.ts';
import { createGatewayStatusTable } from './core/gateway-status/gateway-status-table.ts';
import { createGatewayStatusRepository } from './storage/gateway-status-repository.ts';
import { bearerMatches } from './http/auth/admin-auth.ts';
import { createMerchantAuth } from './http/auth/merchant-auth.ts';
import { customerRoutes } from './http/customers/customer-routes.ts';
import { errorBody, registerErrorHandling } from './http/errors/error-handler.ts';
import { registerRateLimits } from './http/rate-limits.ts';
import { registerInputGuard } from './http/input-guard.ts';
import { registerRouteSchemaAudit, type RouteSchemaProblem } from './http/route-schema-audit.ts';
import { Redis } from 'ioredis';
import { paymentRoutes } from './http/payments/payment-routes.ts';
import { webhookLogRoutes } from './http/webhooks/webhook-log-routes.ts';
import { createWebhookLog } from './core/webhooks/webhook-log.ts';
import { createWebhookLogStore } from './storage/outbox-repository.ts';
import { createActorAuth } from './http/auth/user-auth.ts';
import { sessionRoutes } from './http/auth/session-routes.ts';
import { registerDashboard } from './http/dashboard-static.ts';
import { createSessionService, type SessionService } from './core/sessions/session-service.ts';
import type { ScryptParams } from './core/password-hash.ts';
import { createSignInThrottle, type ThrottlePolicy } from './core/sessions/signin-throttle.ts';
import { createSignInThrottleRepository } from './storage/signin-throttle-repository.ts';
import { createRedisSignInThrottleStore } from './storage/redis-signin-throttle-store.ts';
import { createSessionStore } from './storage/session-repository.ts';
import { priorityLogicRoutes } from './http/priority-logic/priority-logic-routes.ts';
import { backtestRoutes } from './http/priority-logic/backtest-routes.ts';
import { riskRoutes } from './http/risk/risk-routes.ts';
import { riskInsightRoutes } from './http/risk/risk-insight-routes.ts';
import { createRiskInsightService } from './core/risk/risk-insight-service.ts';
import { createRiskInsightRepository } from './storage/risk-insight-repository.ts';
import { createRiskAdminService } from './core/risk/risk-admin-service.ts';
import { createRiskService } from './risk/risk-service.ts';
import { createRiskRepository } from './storage/risk-repository.ts';
import { createDbVelocityStore } from './storage/velocity-repository.ts';
import { RedisVelocityStore } from './storage/redis-velocity-store.ts';
import type { RiskProvider } from './risk/provider.ts';
import { createReferenceRiskProvider } from './connectors/risk-providers/reference-risk-provider.ts';
import { RiskWebhookSignatureError } from './risk/provider.ts';
import { userAdminRoutes } from './http/priority-logic/user-admin-routes.ts';
import { createRoutingEngine } from './routing/index.ts';
import { createEvaluatorPool, type EvaluatorPool } from './sandbox/evaluator-pool.ts';
import { ErrorBody, NoQuery } from './http/schemas.ts';
import { simulatorRoutes } from './http/simulator/simulator-routes.ts';
import { migrate, openDb, type Db } from './storage/db.ts';
import { createMerchantRepository } from './storage/merchant-repository.ts';
import { createPaymentStore } from './storage/payment-repository.ts';
import { createPriorityLogicStore } from './storage/priority-logic-repository.ts';
import { createBacktestStore } from './storage/backtest-repository.ts';
import { createStatusSyncWorker } from './workers/status-sync.ts';
import { createReviewExpiryWorker } from './workers/risk-review-expiry.ts';
import { createReleaseGuardWorker, type ReleaseGuardWorker } from './workers/release-guard.ts';
import { gatewayFeesFrom } from './core/scoring/fees.ts';
import { feeRuleOf } from './routing/scoring/index.ts';
import type { FeeRuleLookup } from './core/priority-logic/release-guard-service.ts';
import { InMemoryScoreStore, type ScoringConfig } from './routing/scoring/index.ts';
import { createScoreStoreFactory } from './core/scoring/ports.ts';
import { createRoutingIntelligence, type RoutingIntelligence } from './core/scoring/routing-intelligence.ts';
import { createDecideService } from './core/scoring/decide-service.ts';
import { connectRedis, RedisScoreStore } from './storage/redis-score-store.ts';
import { createRedisInvalidationBus, type InvalidationBus } from './storage/redis-invalidation-bus.ts';
import { createScheduledOutageRepository } from './storage/scheduled-outage-repository.ts';
import { routingIntelligenceRoutes } from './http/routing/routing-intelligence-routes.ts';
import { createDecisionEngineService, createMemoryDecisionContexts } from './core/decision-engine/decision-engine-service.ts';
import { decisionEngineRoutes } from './http/decision-engine/decision-engine-routes.ts';
import { createDecisionEngineStore } from './storage/decision-engine-repository.ts';
import { createRedisDecisionContexts } from './storage/redis-decision-contexts.ts';
import { createWebhookDeliveryWorker } from './workers/webhook-delivery.ts';
import { createAnalyticsService } from './core/analytics/analytics-service.ts';
import { createAnalyticsStore } from './storage/analytics-repository.ts';
import { createAnalyticsRollupWorker, type AnalyticsRollupWorker } from './workers/analytics-rollup.ts';
import { dashboardRoutes } from './http/dashboard/dashboard-routes.ts';
import { createMetrics, NOOP_METRICS, type Metrics, type MetricsRecorder } from './observability/metrics.ts';
import { createTracing, NOOP_TRACING, parseOtlpHeaders, type Tracing } from './observability/tracing.ts';
import { instrumentEvaluator, instrumentRouter, tracedConnector, tracedDb } from './observability/instrument.ts';
import { metricsHandler, registerRequestObservability, startMetricsServer } from './observability/fastify-hooks.ts';
import { readBacklog } from './storage/backlog-repository.ts';


export interface BuildOptions {
  /** An already open database (tests share one); otherwise opened from the config. */
  db?: Db;
  /** PostgreSQL schema when the database is opened here (tests isolate themselves). */
  schema?: string;
  /** Replaces the router behind the routing seam. */
  router?: GatewayRouter;
  simulatorSeed?: number;
  /** Start the webhook and status-sync workers (main.ts does; most tests drive them by hand). */
  startWorkers?: boolean;
  /** Gateway call deadline. */
  connectorTimeoutMs?: number;
  logger?: boolean | Record<string, unknown>;
  /** Overrides of the success-rate scoring configuration (tests compress time; the defaults are the benchmark's). */
  scoringConfig?: Partial<ScoringConfig>;
  /** Registers extra routes before the app is ready (benchmarks add a hello-world route beside the API). */
  configure?: (app: FastifyInstance) => void | Promise<void>;
  /** The dashboard analytics rollup worker's period and lag (defaults 15 s and 10 s). */
  analyticsRollup?: { intervalMs?: number; lagMs?: number };
  /** The risk review expiry worker's pace and clock (tests). */
  reviewExpiry?: { intervalMs?: number; now?: () => number };
  /** The release guard's look interval (default 30 s). */
  releaseGuard?: { intervalMs?: number };
  /** The sign-in throttle's policy and clock (tests use a fake clock and a key prefix for Redis). */
  signInThrottle?: { policy?: ThrottlePolicy; now?: () => number; redisPrefix?: string };
  /** External risk providers a merchant may name in its risk configuration (tests, the reference emulator). */
  riskProviders?: RiskProvider[];
  /** Redis key prefix of the rate limiter (tests keep theirs apart). */
  rateLimitNamespace?: string;
  /** Redis pub/sub channel of cache invalidation between instances (tests keep theirs apart). */
  invalidationChannel?: string;
  /** API origins of real gateways (tests point them at emulators); over config.connectors.baseUrls. */
  connectorBaseUrls?: Record<string, string>;
  /** scrypt cost of dashboard password hashes (tests lower it; the default is the production cost). */
  passwordHashParams?: ScryptParams;
}

export interface Junction {
  app: FastifyInstance;
  db: Db;
  config: Config;
  keyRing: KeyRing;
  merchants: MerchantService;
  payments: PaymentService;
  priorityLogic: PriorityLogicService;
  /** Backtests of a logic on past payments (jobs run in this process). */
  backtests: BacktestService;
  users: UserService;
  sessions: SessionService;
  /** Every merchant's simulated gateways (`simulator.forMerchant(id)`), ledger in the database. */
  simulator: SimulatorFleet;
  webhooks: ReturnType<typeof createWebhookDeliveryWorker>;
  statusSync: ReturnType<typeof createStatusSyncWorker>;
  /** Keeps the dashboard's hourly/daily analytics rollup current (runOnce/backfill for tests and benchmarks). */
  analyticsRollup: AnalyticsRollupWorker;
  /** Voids payments held for risk review past the merchant's review_expiry_hours. */
  reviewExpiry: ReturnType<typeof createReviewExpiryWorker>;
  /** Looks at every running guard of a staggered release and acts on its verdict. */
  releaseGuard: ReleaseGuardWorker;
  demo: DemoSeedResult | null;
  /** Success-rate scores, health, scheduled outages (in process, or in Redis with REDIS_URL). */
  scoring: RoutingIntelligence;
  /** The worker pool that runs merchant code (stats for tests, benchmarks and metrics). */
  sandbox: EvaluatorPool;
  /** Per-gateway HTTP metrics of the real connectors (calls, errors, timeouts, retries, latency buckets). */
  gatewayMetrics(): Record<string, GatewayTransportMetrics>;
  /** Routes that do not declare the params, query string or body they read (should be none). */
  routeSchemaProblems: RouteSchemaProblem[];
  /** The Prometheus registry, when metrics are exposed (METRICS_TOKEN or METRICS_PORT); null otherwise. */
  metrics: Metrics | null;
  /** The port of the separate metrics listener (METRICS_PORT), when there is one. */
  metricsPort: number | null;
  /** Traces (OTLP); a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: Tracing;
  /** Cache invalidation between instances over Redis pub/sub (null without REDIS_URL). */
  invalidation: InvalidationBus | null;
  close(): Promise<void>;
}

/** Errors Fastify raises before routing (a malformed URL): a 400 in the API's error shape. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_BAD_URL' ? 'the URL is malformed (bad percent-encoding)' : error.message;
  void reply.status(400).send(errorBody(new AppError('INVALID_INPUT', `Invalid request: ${message}`, { fields: [{ field_name: 'url', reason: message }] }), request.id));
}

/** Card data never reaches a log line, whatever shape the request takes. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'body.card_number', 'body.card_security_code', 'body.card_exp_month', 'body.card_exp_year',
  '*.card_number', '*.card_security_code', '*.cvv', '*.number', '*.credentials', '*.password', '*.apiKey', '*.api_key',
];

function executedConnector(connector: Connector, executor: ConnectorExecutor): Connector {
  return {
    name: connector.name,
    capabilities: connector.capabilities,
    authorize: async (account, request) => (await executor.authorize(connector, account, request)).outcome,
    completeAuthentication: async (account, id, params) => (await executor.completeAuthentication(connector, account, id, params)).outcome,
    syncStatus: async (account, id) => (await executor.syncStatus(connector, account, id)).outcome,
    capture: async (account, id, amount, currency, key) => (await executor.capture(connector, account, id, amount, currency, key)).outcome,
    void: async (account, id, key) => (await executor.void(connector, account, id, key)).outcome,
    refund: async (account, request) => (await executor.refund(connector, account, request)).outcome,
    parseWebhook: (account, request) => executor.parseWebhook(connector, account, request),
  };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Junction> {
  const ownsDb = !options.db;
  const rawDb = options.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.schema }));
  await migrate(rawDb);
  // Metrics are collected only when something can read them (a token or a port of their own);
  // traces only when there is an OTLP endpoint to send them to (docs/operations.md).
  const observability = config.observability;
  const metrics = observability && (observability.metricsToken || observability.metricsPort !== undefined) ? createMetrics({ merchantLabel: observability.merchantLabel }) : null;
  const recorder: MetricsRecorder = metrics ?? NOOP_METRICS;
  const tracing: Tracing = observability && (observability.otlpEndpoint || observability.otlpTracesEndpoint)
    ? createTracing({ endpoint: observability.otlpEndpoint ?? '', tracesEndpoint: observability.otlpTracesEndpoint, serviceName: observability.serviceName, headers: parseOtlpHeaders(observability.otlpHeaders), sampleRatio: observability.traceSampleRatio })
    : NOOP_TRACING;
  const db = tracedDb(rawDb, tracing);
  const keyRing = keyRingFromConfig(config.masterKeys, LOCAL_FALLBACK_SECRET);

  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
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
  }) as unknown as FastifyInstance;
  const log = app.log;

  // With Redis, a change made here is published so that every other instance drops its cached copy
  // of the merchant's state at once (the caches' lifetimes, 2 to 5 s, remain the bound without it).
  let invalidation: InvalidationBus | null = null;
  const publishChange = (what: string) => (merchantId: string) => invalidation?.publish({ merchantId, what });
  const merchants = createMerchantService({ store: createMerchantRepository(db), keyRing, connectedGateways: CONNECTED_GATEWAYS, credentialProblems, connectorCapabilities, onChange: publishChange('merchant') });
  const store = createPaymentStore(db);
  const executor = createConnectorExecutor({
    timeoutMs: options.connectorTimeoutMs ?? 15_000,
    log: (event) => {
      log.debug({ connector: event }, 'gateway call');
      recorder.connectorCall(event);
    },
  });

  // Simulated gateways announce settled payments by POSTing a signed webhook to our own endpoint, as a real gateway would.
  // One simulator per merchant (its own profiles, outages and ledger); the ledger is in the database.
  let simulatorWebhookTarget = config.publicBaseUrl;
  const simulator = new SimulatorFleet({
    seed: options.simulatorSeed,
    ledger: createSimulatorLedgerRepository(db),
    notify: async (gateway, payload) => {
      const account = await merchants.connectorAccount(payload.merchant_id, payload.account_id);
      const { headers, rawBody } = buildSimulatorWebhookRequest(payload, account.credentials.webhook_secret ?? '');
      const path = `/webhooks/gateways/${gateway}/${payload.merchant_id}/${payload.account_id}`;
      if (listening) {
        await fetch(`${simulatorWebhookTarget}${path}`, { method: 'POST', headers, body: rawBody });
      } else {
        await app.inject({ method: 'POST', url: path, headers, payload: rawBody });
      }
    },
    onNotifyError: (error) => log.warn({ err: error }, 'simulator webhook delivery failed'),
  });
  let listening = false;
  // DEMO_CONNECTORS=emulators: the real connectors' emulators run in this process for the demo.
  // Loaded only then: the emulators read their contracts from development dependencies (the official SDKs).
  const demoEmulators = config.connectors?.demo === 'emulators' ? await (await import('../emulators/demo.ts')).startDemoEmulators() : null;
  // The one HTTP client of every real connector: pooled connections, deadlines, safe retries, redacted logs.
  const transport = createHttpTransport({
    deadlineMs: options.connectorTimeoutMs ?? 15_000,
    log: (event) => {
      log.debug({ gatewayCall: event }, 'gateway http call');
      recorder.gatewayHttpCall(event);
    },
  });
  const registry = createConnectorRegistry({ simulator, publicBaseUrl: config.publicBaseUrl, transport, baseUrls: { ...(demoEmulators?.baseUrls ?? {}), ...(config.connectors?.baseUrls ?? {}), ...(options.connectorBaseUrls ?? {}) } });
  const connectors = new Map(registry.names().map((name) => [name, tracedConnector(executedConnector(registry.get(name)!, executor), tracing)]));

  const gatewayStatus = createGatewayStatusTable({
    shipped: (gateway) => registry.get(gateway)?.statusTable,
    unlisted: (gateway, rawCode) => registry.get(gateway)?.classifyUnlisted?.(rawCode),
    store: createGatewayStatusRepository(db),
  });

  const directory: MerchantDirectory = {
    routingCandidates: async (merchantId) => [...(await merchants.routingCandidates(merchantId))],
    connectorAccount: (merchantId, accountId) => merchants.connectorAccount(merchantId, accountId),
    webhookTarget: async (merchantId) => {
      const secrets = await merchants.getMerchantSecrets(merchantId);
      return { url: secrets.webhook.url, version: secrets.webhook.version };
    },
    responseKey: async (merchantId) => (await merchants.getMerchantSecrets(merchantId)).responseKey,
    routingSettings: (merchantId) => merchants.getRoutingSettings(merchantId),
  };

  // Priority Logic: the engine behind the routing seam; code-based logics run in a pool of worker
  // threads (QuickJS in each), never on this event loop, with a fair share per merchant.
  const codeEvaluator = createEvaluatorPool(config.sandbox);
  const engine = createRoutingEngine({ codeEvaluator: instrumentEvaluator(codeEvaluator, recorder), knownGateways: Object.keys(GATEWAY_IDS) });
  const priorityLogicStore = createPriorityLogicStore(db);
  // Routing intelligence: scores per merchant in process, or in Redis (one view for every instance) with REDIS_URL.
  const redis = config.redisUrl ? connectRedis(config.redisUrl) : null;
  const scoreStores = redis
    ? createScoreStoreFactory((merchantId) => new RedisScoreStore(redis, { prefix: `junction:sr:${merchantId}:` }), async () => {
        await Promise.allSettled([redis.reads.quit(), redis.writes.quit()]);
      })
    : createScoreStoreFactory(() => new InMemoryScoreStore());
  const scoring = createRoutingIntelligence({
    stores: scoreStores,
    settings: (merchantId) => merchants.getRoutingSettings(merchantId),
    // Read once per merchant per context lifetime (2 s), with the settings and the scheduled outages.
    accounts: async (merchantId) => (await merchants.listGatewayAccounts(merchantId)).map((a) => ({ accountId: a.id, gateway: a.gateway, enabled: a.enabled, fees: { ...a.fees } })),
    outages: createScheduledOutageRepository(db),
    classifyFailure: (gateway, rawCode) => gatewayStatus.classify(gateway, rawCode),
    ...(options.scoringConfig ? { config: options.scoringConfig } : {}),
    onChange: publishChange('routing'),
    log: (message, fields) => log.warn(fields, message),
  });
  const priorityLogicRouter = createPriorityLogicRouter({ store: priorityLogicStore, engine, ranker: scoring });
  // The release guard's cost metric: the fee rule of each gateway account (its `fees`).
  const feeRule: FeeRuleLookup = async (merchantId) => {
    const fees = new Map((await merchants.listGatewayAccounts(merchantId)).map((a) => [a.id, gatewayFeesFrom(a.fees)]));
    return (group) => {
      const f = group.accountId ? fees.get(group.accountId) : null;
      return f ? feeRuleOf(f, { cardBrand: group.cardBrand || null, paymentMethod: group.paymentMethod, paymentMethodType: group.paymentMethodType }) : null;
    };
  };
  const priorityLogic = createPriorityLogicService({
    store: priorityLogicStore, engine, codeEvaluator, feeRule,
    webhookTarget: directory.webhookTarget,
    gatewayAccounts: (merchantId) => merchants.routingCandidates(merchantId),
    onChange: (merchantId) => {
      priorityLogicRouter.invalidate(merchantId);
      publishChange('priority-logic')(merchantId);
    },
  });
  const backtests = createBacktestService({
    store: createBacktestStore(db), logics: priorityLogicStore, engine,
    gatewayAccounts: (merchantId) => merchants.routingCandidates(merchantId),
    feeAccounts: async (merchantId) => (await merchants.listGatewayAccounts(merchantId)).map((a) => ({ accountId: a.id, gateway: a.gateway, fees: { ...a.fees } })),
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  const users = createUserService({ store: priorityLogicStore, merchantExists: async (merchantId) => (await merchants.findMerchant(merchantId)) !== null });
  const dashboardConfig = config.dashboard ?? { sessionTtlHours: 12, cookieSecure: Boolean(config.tlsCertFile), staticDir: 'dist/dashboard' };
  const sessionTtlMs = dashboardConfig.sessionTtlHours * 3_600_000;
  // Sign-in attempts are counted in Redis when there is one (every instance sees them), else in the database.
  const throttleOptions = options.signInThrottle ?? {};
  const redisThrottleStore = config.redisUrl
    ? createRedisSignInThrottleStore(config.redisUrl, throttleOptions.redisPrefix ? { prefix: throttleOptions.redisPrefix } : {})
    : null;
  const throttleStore = redisThrottleStore ?? createSignInThrottleRepository(db);
  const throttle = createSignInThrottle(throttleStore, {
    ...(throttleOptions.policy ? { policy: throttleOptions.policy } : {}),
    ...(throttleOptions.now ? { now: throttleOptions.now } : {}),
  });
  const sessions = createSessionService({ store: createSessionStore(db), ttlMs: sessionTtlMs, throttle, ...(options.passwordHashParams ? { passwordHashParams: options.passwordHashParams } : {}), onChange: () => publishChange('sessions')('') });
  // Set once the risk service exists (a message may arrive before): another instance's risk change.
  let invalidateRisk: (merchantId: string) => void = () => undefined;
  if (config.redisUrl) {
    invalidation = createRedisInvalidationBus(config.redisUrl, {
      ...(options.invalidationChannel ? { channel: options.invalidationChannel } : {}),
      onMessage: ({ merchantId, what }) => {
        if (what === 'sessions') return sessions.invalidateCaches();
        if (what === 'risk') return invalidateRisk(merchantId);
        merchants.invalidateCaches(merchantId);
        priorityLogicRouter.invalidate(merchantId);
        scoring.invalidate(merchantId);
      },
      log: (message, fields) => log.warn(fields, message),
    });
    // Subscribed before serving, but a Redis that is down does not hold the start for long: the
    // subscription follows when Redis is back, and the caches' lifetimes bound staleness meanwhile.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([invalidation.ready().catch(() => undefined), new Promise<void>((resolve) => { waited = setTimeout(resolve, 2_000); })]);
    clearTimeout(waited);
  }

  // Merchants with a settled payment since start: whose gateway health the metrics endpoint reads.
  const merchantsSeen = new Set<string>();
  const paymentRouter = options.router ?? priorityLogicRouter;
  // Risk checks (issue 14): counters in Redis when REDIS_URL is set, else in the database.
  const riskRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2_000 }) : null;
  const riskStore = createRiskRepository(db);
  const riskProviders = new Map([
    ...(config.riskReference ? [createReferenceRiskProvider({ baseUrl: config.riskReference.url, apiKey: config.riskReference.apiKey, ...(config.riskReference.webhookSecret ? { webhookSecret: config.riskReference.webhookSecret } : {}) })] : []),
    ...(options.riskProviders ?? []),
  ].map((p) => [p.id, p]));
  const risk = createRiskService({
    setup: riskStore, velocity: riskRedis ? new RedisVelocityStore(riskRedis) : createDbVelocityStore(db),
    providers: riskProviders,
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  const payments = createPaymentService({
    store, merchants: directory, connectors: { get: (name) => connectors.get(name) },
    risk, supportsManualCapture: (gateway) => connectorCapabilities(gateway)?.captureModes.includes('MANUAL') ?? false,
    refundResendWindowMs: (gateway) => {
      const hours = connectorCapabilities(gateway)?.refundIdempotencyHours;
      return hours ? (hours * 3_600_000) / 2 : null;
    },
    router: metrics || tracing.enabled ? instrumentRouter(paymentRouter, recorder, tracing) : paymentRouter,
    keyRing, publicBaseUrl: config.publicBaseUrl,
    classifyFailure: (gateway, rawCode) => gatewayStatus.classify(gateway, rawCode),
    onOutcome: (txn) => {
      scoring.onTxnSettled(txn);
      if (!metrics) return;
      metrics.paymentOutcome({ merchantId: txn.merchantId, gateway: txn.gateway, paymentMethodType: txn.paymentMethodType, status: txn.status, unifiedError: txn.errorCode });
      if (!merchantsSeen.has(txn.merchantId) && merchantsSeen.size < 1_000) merchantsSeen.add(txn.merchantId);
    },
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  const decideService = createDecideService({
    candidates: (merchantId) => merchants.routingCandidates(merchantId),
    decide: (request, options) => priorityLogicRouter.decide(request, options),
    intelligence: scoring,
    classifyFailure: (gateway, rawCode) => gatewayStatus.classify(gateway, rawCode),
  });
  const customers = createCustomerService(store);
  const paymentMethods = createPaymentMethodsView(directory);
  const createSession = createSessionHandler(payments, config.publicBaseUrl);

  const webhooks = createWebhookDeliveryWorker({
    db,
    loadMerchantWebhookConfig: async (merchantId) => {
      const secrets = await merchants.getMerchantSecrets(merchantId);
      return { username: secrets.webhook.username, password: secrets.webhook.password, hmacKey: secrets.webhook.hmacKey, customHeaders: secrets.webhook.customHeaders };
    },
    log: { info: (d, m) => log.info(d, m), warn: (d, m) => log.warn(d, m), error: (d, m) => log.error(d, m) },
    onDelivery: (result, lagMs) => recorder.webhookDelivery(result.outcome, lagMs === null ? null : lagMs / 1000),
  });
  const refundResendGateways = CONNECTOR_DEFINITIONS.filter((d) => d.capabilities.refundIdempotencyHours).map((d) => d.gateway as string);
  const statusSync = createStatusSyncWorker({
    listUnsettled: (olderThan, limit) => store.listUnsettledTxns(olderThan, limit),
    syncTxn: (id) => payments.syncTxn(id),
    // Only refunds the sync may ask again: on a gateway that keeps refund idempotency keys, within half that time.
    claimPendingRefunds: (olderThan, limit) => store.claimPendingRefunds(olderThan, limit, {
      gateways: refundResendGateways,
      createdAfter: new Date(Date.now() - Math.max(0, ...CONNECTOR_DEFINITIONS.map((d) => d.capabilities.refundIdempotencyHours ?? 0)) * 1_800_000),
    }),
    syncRefund: (id) => payments.syncRefund(id),
    log: (message, fields) => log.warn(fields, message),
  });
  // Dashboard analytics: closed hours from the rollup the worker keeps, the open hour live.
  const analyticsStore = createAnalyticsStore(db);
  const analytics = createAnalyticsService({ store: analyticsStore, payments: store });
  const releaseGuard = createReleaseGuardWorker({
    store: priorityLogicStore, feeRule, act: (guard, evidence, action) => priorityLogic.guardAct(guard, evidence, action),
    ...options.releaseGuard,
    log: (message, fields) => log.warn(fields, message),
  });
  const analyticsRollup = createAnalyticsRollupWorker({
    rollup: (rollupOptions) => analyticsStore.rollup(rollupOptions),
    ...options.analyticsRollup,
    log: (message, fields) => log.warn(fields, message),
  });

  // --- HTTP ---
  registerRequestObservability(app, { metrics: recorder, tracing });
  registerErrorHandling(app);
  registerInputGuard(app);
  const routeSchemas = registerRouteSchemaAudit(app);
  // Rate limits before any route: Redis (one budget for every instance) when REDIS_URL is set.
  const rateLimitRedis = config.redisUrl && config.rateLimits.enabled ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 }) : null;
  await registerRateLimits(app, config.rateLimits, { adminApiKey: config.adminApiKey, redis: rateLimitRedis, ...(options.rateLimitNamespace ? { nameSpace: options.rateLimitNamespace } : {}) });
  app.addSchema(ErrorBody);
  await app.register(formbody);
  // Keep the raw JSON text: gateway webhook signatures are computed over it.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    (request as FastifyRequest & { rawBody?: string }).rawBody = text as string;
    if ((text as string).trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(new AppError('INVALID_INPUT', 'Request body is not valid JSON', { fields: [{ field_name: 'body', reason: 'is not valid JSON' }] }), undefined);
    }
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Junction API', version: '0.1.0', description: 'Payment orchestration with a Juspay Express Checkout compatible merchant API. Authenticate with HTTP Basic: the API key is the username, the password is empty.' },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'API key as the username, empty password' },
          adminBearer: { type: 'http', scheme: 'bearer', description: 'JUNCTION_ADMIN_KEY' },
          userBearer: { type: 'http', scheme: 'bearer', description: 'A dashboard user token (Priority Logic API)' },
        },
      },
      security: [{ basicAuth: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  metrics?.setSources({
    gatewayHealth: async () => {
      const samples = await Promise.all([...merchantsSeen].map(async (merchantId) => (await scoring.health(merchantId, null)).gateways.map((g) => ({ merchantId, gateway: g.gateway, health: g.health, mean: g.mean, observations: g.observations }))));
      return samples.flat();
    },
    backlog: () => readBacklog(rawDb),
    dbPool: () => {
      const stats = rawDb.poolStats?.();
      return stats ? { engine: rawDb.engine, ...stats } : null;
    },
    sandbox: () => codeEvaluator.stats(),
  });
  // /metrics on this port only with a token; with METRICS_PORT it has a listener of its own.
  if (metrics && observability?.metricsToken && observability.metricsPort === undefined) {
    app.get('/metrics', { schema: { hide: true, querystring: NoQuery } }, metricsHandler(metrics, observability.metricsToken));
  }

  let ready = false;
  app.get('/health', { schema: { querystring: NoQuery, tags: ['health'], summary: 'Answers 200 once the service can serve' } }, async (_request, reply) => {
    if (!ready) return reply.status(503).send({ status: 'starting' });
    await db.query('SELECT 1');
    // `message` is what a Juspay decision engine client reads of /health (docs/decision-engine-compat.md).
    return { status: 'UP', database: db.engine, message: 'Health is good' };
  });

  const auth = createMerchantAuth(async (key) => {
    const found = await merchants.authenticate(key);
    return found ? { merchantId: found.merchantId, keyId: found.keyId } : null;
  });
  await app.register(paymentRoutes({ payments, auth }));
  const webhookLog = createWebhookLog({ store: createWebhookLogStore(db), orderExists: async (merchantId, orderId) => (await store.getOrder(merchantId, orderId)) !== null });
  await app.register(webhookLogRoutes({ webhookLog, auth }));
  await app.register(customerRoutes({ customers, auth, paymentMethods, createSession }));
  await app.register(adminRoutes({ merchants, adminApiKey: config.adminApiKey, connectors: () => CONNECTOR_DEFINITIONS.map(describeDefinition), gatewayMetrics: () => transport.metrics() }), { prefix: '/admin/v1' });
  await app.register(userAdminRoutes({ users, sessions, adminApiKey: config.adminApiKey }), { prefix: '/admin/v1' });
  const actorOf = createActorAuth({ users: (token) => users.authenticate(token), merchantAuth: auth, sessions: (token) => sessions.authenticate(token) });
  await app.register(sessionRoutes({ sessions, ttlMs: sessionTtlMs, cookieSecure: dashboardConfig.cookieSecure || Boolean(config.tlsCertFile) }));
  await registerDashboard(app, dashboardConfig.staticDir);
  await app.register(priorityLogicRoutes({ service: priorityLogic, actorOf }));
  await app.register(backtestRoutes({ service: backtests, actorOf }));
  invalidateRisk = (merchantId) => risk.invalidate(merchantId);
  const riskAdmin = createRiskAdminService({
    store: riskStore,
    // A change made here drops this instance's compiled setup and tells the others at once (their
    // version check bounds it to 5 s without Redis).
    risk: { dryRun: risk.dryRun, invalidate: (merchantId) => { risk.invalidate(merchantId); publishChange('risk')(merchantId); } },
    capture: (merchantId, txnUuid) => payments.capture(merchantId, txnUuid, {}),
    voidTxn: (merchantId, txnUuid) => payments.voidTxn(merchantId, txnUuid, {}),
    reviewEvent: (merchantId, txnUuid, eventName) => payments.emitReviewEvent(merchantId, txnUuid, eventName),
  });
  const reviewExpiry = createReviewExpiryWorker({
    claimExpired: (at, limit, leaseMs) => riskStore.claimExpiredReviews(at, limit, leaseMs),
    voidTxn: async (merchantId, txnUuid) => String((await payments.voidTxn(merchantId, txnUuid, { idempotence_key: `risk_expire_${txnUuid}` })).status ?? ''),
    finish: (merchantId, txnUuid, review) => riskStore.finishExpiredReview(merchantId, txnUuid, review),
    notify: (merchantId, txnUuid) => payments.emitReviewEvent(merchantId, txnUuid, 'TXN_REVIEW_EXPIRED'),
    ...options.reviewExpiry,
    log: (message, fields) => log.warn(fields, message),
  });
  await app.register(riskRoutes({
    service: riskAdmin, actorOf,
    async providerWebhook(providerId, headers, rawBody) {
      const provider = riskProviders.get(providerId);
      if (!provider?.parseWebhook) throw new AppError('RESOURCE_NOT_FOUND', `No risk provider ${providerId} takes webhooks here`, { fields: [{ field_name: 'provider', reason: 'not a configured risk provider with webhooks' }] });
      let parsed: ReturnType<NonNullable<typeof provider.parseWebhook>>;
      try {
        parsed = provider.parseWebhook(headers, rawBody);
      } catch (error) {
        if (error instanceof RiskWebhookSignatureError) throw new AppError('INVALID_INPUT', 'Webhook signature does not match', { fields: [{ field_name: 'x-risk-signature', reason: error.message }] });
        throw new AppError('INVALID_INPUT', `Webhook body not understood: ${error instanceof Error ? error.message : 'bad body'}`, { fields: [{ field_name: 'body', reason: 'is not a webhook of this provider' }] });
      }
      if (!parsed) return { received: true, handled: false };
      // Only a merchant that runs this provider lets it change its payments.
      const merchantConfig = await riskStore.getConfig(parsed.merchantId);
      if (merchantConfig?.provider !== providerId) return { received: true, handled: false };
      return { received: true, ...(await payments.applyRiskVerdict(parsed.merchantId, parsed.orderId, providerId, parsed.verdict)) };
    },
  }));
  await app.register(riskInsightRoutes({ insights: createRiskInsightService({ store: createRiskInsightRepository(db) }), actorOf }));
  await app.register(routingIntelligenceRoutes({ intelligence: scoring, decide: decideService, merchants, actorOf, auth }));
  // Juspay decision engine's API, on Junction's routing (issue 19).
  const decisionEngine = createDecisionEngineService({
    store: createDecisionEngineStore(db),
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
  await app.register(decisionEngineRoutes({
    service: decisionEngine, adminApiKey: config.adminApiKey, withHealth: enginePrefix !== '',
    merchantOfKey: async (key) => {
      const found = await merchants.authenticate(key);
      return found ? { merchantId: found.merchantId, keyId: found.keyId } : null;
    },
    actorOfBearer: (request) => actorOf(request),
    ready: async () => ready,
  }), { prefix: enginePrefix });
  await app.register(dashboardRoutes({ actorOf, analytics, payments, merchants, webhookLog, intelligence: scoring, simulator, connectorOf: (gateway) => {
    const definition = connectorDefinition(gateway);
    return definition ? describeDefinition(definition) : undefined;
  }, log: (message, fields) => log.info(fields, message) }));
  await app.register(gatewayStatusRoutes({ table: gatewayStatus, adminApiKey: config.adminApiKey }), { prefix: '/admin/v1' });
  const jwtKeys = createJwtKeyService({ store: createJwtKeyRepository(db), keyRing, merchantExists: async (id) => (await merchants.findMerchant(id)) !== null });
  await app.register(jwtKeyAdminRoutes({ keys: jwtKeys, adminApiKey: config.adminApiKey }), { prefix: '/admin/v1' });
  await app.register(jweRoutes({ payments, createSession, keys: jwtKeys }));
  await app.register(simulatorRoutes({
    simulators: simulator,
    // The admin key reaches every merchant's simulator; anyone else (API key, dashboard session
    // or user token) only their own merchant's, changing it only with a role that may inject outages.
    callerOf: async (request) => {
      if (config.adminApiKey && bearerMatches(request, config.adminApiKey)) return { kind: 'ADMIN' };
      const actor = await actorOf(request);
      return { kind: 'MERCHANT', merchantId: actor.merchantId, mayChange: mayDo(actor, 'inject_outage') };
    },
    merchantExists: async (merchantId) => (await merchants.findMerchant(merchantId)) !== null,
  }));

  let demo: DemoSeedResult | null = null;
  if (config.demo.enabled) {
    demo = await seedDemo(merchants, { merchantId: config.demo.merchantId, apiKey: config.demo.apiKey });
    if (demo.created && config.demo.intelligentRouting) {
      // Show the product at its best on a laptop: ranking on, and up to three gateways per payment.
      await merchants.updateRoutingSettings(demo.merchantId, { max_attempts: 3, ranking_mode: 'WITHIN_LOGIC' });
    }
    if (demoEmulators) demo.emulatedGateways = await demoEmulators.addAccounts(merchants, demo.merchantId, config.publicBaseUrl);
    // Demo dashboard users (fixed tokens from DEMO_*_TOKEN when set).
    demo.users = await users.seedDemoUsers(demo.merchantId, {
      admin: config.demo.userTokens.admin, editor: config.demo.userTokens.editor, approver: config.demo.userTokens.approver, viewer: config.demo.userTokens.viewer,
    });
    // Dashboard sign-in for the demo users (one shared password, printed when it is set).
    if (config.demo.userPasswords || config.demo.userPassword !== undefined) {
      demo.userPassword = await sessions.seedDemoPasswords(demo.merchantId, demo.users.map((u) => u.email), config.demo.userPassword);
    }
  }

  app.addHook('onListen', async () => {
    listening = true;
    const address = app.server.address();
    if (address && typeof address === 'object') {
      const scheme = config.tlsCertFile ? 'https' : 'http';
      simulatorWebhookTarget = `${scheme}://127.0.0.1:${address.port}`;
    }
  });
  if (options.configure) await options.configure(app);
  if (options.startWorkers) {
    webhooks.start();
    statusSync.start();
    analyticsRollup.start();
    reviewExpiry.start();
    releaseGuard.start();
  }
  await app.ready();
  const metricsServer = metrics && observability?.metricsPort !== undefined
    ? await startMetricsServer({ metrics, port: observability.metricsPort, host: observability.metricsHost, token: observability.metricsToken })
    : null;
  ready = true;

  let closed = false;
  return {
    app, db, config, keyRing, merchants, payments, priorityLogic, backtests, users, sessions, simulator, webhooks, statusSync, analyticsRollup, reviewExpiry, releaseGuard, demo, scoring,
    sandbox: codeEvaluator,
    routeSchemaProblems: routeSchemas.problems(),
    gatewayMetrics: () => transport.metrics(),
    metrics,
    metricsPort: metricsServer?.port ?? null,
    tracing,
    invalidation,
    async close() {
      if (closed) return;
      closed = true;
      ready = false;
      // Drains in-flight requests. A keep-alive connection that turns idle once its last response
      // is sent would otherwise hold close() until its keep-alive timeout (72 s in Fastify): close
      // idle connections as they appear, and tell clients not to reuse the connection.
      const idleSweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(idleSweep);
      }
      await metricsServer?.close();
      await Promise.all([webhooks.stop(), statusSync.stop(), analyticsRollup.stop(), reviewExpiry.stop(), releaseGuard.stop()]);
      await simulator.close();
      await transport.close();
      await demoEmulators?.close();
      await backtests.close();
      priorityLogicRouter.close();
      await codeEvaluator.close();
      await redisThrottleStore?.close();
      await invalidation?.close();
      if (rateLimitRedis) await rateLimitRedis.quit().catch(() => undefined);
      if (riskRedis) await riskRedis.quit().catch(() => undefined);
      await scoring.close(); // closes the Redis connections
      await tracing.shutdown(); // sends the spans still batched
      if (ownsDb) await rawDb.close();
    },
  };
}
