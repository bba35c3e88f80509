// The composition root: builds every part from the configuration and wires adapters to the core.
// Tests call buildApp() and drive it with app.inject(); main.ts adds listening and signals.
// The wiring of each concern is in src/composition/ (the only other place adapters meet).
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { keyRingFromConfig, LOCAL_FALLBACK_SECRET, type KeyRing } from './core/crypto.ts';
import { createAnalyticsService } from './core/analytics/analytics-service.ts';
import { createGatewayStatusTable } from './core/gateway-status/gateway-status-table.ts';
import type { DemoSeedResult } from './core/merchants/demo-seed.ts';
import { createMerchantService, type MerchantService } from './core/merchants/merchant-service.ts';
import type { PaymentService } from './core/payments/payment-service.ts';
import type { PriorityLogicService } from './core/priority-logic/priority-logic-service.ts';
import type { BacktestService } from './core/backtest/backtest-service.ts';
import { createUserService, type UserService } from './core/priority-logic/user-service.ts';
import type { GatewayRouter } from './core/ports/router.ts';
import type { ScryptParams } from './core/password-hash.ts';
import type { RoutingIntelligence } from './core/routing-intelligence/routing-intelligence.ts';
import type { SessionService } from './core/sessions/session-service.ts';
import type { ThrottlePolicy } from './core/sessions/signin-throttle.ts';
import type { GatewayTransportMetrics } from './connectors/kit/transport.ts';
import { CONNECTED_GATEWAYS, connectorCapabilities, credentialProblems } from './connectors/registry.ts';
import type { SimulatorFleet } from './connectors/simulator/simulator-fleet.ts';
import { registerHealthRoute } from './http/health-routes.ts';
import { createFastifyInstance } from './http/fastify-instance.ts';
import type { RouteSchemaProblem } from './http/route-schema-audit.ts';
import { tracedDb } from './observability/instrument.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Tracing } from './observability/tracing.ts';
import type { RiskProvider } from './risk/provider.ts';
import type { ScoringConfig } from './routing/scoring/index.ts';
import type { EvaluatorPool } from './sandbox/evaluator-pool.ts';
import { createAnalyticsStore } from './storage/analytics-repository.ts';
import { migrate, openDb, type Db } from './storage/db.ts';
import { createGatewayStatusRepository } from './storage/gateway-status-repository.ts';
import { createMerchantRepository } from './storage/merchant-repository.ts';
import { createPaymentStore } from './storage/payment-repository.ts';
import type { InvalidationBus } from './storage/redis-invalidation-bus.ts';
import type { AnalyticsRollupWorker } from './workers/analytics-rollup.ts';
import type { ReleaseGuardWorker } from './workers/release-guard.ts';
import type { createReviewExpiryWorker } from './workers/risk-review-expiry.ts';
import type { createStatusSyncWorker } from './workers/status-sync.ts';
import type { createWebhookDeliveryWorker } from './workers/webhook-delivery.ts';
import { wireConnectors } from './composition/connectors.ts';
import { seedDemoData } from './composition/demo.ts';
import { registerHttpPlumbing } from './composition/http-plumbing.ts';
import { createChangeFanout, listenForChanges } from './composition/invalidation.ts';
import { createObservability, exposeMetrics, metricsSources, startMetricsListener } from './composition/observability.ts';
import { merchantDirectory, wirePayments } from './composition/payments.ts';
import { wireRisk } from './composition/risk.ts';
import { registerRoutes } from './composition/routes.ts';
import { wireRouting } from './composition/routing.ts';
import { wireSessions } from './composition/sessions.ts';
import { createAppSimulator } from './composition/simulator.ts';
import { createWorkers, startWorkers, stopWorkers, type Workers } from './composition/workers.ts';

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

/** Stops the workers and closes every connection and pool the app opened, in dependency order. */
async function closeParts(p: {
  workers: Workers;
  simulator: SimulatorFleet;
  transport: { close(): Promise<void> };
  demoEmulators: { close(): Promise<void> } | null;
  backtests: BacktestService;
  priorityLogicRouter: { close(): void };
  codeEvaluator: EvaluatorPool;
  redisThrottleStore: { close(): Promise<void> } | null;
  invalidation: InvalidationBus | null;
  rateLimitRedis: { quit(): Promise<unknown> } | null;
  riskRedis: { quit(): Promise<unknown> } | null;
  scoring: RoutingIntelligence;
  tracing: Tracing;
}): Promise<void> {
  await stopWorkers(p.workers);
  await p.simulator.close();
  await p.transport.close();
  await p.demoEmulators?.close();
  await p.backtests.close();
  p.priorityLogicRouter.close();
  await p.codeEvaluator.close();
  await p.redisThrottleStore?.close();
  await p.invalidation?.close();
  if (p.rateLimitRedis) await p.rateLimitRedis.quit().catch(() => undefined);
  if (p.riskRedis) await p.riskRedis.quit().catch(() => undefined);
  await p.scoring.close(); // closes the Redis connections
  await p.tracing.shutdown(); // sends the spans still batched
}

/** Everything the service is made of before its HTTP routes: storage, connectors, routing, sessions, risk, payments, workers. */
async function wireServices(config: Config, options: BuildOptions) {
  const ownsDb = !options.db;
  const rawDb = options.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.schema }));
  await migrate(rawDb);
  const { metrics, recorder, tracing } = createObservability(config);
  const db = tracedDb(rawDb, tracing);
  const keyRing = keyRingFromConfig(config.masterKeys, LOCAL_FALLBACK_SECRET);
  const app = createFastifyInstance(config, options.logger);
  const log = app.log;

  // With Redis, a change made here is published so that every other instance drops its cached copy
  // of the merchant's state at once (the caches' lifetimes, 2 to 5 s, remain the bound without it).
  const fanout = createChangeFanout();
  const { publishChange } = fanout;
  const merchants = createMerchantService({
    store: createMerchantRepository(db),
    keyRing,
    connectedGateways: CONNECTED_GATEWAYS,
    credentialProblems,
    connectorCapabilities,
    onChange: publishChange('merchant'),
  });
  const store = createPaymentStore(db);
  const simulator = createAppSimulator({ app, config, db, merchants, seed: options.simulatorSeed, log });
  // DEMO_CONNECTORS=emulators: the real connectors' emulators run in this process for the demo.
  // Loaded only then: the emulators read their contracts from development dependencies (the official SDKs).
  // (The import stays here: the server build keeps its path as written, relative to src/.)
  const demoEmulators = config.connectors?.demo === 'emulators' ? await (await import('../emulators/demo.ts')).startDemoEmulators() : null;
  const baseUrls = { ...(demoEmulators?.baseUrls ?? {}), ...(config.connectors?.baseUrls ?? {}), ...(options.connectorBaseUrls ?? {}) };
  const { connectors, registry, transport } = wireConnectors({ config, simulator, timeoutMs: options.connectorTimeoutMs, recorder, tracing, log, baseUrls });
  const gatewayStatus = createGatewayStatusTable({
    shipped: (gateway) => registry.get(gateway)?.statusTable,
    unlisted: (gateway, rawCode) => registry.get(gateway)?.classifyUnlisted?.(rawCode),
    store: createGatewayStatusRepository(db),
  });
  const directory = merchantDirectory(merchants);
  const routing = wireRouting({ config, db, merchants, directory, gatewayStatus, scoringConfig: options.scoringConfig, recorder, publishChange, log });
  const { scoring, priorityLogicRouter } = routing;
  const users = createUserService({ store: routing.priorityLogicStore, merchantExists: async (merchantId) => (await merchants.findMerchant(merchantId)) !== null });
  const sessionParts = wireSessions({ config, db, signInThrottle: options.signInThrottle, passwordHashParams: options.passwordHashParams, onChange: () => publishChange('sessions')('') });
  const { sessions } = sessionParts;
  // Set once the risk service exists (a message may arrive before): another instance's risk change.
  let invalidateRisk: (merchantId: string) => void = () => undefined;
  await listenForChanges(fanout, config, options, log, { sessions, merchants, priorityLogicRouter, scoring, risk: (merchantId) => invalidateRisk(merchantId) });

  // Merchants with a settled payment since start: whose gateway health the metrics endpoint reads.
  const merchantsSeen = new Set<string>();
  const riskParts = wireRisk(config, db, options.riskProviders, log);
  invalidateRisk = (merchantId) => riskParts.risk.invalidate(merchantId);
  const router = options.router ?? priorityLogicRouter;
  const paymentParts = wirePayments({ config, keyRing, store, directory, connectors, router, risk: riskParts.risk, scoring, gatewayStatus, metrics, recorder, tracing, merchantsSeen, log });
  // Dashboard analytics: closed hours from the rollup the worker keeps, the open hour live.
  const analyticsStore = createAnalyticsStore(db);
  const analytics = createAnalyticsService({ store: analyticsStore, payments: store });
  const workers = createWorkers({
    db,
    merchants,
    payments: paymentParts.payments,
    store,
    analyticsStore,
    priorityLogicStore: routing.priorityLogicStore,
    priorityLogic: routing.priorityLogic,
    feeRule: routing.feeRule,
    riskStore: riskParts.riskStore,
    recorder,
    log,
    analyticsRollup: options.analyticsRollup,
    reviewExpiry: options.reviewExpiry,
    releaseGuard: options.releaseGuard,
  });
  return {
    ownsDb,
    rawDb,
    db,
    metrics,
    recorder,
    tracing,
    keyRing,
    app,
    log,
    fanout,
    merchants,
    store,
    simulator,
    demoEmulators,
    transport,
    gatewayStatus,
    routing,
    users,
    sessionParts,
    riskParts,
    merchantsSeen,
    paymentParts,
    analytics,
    workers,
  };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Junction> {
  const parts = await wireServices(config, options);
  const {
    app,
    db,
    rawDb,
    log,
    metrics,
    recorder,
    tracing,
    keyRing,
    fanout,
    merchants,
    store,
    simulator,
    demoEmulators,
    transport,
    gatewayStatus,
    routing,
    users,
    sessionParts,
    riskParts,
    paymentParts,
    workers,
  } = parts;
  const { scoring, priorityLogicRouter, priorityLogic, backtests, codeEvaluator } = routing;
  const { sessions } = sessionParts;

  // --- HTTP ---
  const { routeSchemas, rateLimitRedis } = await registerHttpPlumbing(app, { config, recorder, tracing, rateLimitNamespace: options.rateLimitNamespace });
  exposeMetrics(app, config, metrics, metricsSources({ scoring, merchantsSeen: parts.merchantsSeen, rawDb, codeEvaluator }));
  let ready = false;
  registerHealthRoute(app, { isReady: () => ready, pingDatabase: () => db.query('SELECT 1'), databaseEngine: db.engine });
  await registerRoutes(app, {
    config,
    db,
    keyRing,
    log,
    merchants,
    store,
    payments: paymentParts,
    users,
    sessions: sessionParts,
    routing,
    risk: riskParts,
    analytics: parts.analytics,
    simulator,
    gatewayStatus,
    transport,
    publishChange: fanout.publishChange,
    isReady: () => ready,
  });

  const demo = await seedDemoData({ config, merchants, users, sessions, demoEmulators });
  if (options.configure) await options.configure(app);
  if (options.startWorkers) startWorkers(workers);
  await app.ready();
  const metricsServer = await startMetricsListener(config, metrics);
  ready = true;

  let closed = false;
  return {
    app,
    db,
    config,
    keyRing,
    merchants,
    payments: paymentParts.payments,
    priorityLogic,
    backtests,
    users,
    sessions,
    simulator,
    ...workers,
    demo,
    scoring,
    sandbox: codeEvaluator,
    routeSchemaProblems: routeSchemas.problems(),
    gatewayMetrics: () => transport.metrics(),
    metrics,
    metricsPort: metricsServer?.port ?? null,
    tracing,
    invalidation: fanout.bus(),
    async close() {
      if (closed) return;
      closed = true;
      ready = false;
      await drainHttp(app);
      await metricsServer?.close();
      await closeParts({
        workers,
        simulator,
        transport,
        demoEmulators,
        backtests,
        priorityLogicRouter,
        codeEvaluator,
        redisThrottleStore: sessionParts.redisThrottleStore,
        invalidation: fanout.bus(),
        rateLimitRedis,
        riskRedis: riskParts.riskRedis,
        scoring,
        tracing,
      });
      if (parts.ownsDb) await rawDb.close();
    },
  };
}

/**
 * Drains in-flight requests. A keep-alive connection that turns idle once its last response is
 * sent would otherwise hold close() until its keep-alive timeout (72 s in Fastify): close idle
 * connections as they appear, and tell clients not to reuse the connection.
 */
async function drainHttp(app: FastifyInstance): Promise<void> {
  const idleSweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(idleSweep);
  }
}
