// Settled payment attempts and the routing decisions of the payment path.
import { Counter } from 'prom-client';
import { boundedLabel } from './labels.ts';
import type { MetricFamilyContext, MetricsRecorder } from './types.ts';

export function registerPaymentMetrics({ registry, prefix: p, byMerchant }: MetricFamilyContext): Pick<MetricsRecorder, 'paymentOutcome'> {
  const payments = new Counter({
    name: `${p}payments_total`,
    help: 'Settled payment attempts by gateway, payment method type, status and unified error code.',
    labelNames: byMerchant ? ['gateway', 'method', 'status', 'unified_error', 'merchant_id'] : ['gateway', 'method', 'status', 'unified_error'],
    registers: [registry],
  });
  return {
    paymentOutcome(s) {
      const labels: Record<string, string> = {
        gateway: boundedLabel(s.gateway),
        method: boundedLabel(s.paymentMethodType),
        status: boundedLabel(s.status),
        unified_error: boundedLabel(s.unifiedError),
      };
      if (byMerchant) labels.merchant_id = boundedLabel(s.merchantId);
      payments.inc(labels);
    },
  };
}

export function registerRoutingMetrics({ registry, prefix: p }: MetricFamilyContext): Pick<MetricsRecorder, 'routingDecision'> {
  const routing = new Counter({
    name: `${p}routing_decisions_total`,
    help: 'Routing decisions of the payment path by logic kind and evaluation outcome.',
    labelNames: ['logic_kind', 'outcome'],
    registers: [registry],
  });
  return {
    routingDecision(logicKind, outcome) {
      routing.inc({ logic_kind: boundedLabel(logicKind), outcome: boundedLabel(outcome) });
    },
  };
}
