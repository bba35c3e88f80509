// Connector operations (what the executor sees) and the HTTP calls real connectors make to gateway APIs.
import { Counter, Histogram } from 'prom-client';
import { boundedLabel } from './labels.ts';
import type { MetricFamilyContext, MetricsRecorder } from './types.ts';

export function registerConnectorMetrics({ registry, prefix: p }: MetricFamilyContext): Pick<MetricsRecorder, 'connectorCall' | 'gatewayHttpCall'> {
  const connectorLatency = new Histogram({
    name: `${p}connector_call_duration_seconds`,
    help: 'Connector operations (authorize, sync, capture, refund, ...) by gateway, operation and outcome kind, with their duration.',
    labelNames: ['gateway', 'operation', 'result'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const connectorErrors = new Counter({
    name: `${p}connector_call_errors_total`,
    help: 'Connector operations that threw or timed out (not declines), by gateway, operation and kind.',
    labelNames: ['gateway', 'operation', 'kind'],
    registers: [registry],
  });
  const gatewayHttp = new Histogram({
    name: `${p}gateway_http_request_duration_seconds`,
    help: 'HTTP calls of real connectors to gateway APIs (each retry counted), by gateway, operation and status class.',
    labelNames: ['gateway', 'operation', 'status_class'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const gatewayHttpRetries = new Counter({
    name: `${p}gateway_http_retries_total`,
    help: 'Retried HTTP calls to gateway APIs, by gateway.',
    labelNames: ['gateway'],
    registers: [registry],
  });

  const statusClass = (status: number | null, error: string | undefined): string => (error ? boundedLabel(error) : status === null ? 'NONE' : `${Math.floor(status / 100)}xx`);

  return {
    connectorCall(s) {
      const result = s.timedOut ? 'TIMEOUT' : s.outcome === 'ERROR' ? 'ERROR' : 'ANSWERED';
      connectorLatency.observe({ gateway: boundedLabel(s.gateway), operation: boundedLabel(s.operation), result }, s.latencyMs / 1000);
      if (result !== 'ANSWERED')
        connectorErrors.inc({ gateway: boundedLabel(s.gateway), operation: boundedLabel(s.operation), kind: result === 'TIMEOUT' ? 'TIMEOUT' : boundedLabel(s.error?.name, 'ERROR') });
    },
    gatewayHttpCall(s) {
      gatewayHttp.observe({ gateway: boundedLabel(s.gateway), operation: boundedLabel(s.operation), status_class: statusClass(s.status, s.error) }, s.latencyMs / 1000);
      if (s.attempt > 1) gatewayHttpRetries.inc({ gateway: boundedLabel(s.gateway) });
    },
  };
}
