// The external risk provider port (Signifyd-, Riskified- or Sift-like services). A provider answers
// a pre-authorisation call, and optionally a post-authorisation one, within the merchant's
// deadline; the risk service applies fail-open or fail-closed when it does not.
import type { CheckResult, RiskAction, RiskContext } from './types.ts';

export interface RiskVerdict {
  decision: RiskAction;
  score?: number;
  reasons: string[];
  /** The provider's reference for the case. */
  ref?: string;
}

/** A provider's score, or the one its decision implies when it sends none (block 100, review 50, else 0). */
export function verdictScore(verdict: Pick<RiskVerdict, 'decision' | 'score'>): number {
  return verdict.score ?? (verdict.decision === 'block' ? 100 : verdict.decision === 'review' ? 50 : 0);
}

/** A provider's verdict as the check named `check`: its decision, its score, its reasons under the provider's id. */
export function verdictCheck(check: string, providerId: string, verdict: RiskVerdict): CheckResult {
  return {
    check,
    action: verdict.decision,
    score: verdictScore(verdict),
    reasons: verdict.reasons.map((r) => `${providerId}: ${r}`),
    ...(verdict.decision === 'allow' ? {} : { code: 'RISK_PROVIDER_DECLINED' as const }),
  };
}

/** A provider's asynchronous verdict (its webhook), once its signature is verified. */
export interface RiskWebhookVerdict {
  merchantId: string;
  orderId: string;
  verdict: RiskVerdict;
}

export interface RiskProvider {
  id: string;
  /**
   * Verifies and reads the provider's webhook: null when it is not a verdict (ignored); throws
   * RiskWebhookSignatureError when the signature does not match.
   */
  parseWebhook?(headers: Record<string, string | string[] | undefined>, rawBody: string): RiskWebhookVerdict | null;
  preAuth(ctx: RiskContext): Promise<RiskVerdict>;
  postAuth?(ctx: RiskContext, auth: { status: string; gatewayTxnId: string | null }): Promise<RiskVerdict>;
}

export class RiskWebhookSignatureError extends Error {
  constructor(message = 'risk provider webhook signature does not match') {
    super(message);
    this.name = 'RiskWebhookSignatureError';
  }
}
