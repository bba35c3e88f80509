// The attempts of one transaction call, along the routing decision's gateways.
//
// Safe automatic fallback: a failed attempt moves to the next gateway of the decision only when the
// status table says nothing was charged (technical error before processing, gateway down, and soft
// declines if the merchant allows). Never after a timeout or an unknown outcome, never after a hard
// decline, and never outside the decision's list (an enforced list stays enforced).
import { AppError } from '../errors.ts';
import type { RiskScreenResult } from '../ports/risk-screen.ts';
import type { RoutingDecision } from '../ports/router.ts';
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import type { RoutingSettings } from '../routing-settings.ts';
import { ORDER_CLOSED_STATUSES } from '../status.ts';
import type { AuthorizeAttempt } from './authorize-attempt.ts';
import type { PaymentContext } from './payment-context.ts';
import { txnRiskOf } from './risk-records.ts';
import type { AttemptInput } from './start-attempt.ts';
import type { LastAttempt } from './txn-screening.ts';
import type { Order, Txn, TxnRisk } from './types.ts';

export interface CascadeInput {
  /** What every attempt of this call shares (the gateway, the routing record and the risk record are per attempt). */
  attempt: Omit<AttemptInput, 'chosen' | 'record' | 'risk' | 'holdForReview'>;
  order: Order;
  decision: RoutingDecision;
  settings: Pick<RoutingSettings, 'maxAttempts' | 'retrySoftDeclines'>;
  /** The sequential risk verdict (null: none, or parallel mode). */
  screened: RiskScreenResult | null;
  /** The checks asked for 3-D Secure. */
  challenge: boolean;
  riskSources: TxnRisk['sources'] | undefined;
}

export type CascadeDeps = Pick<PaymentContext, 'now' | 'supportsManualCapture'> & {
  startAttempt: (input: AttemptInput) => Promise<{ order: Order; txn: Txn }>;
  authorizeAttempt: AuthorizeAttempt;
};

export function createRunCascade({ now, supportsManualCapture, startAttempt, authorizeAttempt }: CascadeDeps) {
  return async function runCascade({ attempt, order, decision, settings, screened, challenge, riskSources }: CascadeInput): Promise<LastAttempt> {
    const tried: Array<{ gateway: string; code: string; unified: string | null; retryable: boolean }> = [];
    let last: LastAttempt | null = null;
    const maxAttempts = Math.max(1, settings.maxAttempts);
    for (let index = 0; index < Math.max(1, Math.min(maxAttempts, decision.gateways.length)); index++) {
      const chosen = decision.gateways[index] ?? null;
      const record: RoutingDecisionRecord = index === 0 ? decision.record : { ...decision.record, fallbackAttempt: index, previousAttempts: tried.map((t) => ({ ...t })) };
      let started: { order: Order; txn: Txn };
      try {
        const hold = screened !== null && (screened.assessment.action === 'review' || (challenge && !attempt.card)) && chosen !== null && (supportsManualCapture?.(chosen.gateway) ?? false);
        started = await startAttempt({ ...attempt, chosen, record, risk: screened ? txnRiskOf(screened, hold, now, riskSources) : null, holdForReview: hold });
      } catch (error) {
        // A later attempt that cannot start (limit reached, order changed meanwhile) ends the cascade;
        // the merchant gets the last attempt's answer.
        if (last) break;
        throw error;
      }
      if (!chosen) throw new AppError('GATEWAY_NOT_FOUND');
      const result = await authorizeAttempt(started.txn, chosen, attempt.payment, attempt.card, order);
      last = { order: result.order, txn: result.txn, outcome: result.outcome };
      if (result.outcome.kind !== 'FAILED') break;
      const classified = result.classification;
      const retryable = classified.retryable && (classified.failureClass !== 'SOFT_DECLINE' || settings.retrySoftDeclines);
      tried.push({ gateway: chosen.gateway, code: result.outcome.raw.code, unified: result.txn.errorCode, retryable });
      if (!retryable) break;
      if (ORDER_CLOSED_STATUSES.includes(result.order.status)) break;
    }
    if (!last) throw new AppError('GATEWAY_NOT_FOUND');
    return last;
  };
}
