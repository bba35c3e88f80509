// The gateway connectors as the payment service sees them: every call goes through the executor
// (timeouts, idempotency keys, redacted logs) and is traced; the real ones share one HTTP transport.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Connector } from '../core/ports/connector.ts';
import { createConnectorExecutor, type ConnectorExecutor } from '../connectors/executor.ts';
import { createHttpTransport, type HttpTransport } from '../connectors/kit/transport.ts';
import { createConnectorRegistry, type ConnectorRegistry } from '../connectors/registry.ts';
import type { SimulatorFleet } from '../connectors/simulator/simulator-fleet.ts';
import { tracedConnector } from '../observability/instrument.ts';
import type { MetricsRecorder } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';

function executedConnector(connector: Connector, executor: ConnectorExecutor): Connector {
  return {
    name: connector.name,
    capabilities: connector.capabilities,
    authorize: async (account, request) => (await executor.authorize(connector, account, request)).outcome,
    completeAuthentication: async (account, id, params) => (await executor.completeAuthentication(connector, account, id, params)).outcome,
    syncStatus: async (account, id) => (await executor.syncStatus(connector, account, id)).outcome,
    capture: async (account, id, amount, currency, key) => (await executor.capture(connector, account, id, amount, currency, key)).outcome,
    void: async (account, id, key) => (await executor.void(connector, account, id, key)).outcome,
    refund: async (account, request) => (await executor.refund(connector, account, request)).outcome,
    parseWebhook: (account, request) => executor.parseWebhook(connector, account, request),
  };
}

export interface ConnectorWiring {
  config: Config;
  simulator: SimulatorFleet;
  /** Gateway call deadline (default 15 s). */
  timeoutMs: number | undefined;
  /** API origins per gateway, lowest precedence first (demo emulators, config, test overrides). */
  baseUrls: Record<string, string>;
  recorder: MetricsRecorder;
  tracing: Tracing;
  log: FastifyBaseLogger;
}

export interface WiredConnectors {
  /** By gateway name, executed and traced. */
  connectors: Map<string, Connector>;
  registry: ConnectorRegistry;
  /** The one HTTP client of the real connectors (its metrics; closed with the app). */
  transport: HttpTransport;
}

export function wireConnectors({ config, simulator, timeoutMs, baseUrls, recorder, tracing, log }: ConnectorWiring): WiredConnectors {
  const executor = createConnectorExecutor({
    timeoutMs: timeoutMs ?? 15_000,
    log: (event) => {
      log.debug({ connector: event }, 'gateway call');
      recorder.connectorCall(event);
    },
  });
  // The one HTTP client of every real connector: pooled connections, deadlines, safe retries, redacted logs.
  const transport = createHttpTransport({
    deadlineMs: timeoutMs ?? 15_000,
    log: (event) => {
      log.debug({ gatewayCall: event }, 'gateway http call');
      recorder.gatewayHttpCall(event);
    },
  });
  const registry = createConnectorRegistry({ simulator, publicBaseUrl: config.publicBaseUrl, transport, baseUrls });
  const connectors = new Map(registry.names().map((name) => [name, tracedConnector(executedConnector(registry.get(name)!, executor), tracing)]));
  return { connectors, registry, transport };
}
