// The risk port of the payment path: the payment core asks it about an attempt before routing,
// and tells it the gateway's answer afterwards (the card-testing guard counts small declines).
// Implemented by src/risk/risk-service.ts over the merchant's stored setup; absent or answering
// null for a merchant without a risk configuration, so such a merchant's payments are untouched.
import type { CheckResult, RiskAssessment, RiskContext } from '../../risk/types.ts';

export interface RiskScreenResult {
  assessment: RiskAssessment;
  mode: 'sequential' | 'parallel';
}

export interface RiskScreen {
  /** The merchant's mode, or null when it runs no risk checks. Cheap: read before building a context. */
  modeFor(merchantId: string): Promise<'sequential' | 'parallel' | null>;
  /**
   * Runs the checks on an attempt (counting it in velocity windows); null when the merchant has no
   * risk setup. Never rejects: a failing store or provider follows the merchant's fail-open or
   * fail-closed choice inside the answer.
   */
  assess(ctx: RiskContext, eventId: string): Promise<RiskScreenResult | null>;
  /**
   * The provider's post-authorisation verdict on an authorised or charged attempt (its own deadline
   * and fail-open choice inside the answer); null when the merchant's provider has no such call.
   * Never rejects.
   */
  postAuth?(ctx: RiskContext, auth: { status: string; gatewayTxnId: string | null }): Promise<CheckResult | null>;
  /** The gateway's answer for an attempt that went through the checks (feeds the card-testing guard). */
  recordOutcome(ctx: RiskContext, outcome: { declined: boolean }, eventId: string): Promise<void>;
}
