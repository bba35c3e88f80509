// Turning a matched rule's output into an ordered gateway list.

import { orderBucket } from '../../hash.ts';
import type { GatewayRef, RoutingPayment, RuleOutput } from '../../types.ts';
import { pickWeighted, VOLUME_SALT } from '../volume-routing.ts';

function ref(g: GatewayRef): GatewayRef {
  return g.gatewayReferenceId === undefined ? { gateway: g.gateway } : { gateway: g.gateway, gatewayReferenceId: g.gatewayReferenceId };
}

/** A resolver prepared once per rule: weights pre-extracted, refs pre-built. */
export function prepareOutput(output: RuleOutput): (p: RoutingPayment) => GatewayRef[] {
  switch (output.type) {
    case 'PRIORITY': {
      const list = output.gateways.map(ref);
      return () => list.slice();
    }
    case 'VOLUME_SPLIT': {
      const weights = output.splits.map((s) => s.weight);
      const refs = output.splits.map(ref);
      return (p) => {
        const i = pickWeighted(weights, orderBucket(p.merchantId, p.orderId, VOLUME_SALT));
        return i < 0 ? [] : [refs[i]];
      };
    }
    case 'VOLUME_SPLIT_PRIORITY': {
      const weights = output.splits.map((s) => s.weight);
      const lists = output.splits.map((s) => s.gateways.map(ref));
      return (p) => {
        const i = pickWeighted(weights, orderBucket(p.merchantId, p.orderId, VOLUME_SALT));
        return i < 0 ? [] : lists[i].slice();
      };
    }
  }
}
