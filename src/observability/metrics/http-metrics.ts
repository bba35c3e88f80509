// HTTP requests served, by route pattern (never the raw URL).
import { Histogram } from 'prom-client';
import type { MetricFamilyContext, MetricsRecorder } from './types.ts';

export function registerHttpMetrics({ registry, prefix: p }: MetricFamilyContext): Pick<MetricsRecorder, 'httpRequest'> {
  const http = new Histogram({
    name: `${p}http_request_duration_seconds`,
    help: 'HTTP requests by method, route pattern and status code, with their duration (the _count is the request count).',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    httpRequest(method, route, statusCode, seconds) {
      http.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
  };
}
