// Every Prometheus metric of the service, in one registry per app (tests build many apps in one
// process). The rest of the service records through the small `MetricsRecorder` interface and
// never imports prom-client; the no-op recorder is what runs when metrics are not exposed.
// Labels are bounded: route patterns (never raw URLs), gateway names, payment method types,
// statuses and unified error codes; a merchant label only with METRICS_MERCHANT_LABEL=on.
// Each metric family is registered by its own module under metrics/; this file wires them in the
// order the exposition lists them.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { registerBacklogGauges } from './metrics/backlog-metrics.ts';
import { registerConnectorMetrics } from './metrics/connector-metrics.ts';
import { registerDbPoolGauges } from './metrics/db-pool-metrics.ts';
import { registerGatewayHealthGauges } from './metrics/gateway-health-metrics.ts';
import { registerHttpMetrics } from './metrics/http-metrics.ts';
import { registerPaymentMetrics, registerRoutingMetrics } from './metrics/payment-metrics.ts';
import { registerSandboxEvaluationMetrics, registerSandboxPoolGauges } from './metrics/sandbox-metrics.ts';
import type { MetricFamilyContext, Metrics, MetricsOptions, MetricsRecorder, MetricsSources } from './metrics/types.ts';
import { registerWebhookMetrics } from './metrics/webhook-metrics.ts';

export { boundedLabel } from './metrics/labels.ts';
export type { Metrics, MetricsOptions, MetricsRecorder } from './metrics/types.ts';

export const NOOP_METRICS: MetricsRecorder = {
  enabled: false,
  httpRequest() {},
  paymentOutcome() {},
  routingDecision() {},
  connectorCall() {},
  gatewayHttpCall() {},
  webhookDelivery() {},
  sandboxEvaluation() {},
};

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const prefix = options.prefix ?? 'junction_';
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix });
  let sources: MetricsSources = {};
  const ctx: MetricFamilyContext = { registry, prefix, byMerchant: options.merchantLabel === true, sources: () => sources };

  // Recorded by the adapters.
  const recorders = {
    ...registerHttpMetrics(ctx),
    ...registerPaymentMetrics(ctx),
    ...registerRoutingMetrics(ctx),
    ...registerConnectorMetrics(ctx),
    ...registerWebhookMetrics(ctx),
    ...registerSandboxEvaluationMetrics(ctx),
  };
  // Read at scrape time.
  registerGatewayHealthGauges(ctx);
  registerBacklogGauges(ctx);
  registerDbPoolGauges(ctx);
  registerSandboxPoolGauges(ctx);

  return {
    enabled: true,
    registry,
    contentType: registry.contentType,
    setSources(next) {
      sources = next;
    },
    render: () => registry.metrics(),
    ...recorders,
  };
}
