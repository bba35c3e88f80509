// /decide-gateway: the engine's request decided by Junction's own routing (Priority Logic, health,
// success-rate ranking), answered in the engine's shape; the decision kept so that feedback for it
// (/update-gateway-score) can be matched.
import type { DecisionContext, EngineMerchant } from '../ports/decision-engine-store.ts';
import type { DecideService } from '../routing-intelligence/decide-service.ts';
import { AppError } from '../errors.ts';
import { parseAmount } from '../money.ts';
import { debitRoutingOutput, readDebitRoutingInput, type DebitRoutingOutput } from './debit-routing.ts';
import { EngineInputError, deciderError, readDecideRequest, type DecideRequest } from './engine-wire.ts';
import { inputError, ok, type DecisionEngineDeps, type EngineAccess, type EngineAnswer, type EngineCaller } from './engine-access.ts';

type DecideResult = Awaited<ReturnType<DecideService['decideGateway']>>;
type DecideInput = Parameters<DecideService['decideGateway']>[1];
interface Scored {
  gateway: string;
  score: number;
  health: string | null;
}

/** An elimination demotes a gateway below the merchant's threshold (score / 5), never removes it. */
const DEMOTE = 5;

/** The routing_dimension string of the engine: payment type, method type, method, network. */
function routingDimension(r: DecideRequest): string {
  const i = r.paymentInfo;
  return [i.paymentType, i.paymentMethodType, i.paymentMethod, i.cardSwitchProvider ?? 'UNKNOWN'].join(',');
}

/** The amount in minor units, or null when it is not one (the decision then reports it). */
function minorAmount(request: DecideRequest): number | null {
  try {
    return parseAmount(request.paymentInfo.amount, request.paymentInfo.currency, 'paymentInfo.amount');
  } catch {
    return null;
  }
}

/** The engine's payment as Junction's decide input. */
function decideInputOf(request: DecideRequest): DecideInput {
  const info = request.paymentInfo;
  const isCard = info.paymentMethodType === 'CARD';
  // The engine's card paymentMethod is the card type (CREDIT, DEBIT); Junction's is the brand.
  const cardType = info.cardType ?? (isCard && /^(CREDIT|DEBIT|PREPAID)$/.test(info.paymentMethod) ? info.paymentMethod : undefined);
  const brand = isCard ? info.cardSwitchProvider?.toUpperCase() : undefined;
  return {
    paymentInfo: {
      paymentId: info.paymentId,
      amount: info.amount,
      currency: info.currency,
      paymentMethodType: info.paymentMethodType,
      ...(isCard ? (brand ? { paymentMethod: brand, cardBrand: brand } : {}) : { paymentMethod: info.paymentMethod }),
      ...(cardType ? { cardType } : {}),
      ...(info.cardIssuerBankName ? { cardIssuerBankName: info.cardIssuerBankName } : {}),
      ...(info.cardIsin ? { cardIsin: info.cardIsin } : {}),
      ...(info.authType ? { authType: info.authType } : {}),
      ...(info.customerId ? { customerId: info.customerId } : {}),
      ...(info.preferredGateway ? { preferredGateway: info.preferredGateway } : {}),
      ...(info.country ? { country: info.country } : {}),
      udfs: info.udfs,
      metadata: info.metadata,
    },
    rankingAlgorithm: request.rankingAlgorithm === 'PL_BASED_ROUTING' ? 'PL_BASED_ROUTING' : 'SR_BASED_ROUTING',
  };
}

/** The engine's answers when network routing cannot be done. */
const debitRoutingNotEnabled = (engineMerchantId: string): EngineAnswer => ({
  status: 400,
  body: deciderError(
    'debit_routing_not_enabled',
    `Debit routing is not enabled for merchant: ${engineMerchantId}`,
    `Merchant ${engineMerchantId} does not have debit routing enabled. Enable it via the /merchant-account/:merchant-id/debit-routing API.`,
    { status: 'Forbidden', infoCode: 'TE_05', userMessage: 'Debit routing is not enabled for this merchant' },
  ),
});
const CO_BADGED_MESSAGE = 'Co-badged card network not found to process the transaction request.';
const coBadgedNetworkNotFound: EngineAnswer = {
  status: 400,
  body: deciderError('invalid_request_error', "Can't find the co-badged card network", CO_BADGED_MESSAGE, {
    status: 'Invalid Request',
    infoCode: 'CO_BADGED_NETWORK_NOT_FOUND',
    userMessage: CO_BADGED_MESSAGE,
  }),
};

/** NTW_BASED_ROUTING's answer: the networks by cost; the gateway is the list's first, which the engine says not to consume. */
function networkRoutingAnswer(request: DecideRequest, output: DebitRoutingOutput): EngineAnswer {
  return ok({
    decided_gateway: request.eligibleGatewayList?.[0] ?? '',
    fallback_gateways: [],
    gateway_priority_map: null,
    filter_wise_gateways: null,
    priority_logic_tag: null,
    routing_approach: 'NTW_BASED_ROUTING',
    gateway_before_evaluation: null,
    priority_logic_output: null,
    debit_routing_output: output,
    reset_approach: 'NO_RESET',
    routing_dimension: null,
    routing_dimension_level: null,
    is_scheduled_outage: false,
    is_dynamic_mga_enabled: false,
    gateway_mga_id_map: null,
    is_rust_based_decider: true,
    latency: null,
    multi_objective_info: null,
  });
}

/** The engine's routing_approach for the final order. */
function approachOf(scores: readonly Scored[], result: DecideResult, srApplied: boolean, preferredApplied: boolean, demoted: number): string {
  if (preferredApplied && scores.length > 1) return 'MERCHANT_PREFERENCE';
  if (scores.length === 1) return 'DEFAULT';
  if (!srApplied) return 'PRIORITY_LOGIC';
  if (demoted === 0) return result.routing_approach === 'SR_EXPLORATION' ? 'SR_V3_HEDGING' : 'SR_SELECTION_V3_ROUTING';
  return demoted === scores.length ? 'SR_V3_ALL_DOWNTIME_ROUTING' : 'SR_V3_DOWNTIME_ROUTING';
}

export function decideGatewayCall(deps: DecisionEngineDeps, access: EngineAccess) {
  /** Junction's decision, or the engine's answer when there is none. */
  async function decide(m: EngineMerchant, request: DecideRequest): Promise<DecideResult | EngineAnswer> {
    let result: DecideResult;
    try {
      const candidates = await access.candidatesOf(m.merchantId, request.eligibleGatewayList);
      result = await deps.decide(m.merchantId, decideInputOf(request), candidates ? { candidates } : {});
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
    return result;
  }

  /** The decision in the engine's shape, its context kept for the feedback. */
  async function answer(m: EngineMerchant, request: DecideRequest, result: DecideResult, started: number, debit: DebitRoutingOutput | null): Promise<EngineAnswer> {
    const info = request.paymentInfo;
    // Order and scores: the ranking's means (SR), else descending by position (PL). Gateways are
    // answered in the client's own spelling (stripe for Junction's STRIPE).
    const spelling = new Map((request.eligibleGatewayList ?? []).map((n) => [n.toUpperCase(), n]));
    const ranked = result.gateways
      .filter((g, i, all) => all.findIndex((x) => x.gateway === g.gateway) === i)
      .map((g) => ({ gateway: spelling.get(g.gateway.toUpperCase()) ?? g.gateway, junction: g.gateway, mean: g.mean, health: g.health }));
    const srApplied = result.routing_approach === 'SR_SELECTION' || result.routing_approach === 'SR_EXPLORATION';
    let scores: Scored[] = ranked.map((g, i) => ({ gateway: g.gateway, score: srApplied ? (g.mean ?? 1) : Math.max(0, 1 - i * 0.01), health: g.health }));
    // Elimination: a gateway below the merchant's threshold is demoted, never removed.
    const elimination = request.eliminationEnabled ? await access.configOf(m.engineMerchantId, 'elimination') : null;
    const threshold = typeof elimination?.threshold === 'number' ? elimination.threshold : null;
    if (threshold !== null && srApplied) {
      scores = scores.map((s) => (s.score < threshold ? { ...s, score: s.score / DEMOTE, health: 'DOWN' } : s));
      scores = [...scores].sort((a, b) => Number(a.health === 'DOWN') - Number(b.health === 'DOWN'));
    }
    const demoted = scores.filter((s) => s.health === 'DOWN').length;
    // The engine's contract: a preferred gateway among the candidates is chosen (MERCHANT_PREFERENCE).
    const preferredAt = info.preferredGateway ? scores.findIndex((s) => s.gateway.toUpperCase() === info.preferredGateway!.toUpperCase()) : -1;
    if (preferredAt > 0) scores = [scores[preferredAt]!, ...scores.slice(0, preferredAt), ...scores.slice(preferredAt + 1)];
    const logicName = result.priority_logic_tag === 'DEFAULT_ORDER' ? null : result.priority_logic_tag;
    const context: DecisionContext = {
      merchantId: m.merchantId,
      segment: { ...result.segment } as DecisionContext['segment'],
      gateways: scores.map((s) => s.gateway),
      atMillis: access.now(),
      names: Object.fromEntries(ranked.filter((g) => g.junction !== g.gateway).map((g) => [g.gateway, g.junction])),
    };
    await deps.contexts.put(access.contextKey(m.engineMerchantId, info.paymentId), context);
    return ok({
      decided_gateway: scores[0]!.gateway,
      fallback_gateways: scores.slice(1).map((s) => s.gateway),
      gateway_priority_map: Object.fromEntries(scores.map((s) => [s.gateway, Math.round(s.score * 1e6) / 1e6])),
      filter_wise_gateways: null,
      priority_logic_tag: logicName,
      routing_approach: approachOf(scores, result, srApplied, preferredAt >= 0, demoted),
      gateway_before_evaluation: ranked[0]!.gateway,
      priority_logic_output: logicName
        ? {
            isEnforcement: result.enforced,
            gws: ranked.map((g) => g.gateway),
            priorityLogicTag: logicName,
            gatewayReferenceIds: {},
            primaryLogic: { name: logicName, status: 'SUCCESS', failure_reason: 'NO_ERROR' },
            fallbackLogic: null,
          }
        : null,
      debit_routing_output: debit,
      reset_approach: 'NO_RESET',
      routing_dimension: routingDimension(request),
      routing_dimension_level: info.paymentMethodType === 'CARD' ? 'CARD_LEVEL' : 'PM_LEVEL',
      is_scheduled_outage: false,
      is_dynamic_mga_enabled: false,
      gateway_mga_id_map: null,
      is_rust_based_decider: true,
      latency: access.now() - started,
      multi_objective_info: null,
    });
  }

  return {
    async decideGateway(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      const started = access.now();
      let request: DecideRequest;
      try {
        request = readDecideRequest(body);
      } catch (e) {
        if (e instanceof EngineInputError) return inputError(e);
        throw e;
      }
      const m = await access.engineMerchantFor(caller, request.merchantId);
      if (!m) return { status: 400, body: deciderError('MERCHANT_NOT_FOUND', 'Merchant not found') };
      const algorithm = request.rankingAlgorithm ?? 'SR_BASED_ROUTING';
      const network = algorithm === 'NTW_BASED_ROUTING' || algorithm === 'NTW_SR_HYBRID_ROUTING';
      if (network && !m.debitRoutingEnabled) return debitRoutingNotEnabled(m.engineMerchantId);
      let debit: DebitRoutingOutput | null = null;
      if (network) {
        const input = readDebitRoutingInput(request.paymentInfo.rawMetadata, await access.configOf(m.engineMerchantId, 'debitRouting'));
        const amountMinor = input ? minorAmount(request) : null;
        debit = input && amountMinor !== null ? debitRoutingOutput(input, amountMinor, request.paymentInfo.currency) : null;
        if (algorithm === 'NTW_BASED_ROUTING') return debit ? networkRoutingAnswer(request, debit) : coBadgedNetworkNotFound;
        // NTW_SR_HYBRID_ROUTING: the success-rate decision, with the networks by cost when they could be ranked.
      }
      const result = await decide(m, request);
      if (!('gateways' in result)) return result;
      return answer(m, request, result, started, debit);
    },
  };
}
