// The shapes the metrics speak: what the adapters record, what is read at scrape time, and the
// context every metric family is registered with.
import type { Registry } from 'prom-client';

export interface PaymentOutcomeSample {
  merchantId: string;
  gateway: string | null;
  paymentMethodType: string;
  status: string;
  unifiedError: string | null;
}

export interface ConnectorCallSample {
  gateway: string;
  operation: string;
  outcome: string;
  latencyMs: number;
  timedOut: boolean;
  error?: { name: string } | undefined;
}

export interface GatewayHttpSample {
  gateway: string;
  operation: string;
  status: number | null;
  attempt: number;
  latencyMs: number;
  error?: string | undefined;
}

export interface GatewayHealthSample {
  merchantId: string;
  gateway: string;
  health: 'UP' | 'FLUCTUATE' | 'DOWN';
  mean: number;
  observations: number;
}

export interface BacklogSample {
  outbox: { pending: number; failed: number; oldestPendingAgeSeconds: number };
  statusSync: { unsettled: number; oldestAgeSeconds: number };
}

export interface DbPoolSample {
  engine: string;
  size: number;
  idle: number;
  waiting: number;
}

export interface SandboxStatsSample {
  workers: number;
  busy: number;
  queued: number;
  kills: number;
  rejected: number;
}

/** What the adapters call. Every method is cheap and never throws. */
export interface MetricsRecorder {
  readonly enabled: boolean;
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  paymentOutcome(sample: PaymentOutcomeSample): void;
  routingDecision(logicKind: string, outcome: string): void;
  connectorCall(sample: ConnectorCallSample): void;
  gatewayHttpCall(sample: GatewayHttpSample): void;
  webhookDelivery(outcome: string, lagSeconds: number | null): void;
  sandboxEvaluation(result: string): void;
}

/** Sources read at scrape time (gauges are read, never pushed). */
export interface MetricsSources {
  gatewayHealth?(): Promise<GatewayHealthSample[]>;
  backlog?(): Promise<BacklogSample>;
  dbPool?(): DbPoolSample | null;
  sandbox?(): SandboxStatsSample;
}

export interface Metrics extends MetricsRecorder {
  readonly registry: Registry;
  setSources(sources: MetricsSources): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Adds a merchant_id label to payment outcomes and gateway health (off by default: cardinality). */
  merchantLabel?: boolean;
  /** Process metrics (CPU, memory, event loop lag, GC); on by default. */
  processMetrics?: boolean;
  prefix?: string;
}

/** What a metric family is registered with: the app's registry, the name prefix, and the sources of the moment. */
export interface MetricFamilyContext {
  registry: Registry;
  /** Prepended to every metric name (`junction_` by default). */
  prefix: string;
  /** Whether per-merchant labels are on (METRICS_MERCHANT_LABEL). */
  byMerchant: boolean;
  /** The sources set last by `setSources` (read at scrape time, so a later `setSources` applies). */
  sources(): MetricsSources;
}
