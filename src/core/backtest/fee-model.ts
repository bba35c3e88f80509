// What a payment would have cost at a gateway account, from the merchant's fee schedules.
import { feeFor, scoringConfig, type ScoringConfig } from '../../routing/scoring/index.ts';
import { gatewayFeesFrom } from '../routing-intelligence/fees.ts';
import type { segmentOfRequest } from '../routing-intelligence/segment.ts';

export interface BacktestFeeAccount {
  accountId: string;
  gateway: string;
  fees: Readonly<Record<string, number>>;
}

export type FeeModel = (gateway: string, accountId: string | null | undefined, segment: ReturnType<typeof segmentOfRequest>) => number | null;

/** Fee of a payment at an account (by id, else the gateway's first account with fees), rounded to minor units. */
export function feeModel(accounts: readonly BacktestFeeAccount[]): FeeModel {
  const byAccount = new Map<string, ScoringConfig>();
  const byGateway = new Map<string, ScoringConfig>();
  for (const a of accounts) {
    const f = gatewayFeesFrom(a.fees);
    if (!f) continue;
    const config = scoringConfig({ fees: { [a.gateway]: f } });
    byAccount.set(a.accountId, config);
    if (!byGateway.has(a.gateway)) byGateway.set(a.gateway, config);
  }
  return (gateway, accountId, segment) => {
    const config = (accountId ? byAccount.get(accountId) : undefined) ?? byGateway.get(gateway);
    return config ? feeFor(gateway, segment, config) : null;
  };
}
