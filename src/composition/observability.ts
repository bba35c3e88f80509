// Metrics and traces for buildApp: collected only when something can read them.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { RoutingIntelligence } from '../core/routing-intelligence/routing-intelligence.ts';
import type { EvaluatorPool } from '../sandbox/evaluator-pool.ts';
import { readBacklog } from '../storage/backlog-repository.ts';
import type { Db } from '../storage/db.ts';
import { NoQuery } from '../http/schemas.ts';
import { metricsHandler, startMetricsServer } from '../observability/fastify-hooks.ts';
import { createMetrics, NOOP_METRICS, type Metrics, type MetricsRecorder } from '../observability/metrics.ts';
import type { MetricsSources } from '../observability/metrics/types.ts';
import { createTracing, NOOP_TRACING, parseOtlpHeaders, type Tracing } from '../observability/tracing.ts';

export interface Observability {
  /** The Prometheus registry, when metrics are exposed (METRICS_TOKEN or METRICS_PORT); null otherwise. */
  metrics: Metrics | null;
  /** Where the parts record: the registry, or a recorder that drops everything. */
  recorder: MetricsRecorder;
  tracing: Tracing;
}

export function createObservability(config: Config): Observability {
  // Metrics are collected only when something can read them (a token or a port of their own);
  // traces only when there is an OTLP endpoint to send them to (docs/operations.md).
  const observability = config.observability;
  const metrics = observability && (observability.metricsToken || observability.metricsPort !== undefined) ? createMetrics({ merchantLabel: observability.merchantLabel }) : null;
  const recorder: MetricsRecorder = metrics ?? NOOP_METRICS;
  const tracing: Tracing =
    observability && (observability.otlpEndpoint || observability.otlpTracesEndpoint)
      ? createTracing({
          endpoint: observability.otlpEndpoint ?? '',
          tracesEndpoint: observability.otlpTracesEndpoint,
          serviceName: observability.serviceName,
          headers: parseOtlpHeaders(observability.otlpHeaders),
          sampleRatio: observability.traceSampleRatio,
        })
      : NOOP_TRACING;
  return { metrics, recorder, tracing };
}

/** Gives the registry what it reads at scrape time and, with METRICS_TOKEN and no METRICS_PORT, serves /metrics on the app. */
export function exposeMetrics(app: FastifyInstance, config: Config, metrics: Metrics | null, sources: MetricsSources): void {
  const observability = config.observability;
  metrics?.setSources(sources);
  // /metrics on this port only with a token; with METRICS_PORT it has a listener of its own.
  if (metrics && observability?.metricsToken && observability.metricsPort === undefined) {
    app.get('/metrics', { schema: { hide: true, querystring: NoQuery } }, metricsHandler(metrics, observability.metricsToken));
  }
}

/** The separate metrics listener (METRICS_PORT), started once the app is ready; null without one. */
export async function startMetricsListener(config: Config, metrics: Metrics | null): Promise<{ port: number; close(): Promise<void> } | null> {
  const observability = config.observability;
  return metrics && observability?.metricsPort !== undefined
    ? await startMetricsServer({ metrics, port: observability.metricsPort, host: observability.metricsHost, token: observability.metricsToken })
    : null;
}

/** What the registry reads at scrape time: gateway health of the merchants seen, backlogs, the database pool, the sandbox. */
export function metricsSources(deps: { scoring: RoutingIntelligence; merchantsSeen: ReadonlySet<string>; rawDb: Db; codeEvaluator: EvaluatorPool }): MetricsSources {
  const { scoring, merchantsSeen, rawDb, codeEvaluator } = deps;
  return {
    gatewayHealth: async () => {
      const samples = await Promise.all(
        [...merchantsSeen].map(async (merchantId) =>
          (await scoring.health(merchantId, null)).gateways.map((g) => ({ merchantId, gateway: g.gateway, health: g.health, mean: g.mean, observations: g.observations })),
        ),
      );
      return samples.flat();
    },
    backlog: () => readBacklog(rawDb),
    dbPool: () => {
      const stats = rawDb.poolStats?.();
      return stats ? { engine: rawDb.engine, ...stats } : null;
    },
    sandbox: () => codeEvaluator.stats(),
  };
}
