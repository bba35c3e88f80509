// Volume-based routing: a deterministic weighted draw per order.

import { BUCKETS, orderBucket } from '../hash.ts';
import { structuralErrors } from '../validate.ts';
import type { CompiledLogic, GatewayRef, RoutingPayment, VolumeLogic } from '../types.ts';

export const VOLUME_SALT = 'volume';

/**
 * Picks the index of a weighted part for a bucket in 0..9999. Weights are percentages (sum 100);
 * a part of weight w owns w*100 consecutive buckets. Zero-weight parts are never picked.
 */
export function pickWeighted(weights: readonly number[], bucket: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return -1;
  // Scale so the weights always cover all buckets even if they do not sum to exactly 100.
  const point = bucket * total; // integer arithmetic: exact at every boundary
  let acc = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    acc += weights[i];
    last = i;
    if (point < acc * BUCKETS) return i;
  }
  return last;
}

export function volumeBucket(p: RoutingPayment): number {
  return orderBucket(p.merchantId, p.orderId, VOLUME_SALT);
}

export function compileVolumeLogic(logic: VolumeLogic): CompiledLogic {
  const weights = logic.splits.map((s) => s.weight);
  const refs: GatewayRef[] = logic.splits.map((s) => (s.gatewayReferenceId === undefined ? { gateway: s.gateway } : { gateway: s.gateway, gatewayReferenceId: s.gatewayReferenceId }));
  const compileErrors = structuralErrors(logic);
  return {
    kind: 'VOLUME',
    name: logic.name,
    enforce: logic.enforce,
    defaultGateways: logic.defaultGateways,
    compileErrors,
    source: logic,
    evaluate(p) {
      if (compileErrors.length > 0) return { ok: false, reason: 'COMPILATION_ERROR', message: compileErrors.join('; ') };
      const i = pickWeighted(weights, volumeBucket(p));
      if (i < 0) return { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'all volume weights are zero' };
      return { ok: true, gateways: [refs[i]], enforced: logic.enforce, outcome: 'VOLUME_SPLIT' };
    },
    dispose() {},
  };
}
