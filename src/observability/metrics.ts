// Every Prometheus metric of the service, in one registry per app (tests build many apps in one
// process). The rest of the service records through the small `MetricsRecorder` interface and
// never imports prom-client; the no-op recorder is what runs when metrics are not exposed.
// Labels are bounded: route patterns (never raw URLs), gateway names, payment method types,
// statuses and unified error codes; a merchant label only with METRICS_MERCHANT_LABEL=on.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

const LABEL_VALUE = /^[A-Za-z0-9_.:/{}*-]{1,80}$/;
/** A label value from a bounded vocabulary, or OTHER when it does not look like one (never an id or free text). */
export function boundedLabel(value: string | null | undefined, none = 'NONE'): string {
  if (value === null || value === undefined || value === '') return none;
  return LABEL_VALUE.test(value) ? value : 'OTHER';
}

const HEALTH_VALUE = { UP: 1, FLUCTUATE: 0.5, DOWN: 0 } as const;

export interface MetricsOptions {
  /** Adds a merchant_id label to payment outcomes and gateway health (off by default: cardinality). */
  merchantLabel?: boolean;
  /** Process metrics (CPU, memory, event loop lag, GC); on by default. */
  processMetrics?: boolean;
  prefix?: string;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const p = options.prefix ?? 'junction_';
  const byMerchant = options.merchantLabel === true;
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: p });
  let sources: MetricsSources = {};

  const http = new Histogram({
    name: `${p}http_request_duration_seconds`,
    help: 'HTTP requests by method, route pattern and status code, with their duration (the _count is the request count).',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const payments = new Counter({
    name: `${p}payments_total`,
    help: 'Settled payment attempts by gateway, payment method type, status and unified error code.',
    labelNames: byMerchant ? ['gateway', 'method', 'status', 'unified_error', 'merchant_id'] : ['gateway', 'method', 'status', 'unified_error'],
    registers: [registry],
  });
  const routing = new Counter({
    name: `${p}routing_decisions_total`,
    help: 'Routing decisions of the payment path by logic kind and evaluation outcome.',
    labelNames: ['logic_kind', 'outcome'],
    registers: [registry],
  });
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
  const sandboxEvaluations = new Counter({
    name: `${p}sandbox_evaluations_total`,
    help: 'Code-based logic evaluations by result (OK, TIMEOUT, or the failure reason).',
    labelNames: ['result'],
    registers: [registry],
  });

  // Read at scrape time.
  const healthLabels = byMerchant ? ['gateway', 'merchant_id'] : ['gateway'];
  const gatewayHealth = new Gauge({
    name: `${p}gateway_health`,
    help: 'Gateway health from live scores: 1 UP, 0.5 FLUCTUATE, 0 DOWN (the worst across merchants unless per merchant).',
    labelNames: healthLabels,
    registers: [registry],
  });
  const gatewaySuccess = new Gauge({
    name: `${p}gateway_success_rate_estimate`,
    help: 'Estimated success rate of a gateway from live scores (weighted by observations across merchants unless per merchant).',
    labelNames: healthLabels,
    registers: [registry],
  });
  const healthCollect = async (): Promise<void> => {
    const samples = (await sources.gatewayHealth?.().catch(() => [])) ?? [];
    gatewayHealth.reset();
    gatewaySuccess.reset();
    if (byMerchant) {
      for (const s of samples) {
        const labels = { gateway: boundedLabel(s.gateway), merchant_id: boundedLabel(s.merchantId) };
        gatewayHealth.set(labels, HEALTH_VALUE[s.health]);
        gatewaySuccess.set(labels, s.mean);
      }
      return;
    }
    const per = new Map<string, { health: number; weighted: number; weight: number; sum: number; n: number }>();
    for (const s of samples) {
      const g = per.get(s.gateway) ?? { health: 1, weighted: 0, weight: 0, sum: 0, n: 0 };
      g.health = Math.min(g.health, HEALTH_VALUE[s.health]);
      g.weighted += s.mean * s.observations;
      g.weight += s.observations;
      g.sum += s.mean;
      g.n += 1;
      per.set(s.gateway, g);
    }
    for (const [gateway, g] of per) {
      gatewayHealth.set({ gateway: boundedLabel(gateway) }, g.health);
      gatewaySuccess.set({ gateway: boundedLabel(gateway) }, g.weight > 0 ? g.weighted / g.weight : g.sum / g.n);
    }
  };
  // Both health gauges come from one read; the first gauge's collect does it.
  let healthRead: Promise<void> | null = null;
  const readHealthOnce = (): Promise<void> => (healthRead ??= healthCollect().finally(() => setTimeout(() => (healthRead = null), 0).unref()));
  Object.assign(gatewayHealth, { collect: readHealthOnce });
  Object.assign(gatewaySuccess, { collect: readHealthOnce });

  let backlogRead: Promise<BacklogSample | null> | null = null;
  const readBacklog = (): Promise<BacklogSample | null> =>
    (backlogRead ??= (sources.backlog?.() ?? Promise.resolve(null)).catch(() => null).finally(() => setTimeout(() => (backlogRead = null), 0).unref()));
  const backlogGauge = (name: string, help: string, labelNames: string[], pick: (b: BacklogSample, set: (labels: Record<string, string>, v: number) => void) => void) =>
    new Gauge({
      name: `${p}${name}`, help, labelNames, registers: [registry],
      async collect() {
        const b = await readBacklog();
        this.reset();
        if (b) pick(b, (labels, v) => this.set(labels, v));
      },
    });
  backlogGauge('webhook_outbox_events', 'Webhook outbox events not delivered, by state (PENDING: waiting or retrying; FAILED: retries exhausted).', ['state'], (b, set) => {
    set({ state: 'PENDING' }, b.outbox.pending);
    set({ state: 'FAILED' }, b.outbox.failed);
  });
  backlogGauge('webhook_outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered PENDING outbox event (0 when none): the delivery lag now.', [], (b, set) => set({}, b.outbox.oldestPendingAgeSeconds));
  backlogGauge('status_sync_backlog', 'Payment attempts whose outcome is not settled yet (the status sync works them off).', [], (b, set) => set({}, b.statusSync.unsettled));
  backlogGauge('status_sync_oldest_age_seconds', 'Age of the oldest unsettled payment attempt since its last update (0 when none).', [], (b, set) => set({}, b.statusSync.oldestAgeSeconds));

  const poolGauge = (name: string, help: string, pick: (s: DbPoolSample) => number) =>
    new Gauge({
      name: `${p}${name}`, help, labelNames: ['engine'], registers: [registry],
      collect() {
        this.reset();
        const s = sources.dbPool?.();
        if (s) this.set({ engine: s.engine }, pick(s));
      },
    });
  poolGauge('db_pool_connections', 'Database connections open (PGlite: 1).', (s) => s.size);
  poolGauge('db_pool_connections_idle', 'Database connections idle.', (s) => s.idle);
  poolGauge('db_pool_waiting', 'Queries or transactions waiting for a connection.', (s) => s.waiting);

  const sandboxGauge = (name: string, help: string, pick: (s: SandboxStatsSample) => number) =>
    new Gauge({
      name: `${p}${name}`, help, registers: [registry],
      collect() {
        const s = sources.sandbox?.();
        this.set(s ? pick(s) : 0);
      },
    });
  sandboxGauge('sandbox_workers', 'Sandbox worker threads.', (s) => s.workers);
  sandboxGauge('sandbox_workers_busy', 'Sandbox workers evaluating now.', (s) => s.busy);
  sandboxGauge('sandbox_queued', 'Evaluations waiting for a sandbox worker.', (s) => s.queued);
  // Monotonic counts kept by the pool, exposed as counters read at scrape time.
  new Counter({
    name: `${p}sandbox_worker_kills_total`, help: 'Sandbox workers stopped from outside for overrunning the hard deadline.', registers: [registry],
    collect() {
      const s = sources.sandbox?.();
      this.reset();
      if (s) this.inc(s.kills);
    },
  });
  new Counter({
    name: `${p}sandbox_rejected_total`, help: "Evaluations refused (a merchant's queue full or its lane suspended).", registers: [registry],
    collect() {
      const s = sources.sandbox?.();
      this.reset();
      if (s) this.inc(s.rejected);
    },
  });

  const statusClass = (status: number | null, error: string | undefined): string => (error ? boundedLabel(error) : status === null ? 'NONE' : `${Math.floor(status / 100)}xx`);

  return {
    enabled: true,
    registry,
    contentType: registry.contentType,
    setSources(next) {
      sources = next;
    },
    render: () => registry.metrics(),
    httpRequest(method, route, statusCode, seconds) {
      http.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
    paymentOutcome(s) {
      const labels: Record<string, string> = { gateway: boundedLabel(s.gateway), method: boundedLabel(s.paymentMethodType), status: boundedLabel(s.status), unified_error: boundedLabel(s.unifiedError) };
      if (byMerchant) labels.merchant_id = boundedLabel(s.merchantId);
      payments.inc(labels);
    },
    routingDecision(logicKind, outcome) {
      routing.inc({ logic_kind: boundedLabel(logicKind), outcome: boundedLabel(outcome) });
    },
    connectorCall(s) {
      const result = s.timedOut ? 'TIMEOUT' : s.outcome === 'ERROR' ? 'ERROR' : 'ANSWERED';
      connectorLatency.observe({ gateway: boundedLabel(s.gateway), operation: boundedLabel(s.operation), result }, s.latencyMs / 1000);
      if (result !== 'ANSWERED') connectorErrors.inc({ gateway: boundedLabel(s.gateway), operation: boundedLabel(s.operation), kind: result === 'TIMEOUT' ? 'TIMEOUT' : boundedLabel(s.error?.name, 'ERROR') });
    },
    gatewayHttpCall(s) {
      gatewayHttp.observe({ gateway: boundedLabel(s.gateway), operation: boundedLabel(s.operation), status_class: statusClass(s.status, s.error) }, s.latencyMs / 1000);
      if (s.attempt > 1) gatewayHttpRetries.inc({ gateway: boundedLabel(s.gateway) });
    },
    webhookDelivery(outcome, lagSeconds) {
      webhookDeliveries.inc({ outcome: boundedLabel(outcome) });
      if (lagSeconds !== null) webhookLag.observe(Math.max(0, lagSeconds));
    },
    sandboxEvaluation(result) {
      sandboxEvaluations.inc({ result: boundedLabel(result) });
    },
  };
}
