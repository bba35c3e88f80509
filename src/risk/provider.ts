// The external risk provider port (Signifyd-, Riskified- or Sift-like services). A provider answers
// a pre-authorisation call, and optionally a post-authorisation one, within the merchant's
// deadline; the risk service applies fail-open or fail-closed when it does not.
import type { RiskAction, RiskContext } from './types.ts';

export interface RiskVerdict {
  decision: RiskAction;
  score?: number;
  reasons: string[];
  /** The provider's reference for the case. */
  ref?: string;
}

export interface RiskProvider {
  id: string;
  preAuth(ctx: RiskContext): Promise<RiskVerdict>;
  postAuth?(ctx: RiskContext, auth: { status: string; gatewayTxnId: string | null }): Promise<RiskVerdict>;
}
