// Routing as a service (Juspay decision engine's decide-gateway / update-gateway-score): merchants
// that keep their own payment stack ask us which gateway to use and report how it went. The
// decision is the one the payment path makes (Priority Logic, then ranking); the feedback is the
// one settled payments give.
import type { RankingMode, Segment } from '../../routing/scoring/index.ts';
import { DEFAULT_ORDER } from '../../routing/index.ts';
import { invalidField } from '../errors.ts';
import { parseAmount, parseCurrency } from '../money.ts';
import { AUTH_TYPES, isPaymentMethodType } from '../payment-methods.ts';
import type { RoutingAccount, RoutingDecision, RoutingInput } from '../ports/router.ts';
import type { RoutingIntelligence } from './routing-intelligence.ts';
import { segmentToWire } from './segment.ts';

export interface PaymentInfoInput {
  paymentId?: string;
  amount: number | string;
  currency: string;
  paymentMethodType: string;
  paymentMethod?: string;
  cardBrand?: string;
  cardType?: string;
  cardIssuer?: string;
  cardIssuerBankName?: string;
  cardIsin?: string;
  authType?: string;
  customerId?: string;
  udfs?: Record<string, string>;
  metadata?: Record<string, string>;
  preferredGateway?: string;
  country?: string;
}

export interface DecideGatewayInput {
  merchantId?: string;
  paymentInfo: PaymentInfoInput;
  eligibleGatewayList?: string[];
  rankingAlgorithm?: 'SR_BASED_ROUTING' | 'PL_BASED_ROUTING';
  rankingMode?: RankingMode;
}

export interface UpdateGatewayScoreInput {
  merchantId?: string;
  gateway: string;
  paymentInfo: Omit<PaymentInfoInput, 'amount' | 'currency'> & { amount?: number | string; currency?: string };
  status: string;
  gatewayCode?: string;
  unifiedCode?: string;
  countsAgainstGateway?: boolean;
  paymentId?: string;
}

export interface DecideServiceDeps {
  candidates(merchantId: string): Promise<readonly RoutingAccount[]>;
  decide(request: RoutingInput, options: { rankingMode?: RankingMode }): Promise<RoutingDecision>;
  intelligence: RoutingIntelligence;
  classifyFailure?: (gateway: string, rawCode: string) => Promise<{ countsAgainstGateway: boolean } | null>;
  now?: () => number;
}

const SUCCESS = new Set(['SUCCESS', 'CHARGED', 'AUTHORIZED', 'COD_INITIATED']);
const FAILURE = new Set(['FAILURE', 'FAILED', 'AUTHORIZATION_FAILED', 'JUSPAY_DECLINED']);
const SHOPPER_FAILURE = new Set(['AUTHENTICATION_FAILED', 'USER_ABORTED', 'USER_DROPPED']);

function checkMerchant(merchantId: string, claimed: string | undefined): void {
  if (claimed !== undefined && claimed !== merchantId) throw invalidField('merchantId', 'does not match the API key');
}

/** The scoring segment of a payment as routing as a service describes it (decide and feedback alike). */
export function segmentOf(info: Omit<PaymentInfoInput, 'amount' | 'currency'> & { currency?: string }, amountMinor: number | undefined): Segment {
  const cardBrand = info.cardBrand ?? (info.paymentMethodType === 'CARD' && info.paymentMethod ? info.paymentMethod : null);
  return {
    paymentMethodType: info.paymentMethodType,
    paymentMethod: info.paymentMethod ?? null,
    cardBrand,
    cardType: info.cardType ?? null,
    issuer: info.cardIssuer ?? info.cardIssuerBankName ?? null,
    currency: info.currency ?? null,
    authType: info.authType ?? null,
    ...(amountMinor !== undefined ? { amountMinor } : {}),
  };
}

/** Whether a failed payment counts against its gateway, and what said so (the request, the shopper, the gateway's status table, the default). */
async function failureWeight(deps: DecideServiceDeps, input: UpdateGatewayScoreInput, status: string): Promise<{ counts: boolean; source: string }> {
  if (input.countsAgainstGateway !== undefined) return { counts: input.countsAgainstGateway, source: 'REQUEST' };
  if (SHOPPER_FAILURE.has(status)) return { counts: false, source: 'STATUS' };
  if (input.gatewayCode && deps.classifyFailure) {
    const row = await deps.classifyFailure(input.gateway, input.gatewayCode);
    return { counts: row ? row.countsAgainstGateway : true, source: row ? 'GATEWAY_STATUS_TABLE' : 'DEFAULT' };
  }
  return { counts: true, source: 'DEFAULT' };
}

/** The routing input of a decide request: the payment as the payment path would route it. */
function routingInputOf(
  merchantId: string,
  paymentId: string,
  info: PaymentInfoInput,
  p: { amount: number; currency: string; authType: string | null; segment: Segment; gateways: readonly RoutingAccount[]; nowMillis: number },
): RoutingInput {
  const { segment } = p;
  return {
    merchantId,
    orderId: paymentId,
    txnId: `${merchantId}-${paymentId}-1`,
    amount: p.amount,
    currency: p.currency,
    paymentMethodType: info.paymentMethodType,
    paymentMethod: info.paymentMethod || null,
    authType: p.authType,
    card:
      info.paymentMethodType === 'CARD' || info.cardIsin || info.cardBrand
        ? {
            bin: info.cardIsin?.slice(0, 6) ?? '',
            extendedBin: info.cardIsin || null,
            brand: segment.cardBrand ?? null,
            type: info.cardType ?? null,
            subType: null,
            issuer: segment.issuer ?? null,
            issuerCountry: null,
          }
        : null,
    upi: null,
    wallet: info.paymentMethodType === 'WALLET' ? (info.paymentMethod ?? null) : null,
    bank: info.paymentMethodType === 'NB' ? (info.paymentMethod ?? null) : null,
    emi: null,
    customerId: info.customerId ?? null,
    productId: null,
    description: null,
    udf: info.udfs ?? {},
    metadata: info.metadata ?? {},
    billingCountry: info.country ?? null,
    shippingCountry: null,
    isDomestic: null,
    preferredGateway: info.preferredGateway ?? null,
    preferredReferenceId: null,
    platform: null,
    addToLocker: false,
    nowMillis: p.nowMillis,
    gateways: p.gateways,
  };
}

export function createDecideService(deps: DecideServiceDeps) {
  const now = deps.now ?? Date.now;
  // Decision ids for callers that send no paymentId: unique per process, no entropy needed.
  const instance = Math.random().toString(36).slice(2, 8);
  let sequence = 0;

  return {
    /** `candidates` replaces the merchant's accounts (the decision engine's eligibleGatewayList of opaque names). */
    async decideGateway(merchantId: string, input: DecideGatewayInput, options: { candidates?: readonly RoutingAccount[] } = {}) {
      checkMerchant(merchantId, input.merchantId);
      const info = input.paymentInfo;
      const currency = parseCurrency(info.currency, 'paymentInfo.currency');
      const amount = parseAmount(info.amount, currency, 'paymentInfo.amount');
      if (!isPaymentMethodType(info.paymentMethodType)) throw invalidField('paymentInfo.paymentMethodType', 'is not a supported payment method type');
      const authType = info.authType ?? null;
      if (authType !== null && !(AUTH_TYPES as readonly string[]).includes(authType)) throw invalidField('paymentInfo.authType', `must be one of ${AUTH_TYPES.join(', ')}`);
      let gateways = options.candidates ?? (await deps.candidates(merchantId));
      if (input.eligibleGatewayList && !options.candidates) {
        const allowed = new Set(input.eligibleGatewayList);
        gateways = gateways.filter((c) => allowed.has(c.gateway));
      }
      const segment = segmentOf(info, amount);
      const paymentId = info.paymentId ?? `dg_${instance}${(++sequence).toString(36)}`;
      const request = routingInputOf(merchantId, paymentId, info, { amount, currency, authType, segment, gateways, nowMillis: now() });
      // SR-based ranking unless the caller asks for the logic only; an explicit mode wins.
      const rankingMode: RankingMode | undefined = input.rankingMode ?? (input.rankingAlgorithm === 'PL_BASED_ROUTING' ? undefined : 'WITHIN_LOGIC');
      const decision = await deps.decide(request, rankingMode ? { rankingMode } : {});
      const ranking = decision.record.ranking ?? null;
      const byGateway = new Map((ranking?.gateways ?? []).map((g) => [g.gateway, g]));
      const priorityMap: Record<string, number> = {};
      const labels: Record<string, string> = {};
      for (const g of decision.gateways) {
        if (g.gateway in priorityMap) continue;
        const r = byGateway.get(g.gateway);
        priorityMap[g.gateway] = r?.mean ?? 1;
        labels[g.gateway] = r?.label ?? 'DEFAULT';
      }
      const logicRecord = decision.record.logic;
      const approach = !ranking?.applied ? (logicRecord.kind === 'DEFAULT' || logicRecord.name === DEFAULT_ORDER ? 'DEFAULT' : 'PRIORITY_LOGIC') : ranking.explored ? 'SR_EXPLORATION' : 'SR_SELECTION';
      return {
        segment,
        decided_gateway: decision.gateways[0]?.gateway ?? null,
        decided_account_id: decision.gateways[0]?.accountId ?? null,
        gateway_priority_map: priorityMap,
        gateway_labels: labels,
        routing_approach: approach,
        ranking_mode: ranking?.mode ?? 'OFF',
        enforced: decision.enforced,
        priority_logic_tag: logicRecord.name,
        routing_dimension: segmentToWire(segment),
        payment_id: paymentId,
        gateways: decision.gateways.map((g) => {
          const r = byGateway.get(g.gateway);
          return {
            gateway: g.gateway,
            account_id: g.accountId,
            label: r?.label ?? 'DEFAULT',
            score: r?.score ?? null,
            mean: r?.mean ?? null,
            health: r?.health ?? null,
            fee_minor: r?.feeMinor ?? null,
          };
        }),
        /** The decision record; the merchant API answers it as `decision` (decisionWire), the engine's API does not. */
        record: decision.record,
      };
    },

    async updateGatewayScore(merchantId: string, input: UpdateGatewayScoreInput) {
      checkMerchant(merchantId, input.merchantId);
      const info = input.paymentInfo;
      if (!isPaymentMethodType(info.paymentMethodType)) throw invalidField('paymentInfo.paymentMethodType', 'is not a supported payment method type');
      const currency = info.currency !== undefined ? parseCurrency(info.currency, 'paymentInfo.currency') : undefined;
      const amount = info.amount !== undefined && currency ? parseAmount(info.amount, currency, 'paymentInfo.amount') : undefined;
      const status = input.status.toUpperCase();
      const success = SUCCESS.has(status);
      if (!success && !FAILURE.has(status) && !SHOPPER_FAILURE.has(status))
        throw invalidField('status', 'must be SUCCESS or FAILURE (or a Juspay transaction status such as CHARGED, AUTHORIZATION_FAILED, AUTHENTICATION_FAILED)');
      const { counts, source } = success ? { counts: false, source: 'STATUS' } : await failureWeight(deps, input, status);
      const segment = segmentOf({ ...info, ...(currency ? { currency } : {}) }, amount);
      const result = await deps.intelligence.record(merchantId, { gateway: input.gateway, segment, success, countsAgainstGateway: counts, atMillis: now() });
      return {
        message: 'Success',
        gateway: input.gateway,
        success,
        counts_against_gateway: success ? false : counts,
        classification_source: source,
        counted: result.counted,
        alarms: result.alarms,
      };
    },
  };
}

export type DecideService = ReturnType<typeof createDecideService>;
