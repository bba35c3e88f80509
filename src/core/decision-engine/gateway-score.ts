// /update-gateway-score and the legacy /update-score: a payment's outcome fed back to the gateway's
// score, only after a matching decision (the engine's contract).
import type { Segment } from '../../routing/scoring/index.ts';
import { EngineInputError, deciderError, outcomeOf, readLegacyScoreUpdate, readScoreUpdate } from './engine-wire.ts';
import { inputError, ok, type DecisionEngineDeps, type EngineAccess, type EngineAnswer, type EngineCaller } from './engine-access.ts';

export function gatewayScoreCalls(deps: DecisionEngineDeps, access: EngineAccess) {
  return {
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
      const m = await access.engineMerchantFor(caller, update.merchantId);
      if (!m) return { status: 400, body: deciderError('MERCHANT_NOT_FOUND', 'Merchant not found') };
      // The legacy route answers the text Success.
      const answer: EngineAnswer = legacy
        ? { status: 200, body: 'Success', text: true }
        : ok({ message: 'Gateway score updated successfully', merchant_id: update.merchantId, gateway: update.gateway, payment_id: update.paymentId, gsm_info: null });
      const key = access.contextKey(m.engineMerchantId, update.paymentId);
      const context = await deps.contexts.get(key);
      const outcome = outcomeOf(update.status, update.enforceDynamicRoutingFailure);
      if (!context?.gateways.includes(update.gateway)) {
        deps.log?.('decision engine feedback without a matching decision: dropped (GATEWAY_SCORING_DATA_NOT_FOUND)', {
          merchant: update.merchantId,
          payment: update.paymentId,
          gateway: update.gateway,
        });
        return answer;
      }
      if (outcome === 'PENDING') return answer;
      // Once per (payment, gateway): a repeated update is acknowledged and ignored.
      const doneKey = `${key}\u0001${update.gateway}`;
      if (await deps.contexts.get(doneKey)) return answer;
      await deps.contexts.put(doneKey, { ...context, gateways: [] });
      const shopperFault = update.status === 'AUTHENTICATION_FAILED' && !update.enforceDynamicRoutingFailure;
      await deps.record(m.merchantId, {
        gateway: context.names?.[update.gateway] ?? update.gateway,
        segment: context.segment as unknown as Segment,
        success: outcome === 'SUCCESS',
        countsAgainstGateway: outcome === 'FAILURE' && !shopperFault,
        atMillis: access.now(),
      });
      return answer;
    },
  };
}
