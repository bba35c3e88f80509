// Webhook delivery attempts and their lag (recorded by the delivery worker).
import { Counter, Histogram } from 'prom-client';
import { boundedLabel } from './labels.ts';
import type { MetricFamilyContext, MetricsRecorder } from './types.ts';

export function registerWebhookMetrics({ registry, prefix: p }: MetricFamilyContext): Pick<MetricsRecorder, 'webhookDelivery'> {
  const webhookDeliveries = new Counter({
    name: `${p}webhook_deliveries_total`,
    help: 'Webhook delivery attempts by outcome (DELIVERED, RETRY, FAILED, STALE).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const webhookLag = new Histogram({
    name: `${p}webhook_delivery_lag_seconds`,
    help: 'Time from an event entering the outbox to its successful delivery.',
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600],
    registers: [registry],
  });
  return {
    webhookDelivery(outcome, lagSeconds) {
      webhookDeliveries.inc({ outcome: boundedLabel(outcome) });
      if (lagSeconds !== null) webhookLag.observe(Math.max(0, lagSeconds));
    },
  };
}
