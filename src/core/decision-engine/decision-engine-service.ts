// Junction behind Juspay's decision engine API (issue 19; docs/decision-engine-compat.md): the
// engine's merchant accounts mapped onto Junction merchants, decide-gateway answered by Junction's
// own routing (Priority Logic, health, success-rate ranking) in the engine's shape, feedback applied
// only after a matching decision, and the engine's rule configurations.
//
// Tenancy: every call names an engine merchant (`merchantId` / `merchant_id`); the caller must be
// allowed to act for it. The operator (x-admin-secret) acts for every engine merchant; a merchant's
// API key or user only for the engine merchants mapped to its own Junction merchant. An engine
// merchant the caller may not act for answers exactly like one that does not exist.
import type { RoutingAccount } from '../ports/router.ts';
import type { DecisionContext, DecisionContextStore, DecisionEngineStore, EngineConfigKind, EngineMerchant } from '../ports/decision-engine-store.ts';
import { GATEWAY_IDS } from '../gateways.ts';
import type { DecideService } from '../scoring/decide-service.ts';
import type { Segment } from '../../routing/scoring/index.ts';
import { AppError } from '../errors.ts';
import { newId } from '../crypto.ts';
import type { PriorityLogicService } from '../priority-logic/priority-logic-service.ts';
import type { Actor } from '../priority-logic/types.ts';
import { algorithmToLogic, connectorOf, parametersToSample } from './euclid.ts';
import { formatAmountString } from '../money.ts';
import type { EngineRoutingRule } from '../ports/decision-engine-store.ts';
import {
  EngineInputError, deciderError, outcomeOf, readDecideRequest, readLegacyScoreUpdate, readRuleConfig, readScoreUpdate, readSrDimensions, teError,
  RULE_ALGORITHMS, type DecideRequest, type RuleAlgorithm,
} from './engine-wire.ts';

/** The operator (x-admin-secret), or a merchant's key or user, with the Junction actor it is (roles apply). */
export type EngineCaller = { kind: 'OPERATOR' } | { kind: 'MERCHANT'; merchantId: string; actor: Actor };

/** An answer of the engine's API: the HTTP status and its body (the engine's shapes). */
export interface EngineAnswer {
  status: number;
  body: unknown;
  /** Answered as text/plain instead of JSON (the legacy /update-score's `Success`). */
  text?: true;
}

export interface DecisionEngineDeps {
  store: DecisionEngineStore;
  contexts: DecisionContextStore;
  merchants: {
    exists(merchantId: string): Promise<boolean>;
    create(merchantId: string): Promise<void>;
    /** A new API key of the merchant, in clear (shown once). */
    createApiKey(merchantId: string): Promise<string>;
  };
  decide: DecideService['decideGateway'];
  /** The merchant's gateway accounts (the candidates when the request names none). */
  accounts(merchantId: string): Promise<readonly RoutingAccount[]>;
  record(merchantId: string, outcome: { gateway: string; segment: Segment; success: boolean; countsAgainstGateway: boolean; atMillis: number }): Promise<unknown>;
  /** The Priority Logic lifecycle: the engine's routing rules are Priority Logics. */
  priorityLogic: Pick<PriorityLogicService, 'create' | 'copy' | 'activate' | 'deactivate' | 'remove' | 'get' | 'routing' | 'dryRun'>;
  now?: () => number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

const ok = (body: unknown): EngineAnswer => ({ status: 200, body });
const MERCHANT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const DEMOTE = 5;

function inputError(e: EngineInputError): EngineAnswer {
  return { status: 400, body: deciderError('INVALID_INPUT', `Invalid input: ${e.field} ${e.reason}`) };
}

/** The routing_dimension string of the engine: payment type, method type, method, network. */
function routingDimension(r: DecideRequest): string {
  const i = r.paymentInfo;
  return [i.paymentType, i.paymentMethodType, i.paymentMethod, i.cardSwitchProvider ?? 'UNKNOWN'].join(',');
}

export function createDecisionEngineService(deps: DecisionEngineDeps) {
  const now = deps.now ?? Date.now;

  // The hot path reads the engine merchant and its elimination config on every decision: kept 2 s
  // per instance (a change made on another instance is seen within that), dropped at once here.
  const CACHE_MS = 2_000;
  const merchantCache = new Map<string, { value: EngineMerchant | null; until: number }>();
  const configCache = new Map<string, { value: Record<string, unknown> | null; until: number }>();
  const cached = async <T>(cache: Map<string, { value: T; until: number }>, key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, until: now() + CACHE_MS });
    return value;
  };
  const forget = (engineMerchantId: string) => {
    merchantCache.delete(engineMerchantId);
    for (const key of configCache.keys()) if (key.startsWith(`${engineMerchantId}\u0001`)) configCache.delete(key);
  };
  const configOf = (engineMerchantId: string, kind: EngineConfigKind) =>
    cached(configCache, `${engineMerchantId}\u0001${kind}`, () => deps.store.getConfig(engineMerchantId, kind));

  /** The engine merchant if the caller may act for it, else null (absent and forbidden look the same). */
  async function engineMerchantFor(caller: EngineCaller, engineMerchantId: string): Promise<EngineMerchant | null> {
    const m = await cached(merchantCache, engineMerchantId, () => deps.store.getEngineMerchant(engineMerchantId));
    if (!m) return null;
    if (caller.kind === 'MERCHANT' && caller.merchantId !== m.merchantId) return null;
    return m;
  }

  const contextKey = (engineMerchantId: string, paymentId: string) => `${engineMerchantId}\u0001${paymentId}`;

  /** The Junction actor of a call for an engine merchant: the caller's own, or the operator acting as an admin of the mapped merchant. */
  const actorFor = (caller: EngineCaller, m: EngineMerchant): Actor =>
    caller.kind === 'MERCHANT' ? caller.actor : { merchantId: m.merchantId, kind: 'SYSTEM', id: 'decision-engine:operator', role: 'ADMIN' };

  const ruleOf = async (engineMerchantId: string, id: unknown): Promise<EngineRoutingRule | null> => {
    if (typeof id !== 'string') return null;
    const rule = await deps.store.getRoutingRule(id);
    return rule && rule.engineMerchantId === engineMerchantId ? rule : null;
  };

  /** A /routing/* call: the body, its engine merchant (by `merchantField`), errors in the engine's TE_04 shape. */
  async function routingCall(
    caller: EngineCaller, body: unknown, merchantField: string,
    run: (m: EngineMerchant, b: Record<string, unknown>, actor: Actor) => Promise<EngineAnswer>,
  ): Promise<EngineAnswer> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, body: teError('body must be a JSON object') };
    const b = body as Record<string, unknown>;
    if (typeof b[merchantField] !== 'string') return { status: 400, body: teError(`${merchantField} is required`) };
    const m = await engineMerchantFor(caller, b[merchantField] as string);
    if (!m) return { status: 404, body: teError('Merchant account not found') };
    try {
      return await run(m, b, actorFor(caller, m));
    } catch (e) {
      if (e instanceof EngineInputError) return { status: 400, body: teError(`${e.field} ${e.reason}`) };
      if (e instanceof AppError && e.status < 500) {
        const field = e.fields[0];
        return { status: e.status === 404 ? 404 : e.status === 401 || e.status === 403 ? 403 : 400, body: teError(field ? `${field.field_name}: ${field.reason}` : e.message, e.fields.length ? { fields: e.fields } : null) };
      }
      throw e;
    }
  }

  /**
   * The candidates: each name of eligibleGatewayList is the merchant's account(s) for that gateway,
   * or, for a gateway Junction has no account of (the engine's names are opaque), an account that
   * takes every payment, so the engine's client keeps routing over its own gateway set.
   */
  async function candidatesOf(merchantId: string, names: readonly string[] | undefined): Promise<readonly RoutingAccount[] | undefined> {
    if (!names) return undefined;
    const accounts = await deps.accounts(merchantId);
    const out: RoutingAccount[] = [];
    names.forEach((name, index) => {
      // Junction's own gateway names (STRIPE) stay as they are, so the Priority Logic's entries match.
      const own = accounts.filter((a) => a.gateway.toUpperCase() === name.toUpperCase());
      if (own.length) out.push(...own);
      else {
        out.push({
          accountId: `engine:${name}`, gateway: name, gatewayId: GATEWAY_IDS[name as keyof typeof GATEWAY_IDS] ?? 0, gatewayReferenceId: null, enabled: true,
          paymentMethodTypes: [], paymentMethods: [], cardBrands: [], currencies: [], priority: 1_000 + index,
        });
      }
    });
    return out;
  }

  return {
    // ---- merchant accounts -------------------------------------------------------------------

    async createMerchantAccount(caller: EngineCaller, body: Record<string, unknown>): Promise<EngineAnswer> {
      if (caller.kind !== 'OPERATOR') return { status: 401, body: 'Invalid admin secret', text: true };
      const id = body.merchant_id;
      if (typeof id !== 'string' || !MERCHANT_ID.test(id)) return { status: 400, body: teError('merchant_id is required: 1 to 64 letters, digits, _ . : or -') };
      const input = body.gateway_success_rate_based_decider_input;
      if (input !== undefined && input !== null && typeof input !== 'string') return { status: 400, body: teError('gateway_success_rate_based_decider_input must be a string or null') };
      // Junction's extension: map the engine merchant (or a Hyperswitch profile id) onto an existing merchant.
      const target = body.junction_merchant_id;
      let merchantId: string;
      if (target !== undefined) {
        if (typeof target !== 'string' || !(await deps.merchants.exists(target))) return { status: 404, body: teError(`Junction merchant ${String(target)} not found`) };
        merchantId = target;
      } else {
        if (await deps.store.getEngineMerchant(id)) return { status: 400, body: teError('Merchant account already exists') };
        merchantId = id;
        if (!(await deps.merchants.exists(id))) {
          try {
            await deps.merchants.create(id);
          } catch (error) {
            if (error instanceof AppError && error.status < 500) return { status: 400, body: teError(`merchant_id cannot name a Junction merchant: ${error.message}; map it onto an existing merchant with junction_merchant_id`) };
            throw error;
          }
        }
      }
      forget(id);
      const inserted = await deps.store.insertEngineMerchant({ engineMerchantId: id, merchantId, deciderInput: (input as string | null | undefined) ?? null, debitRoutingEnabled: false });
      if (!inserted) return { status: 400, body: teError('Merchant account already exists') };
      const apiKey = await deps.merchants.createApiKey(merchantId);
      return ok({ message: 'Merchant account created successfully', merchant_id: id, gateway_success_rate_based_decider_input: input ?? null, api_key: apiKey });
    },

    async getMerchantAccount(caller: EngineCaller, id: string): Promise<EngineAnswer> {
      const m = await engineMerchantFor(caller, id);
      if (!m) return { status: 404, body: teError('Merchant account not found') };
      return ok({ merchant_id: m.engineMerchantId, gateway_success_rate_based_decider_input: m.deciderInput, hierarchy: null });
    },

    async deleteMerchantAccount(caller: EngineCaller, id: string): Promise<EngineAnswer> {
      const m = await engineMerchantFor(caller, id);
      if (!m || !(await deps.store.deleteEngineMerchant(id))) return { status: 404, body: teError('Merchant account not found') };
      forget(id);
      return ok({ message: 'Merchant account deleted successfully', merchant_id: id });
    },

    async debitRouting(caller: EngineCaller, id: string, body: Record<string, unknown> | null): Promise<EngineAnswer> {
      const m = await engineMerchantFor(caller, id);
      if (!m) return { status: 404, body: teError('Merchant account not found') };
      if (body === null) return ok({ merchant_id: id, debit_routing_enabled: m.debitRoutingEnabled });
      if (typeof body.enabled !== 'boolean') return { status: 400, body: teError('enabled must be true or false') };
      await deps.store.setDebitRouting(id, body.enabled);
      forget(id);
      return ok({ merchant_id: id, debit_routing_enabled: body.enabled });
    },

    // ---- decide and feedback -----------------------------------------------------------------

    async decideGateway(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      const started = now();
      let request: DecideRequest;
      try {
        request = readDecideRequest(body);
      } catch (e) {
        if (e instanceof EngineInputError) return inputError(e);
        throw e;
      }
      const m = await engineMerchantFor(caller, request.merchantId);
      if (!m) return { status: 400, body: deciderError('MERCHANT_NOT_FOUND', 'Merchant not found') };
      const algorithm = request.rankingAlgorithm ?? 'SR_BASED_ROUTING';
      if (algorithm === 'NTW_BASED_ROUTING' || algorithm === 'NTW_SR_HYBRID_ROUTING') {
        if (!m.debitRoutingEnabled) return { status: 400, body: deciderError('debit_routing_not_enabled', 'Debit routing is not enabled for this merchant') };
        return { status: 400, body: deciderError('INVALID_INPUT', `${algorithm} (network debit routing) is not offered by Junction`) };
      }
      const info = request.paymentInfo;
      const isCard = info.paymentMethodType === 'CARD';
      // The engine's card paymentMethod is the card type (CREDIT, DEBIT); Junction's is the brand.
      const cardType = info.cardType ?? (isCard && /^(CREDIT|DEBIT|PREPAID)$/.test(info.paymentMethod) ? info.paymentMethod : undefined);
      const brand = isCard ? info.cardSwitchProvider?.toUpperCase() : undefined;
      let result: Awaited<ReturnType<DecideService['decideGateway']>>;
      try {
        const candidates = await candidatesOf(m.merchantId, request.eligibleGatewayList);
        result = await deps.decide(m.merchantId, {
          paymentInfo: {
            paymentId: info.paymentId, amount: info.amount, currency: info.currency, paymentMethodType: info.paymentMethodType,
            ...(isCard ? (brand ? { paymentMethod: brand, cardBrand: brand } : {}) : { paymentMethod: info.paymentMethod }),
            ...(cardType ? { cardType } : {}),
            ...(info.cardIssuerBankName ? { cardIssuerBankName: info.cardIssuerBankName } : {}),
            ...(info.cardIsin ? { cardIsin: info.cardIsin } : {}),
            ...(info.authType ? { authType: info.authType } : {}),
            ...(info.customerId ? { customerId: info.customerId } : {}),
            ...(info.preferredGateway ? { preferredGateway: info.preferredGateway } : {}),
            ...(info.country ? { country: info.country } : {}),
            udfs: info.udfs, metadata: info.metadata,
          },
          rankingAlgorithm: algorithm === 'PL_BASED_ROUTING' ? 'PL_BASED_ROUTING' : 'SR_BASED_ROUTING',
        }, candidates ? { candidates } : {});
      } catch (e) {
        if (e instanceof AppError && e.status < 500) {
          const field = e.fields[0];
          return { status: 400, body: deciderError('INVALID_INPUT', `Invalid input: ${field ? `${field.field_name} ${field.reason}` : e.message}`) };
        }
        throw e;
      }
      if (result.gateways.length === 0 || !result.decided_gateway) {
        return { status: 400, body: deciderError('NO_GATEWAY', "Can't find a suitable gateway to process the transaction", 'No eligible gateway after the Priority Logic and eligibility') };
      }

      // Order and scores: the ranking's means (SR), else descending by position (PL). Gateways are
      // answered in the client's own spelling (stripe for Junction's STRIPE).
      const spelling = new Map((request.eligibleGatewayList ?? []).map((n) => [n.toUpperCase(), n]));
      const ranked = result.gateways
        .filter((g, i, all) => all.findIndex((x) => x.gateway === g.gateway) === i)
        .map((g) => ({ ...g, junction: g.gateway, gateway: spelling.get(g.gateway.toUpperCase()) ?? g.gateway }));
      const srApplied = result.routing_approach === 'SR_SELECTION' || result.routing_approach === 'SR_EXPLORATION';
      let scores = ranked.map((g, i) => ({ gateway: g.gateway, score: srApplied ? (g.mean ?? 1) : Math.max(0, 1 - i * 0.01), health: g.health }));
      // Elimination: a gateway below the merchant's threshold is demoted (score / 5), never removed.
      const elimination = request.eliminationEnabled ? await configOf(m.engineMerchantId, 'elimination') : null;
      const threshold = typeof elimination?.threshold === 'number' ? elimination.threshold : null;
      let demoted = scores.filter((s) => s.health === 'DOWN').length;
      if (threshold !== null && srApplied) {
        scores = scores.map((s) => (s.score < threshold ? { ...s, score: s.score / DEMOTE, health: 'DOWN' } : s));
        demoted = scores.filter((s) => s.health === 'DOWN').length;
        scores = [...scores].sort((a, b) => Number(a.health === 'DOWN') - Number(b.health === 'DOWN'));
      }
      const before = ranked[0]!.gateway;
      // The engine's contract: a preferred gateway among the candidates is chosen (MERCHANT_PREFERENCE).
      const preferredAt = info.preferredGateway ? scores.findIndex((s) => s.gateway.toUpperCase() === info.preferredGateway!.toUpperCase()) : -1;
      if (preferredAt > 0) scores = [scores[preferredAt]!, ...scores.slice(0, preferredAt), ...scores.slice(preferredAt + 1)];
      const decided = scores[0]!.gateway;
      const preferredApplied = preferredAt >= 0;
      let approach: string;
      if (preferredApplied && scores.length > 1) approach = 'MERCHANT_PREFERENCE';
      else if (scores.length === 1) approach = 'DEFAULT';
      else if (srApplied) {
        approach = demoted === 0 ? (result.routing_approach === 'SR_EXPLORATION' ? 'SR_V3_HEDGING' : 'SR_SELECTION_V3_ROUTING')
          : demoted === scores.length ? 'SR_V3_ALL_DOWNTIME_ROUTING' : 'SR_V3_DOWNTIME_ROUTING';
      } else approach = 'PRIORITY_LOGIC';
      const logicName = result.priority_logic_tag === 'DEFAULT_ORDER' ? null : result.priority_logic_tag;
      const context: DecisionContext = {
        merchantId: m.merchantId, segment: { ...result.segment } as DecisionContext['segment'], gateways: scores.map((s) => s.gateway), atMillis: now(),
        names: Object.fromEntries(ranked.filter((g) => g.junction !== g.gateway).map((g) => [g.gateway, g.junction])),
      };
      await deps.contexts.put(contextKey(m.engineMerchantId, info.paymentId), context);
      return ok({
        decided_gateway: decided,
        fallback_gateways: scores.slice(1).map((s) => s.gateway),
        gateway_priority_map: Object.fromEntries(scores.map((s) => [s.gateway, Math.round(s.score * 1e6) / 1e6])),
        filter_wise_gateways: null,
        priority_logic_tag: logicName,
        routing_approach: approach,
        gateway_before_evaluation: before,
        priority_logic_output: logicName
          ? {
              isEnforcement: result.enforced, gws: ranked.map((g) => g.gateway), priorityLogicTag: logicName, gatewayReferenceIds: {},
              primaryLogic: { name: logicName, status: 'SUCCESS', failure_reason: 'NO_ERROR' }, fallbackLogic: null,
            }
          : null,
        debit_routing_output: null,
        reset_approach: 'NO_RESET',
        routing_dimension: routingDimension(request),
        routing_dimension_level: isCard ? 'CARD_LEVEL' : 'PM_LEVEL',
        is_scheduled_outage: false,
        is_dynamic_mga_enabled: false,
        gateway_mga_id_map: null,
        is_rust_based_decider: true,
        latency: now() - started,
        multi_objective_info: null,
      });
    },

    /**
     * The outcome of a decided payment: applied to the gateway's score only when this engine merchant
     * decided that paymentId on this instance group (the engine's contract), once per (payment,
     * gateway); statuses without an outcome yet (STARTED, PENDING_VBV ...) change nothing.
     */
    async updateGatewayScore(caller: EngineCaller, body: unknown, legacy = false): Promise<EngineAnswer> {
      let update: ReturnType<typeof readScoreUpdate>;
      try {
        update = legacy ? readLegacyScoreUpdate(body) : readScoreUpdate(body);
      } catch (e) {
        if (e instanceof EngineInputError) return inputError(e);
        throw e;
      }
      const m = await engineMerchantFor(caller, update.merchantId);
      if (!m) return { status: 400, body: deciderError('MERCHANT_NOT_FOUND', 'Merchant not found') };
      // The legacy route answers the text Success.
      const answer: EngineAnswer = legacy ? { status: 200, body: 'Success', text: true } : ok({ message: 'Gateway score updated successfully', merchant_id: update.merchantId, gateway: update.gateway, payment_id: update.paymentId, gsm_info: null });
      const key = contextKey(m.engineMerchantId, update.paymentId);
      const context = await deps.contexts.get(key);
      const outcome = outcomeOf(update.status, update.enforceDynamicRoutingFailure);
      if (!context || !context.gateways.includes(update.gateway)) {
        deps.log?.('decision engine feedback without a matching decision: dropped (GATEWAY_SCORING_DATA_NOT_FOUND)', { merchant: update.merchantId, payment: update.paymentId, gateway: update.gateway });
        return answer;
      }
      if (outcome === 'PENDING') return answer;
      // Once per (payment, gateway): a repeated update is acknowledged and ignored.
      const doneKey = `${key}\u0001${update.gateway}`;
      if (await deps.contexts.get(doneKey)) return answer;
      await deps.contexts.put(doneKey, { ...context, gateways: [] });
      const shopperFault = update.status === 'AUTHENTICATION_FAILED' && !update.enforceDynamicRoutingFailure;
      await deps.record(m.merchantId, {
        gateway: context.names?.[update.gateway] ?? update.gateway, segment: context.segment as unknown as Segment, success: outcome === 'SUCCESS',
        countsAgainstGateway: outcome === 'FAILURE' && !shopperFault, atMillis: now(),
      });
      return answer;
    },

    // ---- rule configuration and SR dimensions ------------------------------------------------

    async ruleConfig(caller: EngineCaller, action: 'create' | 'get' | 'update' | 'delete', body: unknown): Promise<EngineAnswer> {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, body: teError('body must be a JSON object') };
      const b = body as Record<string, unknown>;
      if (typeof b.merchant_id !== 'string') return { status: 400, body: teError('merchant_id is required') };
      const m = await engineMerchantFor(caller, b.merchant_id);
      if (!m) return { status: 404, body: teError('Merchant account not found') };
      const label = (a: RuleAlgorithm) => ({ successRate: 'Success Rate', elimination: 'Elimination', debitRouting: 'Debit Routing' })[a];
      if (action === 'get' || action === 'delete') {
        const algorithm = b.algorithm;
        if (typeof algorithm !== 'string' || !(RULE_ALGORITHMS as readonly string[]).includes(algorithm)) return { status: 400, body: teError(`algorithm must be one of ${RULE_ALGORITHMS.join(', ')}`) };
        const kind = algorithm as EngineConfigKind & RuleAlgorithm;
        if (action === 'get') {
          const data = await deps.store.getConfig(m.engineMerchantId, kind);
          if (!data) return { status: 404, body: teError(`${label(kind)} configuration not found`) };
          return ok({ merchant_id: m.engineMerchantId, config: { type: kind, data } });
        }
        if (!(await deps.store.deleteConfig(m.engineMerchantId, kind))) return { status: 404, body: teError(`${label(kind)} configuration not found`) };
        forget(m.engineMerchantId);
        return ok({ message: `${label(kind)} Configuration deleted successfully`, merchant_id: m.engineMerchantId });
      }
      let read: ReturnType<typeof readRuleConfig>;
      try {
        read = readRuleConfig(b);
      } catch (e) {
        if (e instanceof EngineInputError) return { status: 400, body: teError(`${e.field} ${e.reason}`) };
        throw e;
      }
      const done = await deps.store.putConfig(m.engineMerchantId, m.merchantId, read.algorithm, read.data, action);
      forget(m.engineMerchantId);
      if (!done) return action === 'create' ? { status: 400, body: teError(`${label(read.algorithm)} configuration already exists`) } : { status: 404, body: teError(`${label(read.algorithm)} configuration not found`) };
      return ok({ message: `${label(read.algorithm)} Configuration ${action === 'create' ? 'created' : 'updated'} successfully`, merchant_id: m.engineMerchantId, config: { type: read.algorithm, data: read.data } });
    },

    async configSrDimension(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, body: teError('body must be a JSON object') };
      const b = body as Record<string, unknown>;
      if (typeof b.merchant_id !== 'string') return { status: 400, body: teError('merchant_id is required') };
      const m = await engineMerchantFor(caller, b.merchant_id);
      if (!m) return { status: 404, body: teError('Merchant account not found') };
      let dims: ReturnType<typeof readSrDimensions>;
      try {
        dims = readSrDimensions(b);
      } catch (e) {
        if (e instanceof EngineInputError) return { status: 400, body: teError(`${e.field} ${e.reason}`) };
        throw e;
      }
      await deps.store.putConfig(m.engineMerchantId, m.merchantId, 'srDimension', dims, 'upsert');
      return ok('SR Dimension configuration updated successfully');
    },

    // ---- routing rules (/routing/*): Priority Logics ------------------------------------------

    async createRoutingRule(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const name = b.name;
        if (typeof name !== 'string' || name.trim() === '') return { status: 400, body: teError('name is required') };
        const algorithmFor = b.algorithm_for ?? 'payment';
        if (algorithmFor !== 'payment') return { status: 400, body: teError(`algorithm_for ${String(algorithmFor)} is not offered: payment only`) };
        const ruleId = b.rule_id === undefined || b.rule_id === null ? `routing_${newId('r').slice(2)}` : b.rule_id;
        if (typeof ruleId !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(ruleId)) return { status: 400, body: teError('rule_id must be 1 to 128 letters, digits, _ . : or -') };
        if (await deps.store.getRoutingRule(ruleId)) return { status: 400, body: teError(`Routing rule ${ruleId} already exists`) };
        const description = typeof b.description === 'string' ? b.description : null;
        const input = algorithmToLogic(b.algorithm, name, description);
        const logic = await deps.priorityLogic.create(actor, input);
        const rule = {
          ruleId, engineMerchantId: m.engineMerchantId, merchantId: m.merchantId, logicId: logic.id, name, description, algorithmFor: 'payment',
          algorithm: b.algorithm as Record<string, unknown>, metadata: typeof b.metadata === 'object' && b.metadata !== null ? (b.metadata as Record<string, unknown>) : null,
        };
        if (!(await deps.store.insertRoutingRule(rule))) return { status: 400, body: teError(`Routing rule ${ruleId} already exists`) };
        const stored = (await deps.store.getRoutingRule(ruleId))!;
        return ok({ rule_id: ruleId, name, algorithm_for: 'payment', created_at: stored.createdAt.toISOString(), modified_at: stored.modifiedAt.toISOString() });
      });
    },

    async activateRoutingRule(caller: EngineCaller, body: unknown, deactivate = false): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const rule = await ruleOf(m.engineMerchantId, b.routing_algorithm_id);
        if (!rule) return { status: 404, body: teError('Routing algorithm not found') };
        const { logic } = await deps.priorityLogic.get(actor, rule.logicId);
        if (deactivate) {
          if (logic.status !== 'ACTIVE') return { status: 400, body: teError('Routing algorithm is not active') };
          await deps.priorityLogic.deactivate(actor, logic.id, { version: logic.rowVersion });
        } else if (logic.status !== 'ACTIVE') {
          await deps.priorityLogic.activate(actor, logic.id, { version: logic.rowVersion });
        }
        return { status: 200, body: null };
      });
    },

    async updateRoutingRule(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const rule = await ruleOf(m.engineMerchantId, b.rule_id);
        if (!rule) return { status: 404, body: teError('Routing algorithm not found') };
        const { logic } = await deps.priorityLogic.get(actor, rule.logicId);
        const name = typeof b.name === 'string' && b.name.trim() !== '' ? b.name : rule.name;
        const description = typeof b.description === 'string' ? b.description : rule.description;
        const algorithm = (b.algorithm ?? rule.algorithm) as Record<string, unknown>;
        // A logic never changes once saved: the update is a copy (its history kept), released in its place if the old one was live.
        const input = algorithmToLogic(algorithm, name === logic.name ? `${name} (${new Date(now()).toISOString()})` : name, description);
        const copy = await deps.priorityLogic.copy(actor, logic.id, input, { version: logic.rowVersion });
        if (logic.status === 'ACTIVE') await deps.priorityLogic.activate(actor, copy.id, { version: copy.rowVersion });
        await deps.store.updateRoutingRule(rule.ruleId, { logicId: copy.id, name, description, algorithm, metadata: rule.metadata });
        return ok({ rule_id: rule.ruleId, name, algorithm_for: rule.algorithmFor, created_at: rule.createdAt.toISOString(), modified_at: new Date(now()).toISOString() });
      });
    },

    async deleteRoutingRule(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const rule = await ruleOf(m.engineMerchantId, b.rule_id ?? b.routing_algorithm_id);
        if (!rule) return { status: 404, body: teError('Routing algorithm not found') };
        const { logic } = await deps.priorityLogic.get(actor, rule.logicId);
        await deps.priorityLogic.remove(actor, logic.id, { version: logic.rowVersion });
        await deps.store.deleteRoutingRule(rule.ruleId);
        return ok({ message: 'Routing algorithm deleted successfully', rule_id: rule.ruleId });
      });
    },

    async listRoutingRules(caller: EngineCaller, engineMerchantId: string, activeOnly: boolean): Promise<EngineAnswer> {
      return routingCall(caller, { created_by: engineMerchantId }, 'created_by', async (m, _b, actor) => {
        const rules = await deps.store.listRoutingRules(m.engineMerchantId);
        const active = activeOnly ? (await deps.priorityLogic.routing(actor)).activeLogicId : null;
        return ok(rules.filter((r) => !activeOnly || r.logicId === active).map((r) => ({
          id: r.ruleId, created_by: r.engineMerchantId, name: r.name, description: r.description, algorithm_data: r.algorithm, algorithm_for: r.algorithmFor,
          created_at: r.createdAt.toISOString(), modified_at: r.modifiedAt.toISOString(),
        })));
      });
    },

    /** /routing/evaluate: the merchant's active Priority Logic (engine-made or not) on the typed parameters. */
    async evaluateRouting(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const routing = await deps.priorityLogic.routing(actor);
        if (!routing.activeLogicId) return { status: 400, body: teError('No active routing algorithm for this merchant') };
        const { sample, amountMinor } = parametersToSample(b.parameters);
        const currency = typeof sample.currency === 'string' ? sample.currency : 'INR';
        if (amountMinor !== null) sample.amount = formatAmountString(amountMinor, currency);
        const explained = await deps.priorityLogic.dryRun(actor, { logicId: routing.activeLogicId, payment: sample });
        const { logic } = await deps.priorityLogic.get(actor, routing.activeLogicId);
        const matched = explained.matchedRule;
        const record = explained.decision;
        let output: Record<string, unknown>;
        const def = logic.definition;
        const rule = matched && def.kind === 'RULES' ? def.rules[matched.index] : undefined;
        const out = rule?.output ?? (def.kind === 'VOLUME' ? { type: 'VOLUME_SPLIT' as const, splits: def.splits } : { type: 'PRIORITY' as const, gateways: def.defaultGateways });
        if (out.type === 'VOLUME_SPLIT') output = { type: 'volume_split', splits: out.splits.map((s) => ({ connector: connectorOf(s.gateway), split: s.weight })) };
        else if (out.type === 'VOLUME_SPLIT_PRIORITY') output = { type: 'volume_split_priority', splits: out.splits.map((s) => ({ connectors: s.gateways.map((g) => connectorOf(g.gateway)), split: s.weight })) };
        else if (out.gateways.length === 1) output = { type: 'straight_through', connector: connectorOf(out.gateways[0]!.gateway) };
        else output = { type: 'priority', connectors: out.gateways.map((g) => connectorOf(g.gateway)) };
        const fallback = Array.isArray(b.fallback_output) ? b.fallback_output : null;
        const produced = record.producedList.map((g) => connectorOf(g.gateway));
        return ok({
          payment_id: typeof b.payment_id === 'string' ? b.payment_id : null,
          status: matched || def.kind === 'VOLUME' ? 'success' : 'default_selection',
          output,
          evaluated_output: !matched && def.kind === 'RULES' && fallback ? fallback : produced,
          eligible_connectors: record.finalGateways.map((g) => connectorOf(g.gateway)),
        });
      });
    },

    async getSrDimension(caller: EngineCaller, id: string): Promise<EngineAnswer> {
      const m = await engineMerchantFor(caller, id);
      if (!m) return { status: 404, body: teError('Merchant account not found') };
      const dims = await deps.store.getConfig(id, 'srDimension');
      if (!dims) return { status: 404, body: teError('SR Dimension configuration not found') };
      return ok({ merchant_id: id, paymentInfo: dims });
    },
  };
}

export type DecisionEngineService = ReturnType<typeof createDecisionEngineService>;

/** Decisions kept in process (one instance): a day, at most `max` (the oldest go first). */
export function createMemoryDecisionContexts(options: { ttlMs?: number; max?: number; now?: () => number } = {}): DecisionContextStore {
  const ttl = options.ttlMs ?? 86_400_000;
  const max = options.max ?? 200_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { context: DecisionContext; until: number }>();
  return {
    async put(key, context) {
      entries.delete(key);
      entries.set(key, { context, until: now() + ttl });
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    async get(key) {
      const e = entries.get(key);
      if (!e) return null;
      if (e.until < now()) {
        entries.delete(key);
        return null;
      }
      return e.context;
    },
  };
}
