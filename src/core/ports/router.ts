// The routing seam: the payment path builds the routing engine's own input (a RoutingPayment whose
// accounts also carry the gateway's numeric id), asks a GatewayRouter for the ordered list of
// eligible gateway accounts, and stores the decision it returns on the transaction, as it is.
import type { GatewayAccount, RoutingDecisionRecord, RoutingPayment } from '../../routing/index.ts';

/** A merchant's gateway account as routing sees it: the engine's account and the gateway's id. */
export interface RoutingAccount extends GatewayAccount {
  readonly gatewayId: number;
}

/** One decision's input: the engine's payment, with the merchant's accounts as routing accounts. */
export interface RoutingInput extends RoutingPayment {
  gateways: readonly RoutingAccount[];
}

export interface RoutedGateway {
  accountId: string;
  gateway: string;
  gatewayId: number;
  gatewayReferenceId: string | null;
}

export interface RoutingDecision {
  /** Eligible gateways in the order they may be tried. Empty: no suitable gateway. */
  gateways: RoutedGateway[];
  enforced: boolean;
  /** The whole record of how the decision was made, stored on the transaction as JSON. */
  record: RoutingDecisionRecord;
}

export interface GatewayRouter {
  decide(input: RoutingInput): Promise<RoutingDecision>;
}

function routedGateway(a: RoutingAccount): RoutedGateway {
  return { accountId: a.accountId, gateway: a.gateway, gatewayId: a.gatewayId, gatewayReferenceId: a.gatewayReferenceId };
}

/** The routed gateways behind the engine's chosen account ids (ids not among the input's accounts are skipped). */
export function routedAccounts(input: RoutingInput, accountIds: readonly string[]): RoutedGateway[] {
  const byId = new Map(input.gateways.map((a) => [a.accountId, a]));
  const out: RoutedGateway[] = [];
  for (const id of accountIds) {
    const a = byId.get(id);
    if (a) out.push(routedGateway(a));
  }
  return out;
}
