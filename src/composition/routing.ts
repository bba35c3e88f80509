// Routing for buildApp: the Priority Logic engine (code-based logics in a sandbox pool), success-rate
// scoring (in process, or in Redis with REDIS_URL), the router behind the payment service's seam,
// the Priority Logic and backtest services, and the decide-gateway service.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import { createBacktestService, type BacktestService } from '../core/backtest/backtest-service.ts';
import type { createGatewayStatusTable } from '../core/gateway-status/gateway-status-table.ts';
import { GATEWAY_IDS } from '../core/gateways.ts';
import type { MerchantService } from '../core/merchants/merchant-service.ts';
import type { MerchantDirectory } from '../core/payments/payment-service.ts';
import { createPriorityLogicRouter, type PriorityLogicRouter } from '../core/priority-logic/priority-logic-router.ts';
import { createPriorityLogicService, type PriorityLogicService } from '../core/priority-logic/priority-logic-service.ts';
import type { FeeRuleLookup } from '../core/priority-logic/release-guard-service.ts';
import { createDecideService } from '../core/routing-intelligence/decide-service.ts';
import { gatewayFeesFrom } from '../core/routing-intelligence/fees.ts';
import { createScoreStoreFactory } from '../core/routing-intelligence/ports.ts';
import { createRoutingIntelligence, type RoutingIntelligence } from '../core/routing-intelligence/routing-intelligence.ts';
import { instrumentEvaluator } from '../observability/instrument.ts';
import type { MetricsRecorder } from '../observability/metrics.ts';
import { createRoutingEngine, type RoutingEngine } from '../routing/index.ts';
import { feeRuleOf, InMemoryScoreStore, type ScoringConfig } from '../routing/scoring/index.ts';
import { createEvaluatorPool, type EvaluatorPool } from '../sandbox/evaluator-pool.ts';
import type { Db } from '../storage/db.ts';
import { createBacktestStore } from '../storage/backtest-repository.ts';
import { createPriorityLogicStore } from '../storage/priority-logic-repository.ts';
import { connectRedis, RedisScoreStore, type RedisConnections } from '../storage/redis-score-store.ts';
import { createScheduledOutageRepository } from '../storage/scheduled-outage-repository.ts';

export interface RoutingWiring {
  config: Config;
  db: Db;
  merchants: MerchantService;
  directory: MerchantDirectory;
  gatewayStatus: ReturnType<typeof createGatewayStatusTable>;
  scoringConfig: Partial<ScoringConfig> | undefined;
  recorder: MetricsRecorder;
  /** Tells other instances that `what` changed for a merchant (cache invalidation). */
  publishChange: (what: string) => (merchantId: string) => void;
  log: FastifyBaseLogger;
}

export interface WiredRouting {
  /** The worker pool that runs merchant code. */
  codeEvaluator: EvaluatorPool;
  engine: RoutingEngine;
  priorityLogicStore: ReturnType<typeof createPriorityLogicStore>;
  /** Redis connections of the scores (and the decision engine's contexts), with REDIS_URL. */
  redis: RedisConnections | null;
  scoring: RoutingIntelligence;
  priorityLogicRouter: PriorityLogicRouter;
  /** The release guard's cost metric: the fee rule of each gateway account (its `fees`). */
  feeRule: FeeRuleLookup;
  priorityLogic: PriorityLogicService;
  backtests: BacktestService;
  decideService: ReturnType<typeof createDecideService>;
}

export function wireRouting({ config, db, merchants, directory, gatewayStatus, scoringConfig, recorder, publishChange, log }: RoutingWiring): WiredRouting {
  // Priority Logic: the engine behind the routing seam; code-based logics run in a pool of worker
  // threads (QuickJS in each), never on this event loop, with a fair share per merchant.
  const codeEvaluator = createEvaluatorPool(config.sandbox);
  const engine = createRoutingEngine({ codeEvaluator: instrumentEvaluator(codeEvaluator, recorder), knownGateways: Object.keys(GATEWAY_IDS) });
  const priorityLogicStore = createPriorityLogicStore(db);
  // Routing intelligence: scores per merchant in process, or in Redis (one view for every instance) with REDIS_URL.
  const redis = config.redisUrl ? connectRedis(config.redisUrl) : null;
  const scoreStores = redis
    ? createScoreStoreFactory(
        (merchantId) => new RedisScoreStore(redis, { prefix: `junction:sr:${merchantId}:` }),
        async () => {
          await Promise.allSettled([redis.reads.quit(), redis.writes.quit()]);
        },
      )
    : createScoreStoreFactory(() => new InMemoryScoreStore());
  const scoring = createRoutingIntelligence({
    stores: scoreStores,
    settings: (merchantId) => merchants.getRoutingSettings(merchantId),
    // Read once per merchant per context lifetime (2 s), with the settings and the scheduled outages.
    accounts: async (merchantId) => (await merchants.listGatewayAccounts(merchantId)).map((a) => ({ accountId: a.id, gateway: a.gateway, enabled: a.enabled, fees: { ...a.fees } })),
    outages: createScheduledOutageRepository(db),
    classifyFailure: (gateway, rawCode) => gatewayStatus.classify(gateway, rawCode),
    ...(scoringConfig ? { config: scoringConfig } : {}),
    onChange: publishChange('routing'),
    log: (message, fields) => log.warn(fields, message),
  });
  const priorityLogicRouter = createPriorityLogicRouter({ store: priorityLogicStore, engine, ranker: scoring });
  const feeRule: FeeRuleLookup = async (merchantId) => {
    const fees = new Map((await merchants.listGatewayAccounts(merchantId)).map((a) => [a.id, gatewayFeesFrom(a.fees)]));
    return (group) => {
      const f = group.accountId ? fees.get(group.accountId) : null;
      return f ? feeRuleOf(f, { cardBrand: group.cardBrand || null, paymentMethod: group.paymentMethod, paymentMethodType: group.paymentMethodType }) : null;
    };
  };
  const priorityLogic = createPriorityLogicService({
    store: priorityLogicStore,
    engine,
    codeEvaluator,
    feeRule,
    webhookTarget: directory.webhookTarget,
    gatewayAccounts: (merchantId) => merchants.routingCandidates(merchantId),
    onChange: (merchantId) => {
      priorityLogicRouter.invalidate(merchantId);
      publishChange('priority-logic')(merchantId);
    },
  });
  const backtests = createBacktestService({
    store: createBacktestStore(db),
    logics: priorityLogicStore,
    engine,
    gatewayAccounts: (merchantId) => merchants.routingCandidates(merchantId),
    feeAccounts: async (merchantId) => (await merchants.listGatewayAccounts(merchantId)).map((a) => ({ accountId: a.id, gateway: a.gateway, fees: { ...a.fees } })),
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  const decideService = createDecideService({
    candidates: (merchantId) => merchants.routingCandidates(merchantId),
    decide: (request, options) => priorityLogicRouter.decide(request, options),
    intelligence: scoring,
    classifyFailure: (gateway, rawCode) => gatewayStatus.classify(gateway, rawCode),
  });
  return { codeEvaluator, engine, priorityLogicStore, redis, scoring, priorityLogicRouter, feeRule, priorityLogic, backtests, decideService };
}
