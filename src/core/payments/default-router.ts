// The plain router behind the routing seam: the merchant's enabled gateway accounts that can
// take the payment, by account priority, with the order's preferred gateway first.
import { accountIneligibility } from '../../routing/index.ts';
import { routedGateway, type GatewayRouter, type RoutingDecision, type RoutingInput } from '../ports/router.ts';

export function createDefaultRouter(): GatewayRouter {
  return {
    async decide(input: RoutingInput): Promise<RoutingDecision> {
      const ref = input.preferredReferenceId ?? null;
      const drops: Array<{ gateway: string; account_id: string; reason: string }> = [];
      const eligible = input.gateways.filter((c) => {
        const reason = accountIneligibility(c, input);
        if (reason) drops.push({ gateway: c.gateway, account_id: c.accountId, reason });
        // A gateway reference id on the order picks one credential set among a gateway's accounts.
        else if (ref && c.gatewayReferenceId !== ref && input.gateways.some((o) => o.gateway === c.gateway && o.gatewayReferenceId === ref)) {
          drops.push({ gateway: c.gateway, account_id: c.accountId, reason: 'OTHER_GATEWAY_REFERENCE_ID' });
          return false;
        }
        return reason === null;
      });
      const ordered = [...eligible].sort((a, b) => a.priority - b.priority || a.gateway.localeCompare(b.gateway));
      if (input.preferredGateway) {
        const index = ordered.findIndex((c) => c.gateway === input.preferredGateway);
        if (index > 0) ordered.unshift(...ordered.splice(index, 1));
      }
      const gateways = ordered.map(routedGateway);
      return {
        gateways,
        enforced: false,
        record: {
          logic: { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
          evaluation_status: gateways.length ? 'SUCCESS' : 'FAILURE',
          failure_reason: gateways.length ? 'NO_ERROR' : 'NO_ELIGIBLE_GATEWAY',
          preferred_gateway: input.preferredGateway,
          eligibility_drops: drops,
          final_gateways: gateways.map((g) => g.gateway),
          decided_gateway: gateways[0]?.gateway ?? null,
        },
      };
    },
  };
}
