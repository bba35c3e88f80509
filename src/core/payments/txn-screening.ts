// Risk checks around one transaction call, for merchants who run them (the others skip all of
// this): the screening started before routing, and what its verdict does once the gateway answered.
import { newId } from '../crypto.ts';
import type { AuthorizeOutcome } from '../ports/connector.ts';
import type { RiskScreenResult } from '../ports/risk-screen.ts';
import type { RiskContext } from '../../risk/types.ts';
import type { FlatBody } from './input.ts';
import type { LateRisk } from './late-risk.ts';
import type { PaymentContext } from './payment-context.ts';
import type { CardInput, PaymentInput } from './payment-input.ts';
import { readRiskFields, riskContextOf } from './risk-input.ts';
import { cardTestingEventId, isDecline } from './risk-records.ts';
import type { Order, Txn, TxnRisk } from './types.ts';

/** A screening under way: its context, its event id, its (maybe still pending) verdict and the sources the attempt keeps. */
export interface Screening {
  ctx: RiskContext;
  eventId: string;
  pending: Promise<RiskScreenResult | null>;
  sources: NonNullable<TxnRisk['sources']>;
}

/** The last attempt of a transaction call and the gateway's answer to it (null: the gateway was not asked). */
export type LastAttempt = { order: Order; txn: Txn; outcome: AuthorizeOutcome | null };

export type TxnScreeningDeps = Pick<PaymentContext, 'risk' | 'now' | 'log'> & Pick<LateRisk, 'applyLateRisk' | 'applyPostAuth'>;

export function createTxnScreening({ risk: screen, now, log, applyLateRisk, applyPostAuth }: TxnScreeningDeps) {
  /**
   * Risk checks before routing. Sequential (the default): the verdict gates the gateway call and is
   * `screened`. Parallel: the payment goes on while the checks run, and a late verdict is applied
   * once the gateway has answered.
   */
  async function startScreening(
    order: Order,
    payment: PaymentInput,
    card: CardInput | null,
    fingerprint: string | null,
    body: FlatBody,
  ): Promise<{ risk: Screening | null; screened: RiskScreenResult | null }> {
    const riskMode = screen ? await screen.modeFor(order.merchantId) : null;
    if (!screen || !riskMode) return { risk: null, screened: null };
    const ctx = riskContextOf(order, payment, card, fingerprint, readRiskFields(body), now().getTime());
    const eventId = newId('rsk');
    const pending = screen.assess(ctx, eventId).catch((error: unknown) => {
      log('error', 'risk assessment failed', { error: String(error) });
      return null;
    });
    const risk: Screening = { ctx, eventId, pending, sources: { clientIp: ctx.clientIp, customerId: ctx.customerId, bin: ctx.card?.bin ?? null } };
    return { risk, screened: riskMode === 'sequential' ? await risk.pending : null };
  }

  /** After the cascade: a decline counted, a parallel verdict applied, the post-authorisation check asked. */
  async function finishScreening(risk: Screening, final: LastAttempt): Promise<LastAttempt> {
    let last = final;
    const declined = final.outcome !== null && final.outcome !== undefined && isDecline(final.txn, final.outcome);
    // An attempt stored with its risk record was counted by applyOutcome; a parallel-mode attempt
    // (no record yet when the gateway answered) is counted here, under the same event id.
    if (declined && !final.txn.risk)
      await screen!.recordOutcome(risk.ctx, { declined: true }, cardTestingEventId(final.txn)).catch((error: unknown) => log('warn', 'risk outcome not recorded', { error: String(error) }));
    const parallel = await risk.pending;
    if (parallel?.mode === 'parallel') last = { ...last, ...(await applyLateRisk(final.txn, parallel, risk.sources)) };
    // (Not when a webhook settled the attempt first and its post-authorisation check already ran.)
    if (last.txn.risk && !last.txn.risk.postAuth && (last.txn.status === 'AUTHORIZED' || last.txn.status === 'CHARGED')) {
      const afterPostAuth = await applyPostAuth(last.txn, risk.ctx);
      if (afterPostAuth) last = { ...last, ...afterPostAuth };
    }
    return last;
  }

  return { startScreening, finishScreening };
}
