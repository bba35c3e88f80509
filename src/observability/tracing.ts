// OpenTelemetry traces of the payment path (HTTP request, routing decision, connector call,
// database queries), exported over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// The tracer provider is not registered globally: each app has its own (tests build several),
// and the current span travels in this module's AsyncLocalStorage rather than a global context
// manager. Attributes carry names, codes and ids of our own; never card data or request bodies.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';

export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` in a child span of the current one (or a root span when `root` is set and there is none). */
  inSpan<T>(name: string, attributes: Attributes, fn: (span: Span | null) => Promise<T>, options?: { root?: boolean; kind?: SpanKind }): Promise<T>;
  /**
   * Starts the span of a request; `run` executes code with it as the current span. With a valid
   * W3C `traceparent` header the span continues the caller's trace (its child, sampled as the
   * caller decided); otherwise it is a root.
   */
  startRequestSpan(name: string, attributes: Attributes, traceparent?: string | string[]): { span: Span; run<T>(fn: () => T): T } | null;
  /** True when a span is current (database queries are traced only inside a traced operation). */
  active(): boolean;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export const NOOP_TRACING: Tracing = {
  enabled: false,
  inSpan: (_name, _attributes, fn) => fn(null),
  startRequestSpan: () => null,
  active: () => false,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

export interface TracingOptions {
  /** OTLP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to <endpoint>/v1/traces. */
  endpoint: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full traces URL, over the base. */
  tracesEndpoint?: string | undefined;
  serviceName?: string;
  /** Extra headers (OTEL_EXPORTER_OTLP_HEADERS, "k=v,k2=v2"). */
  headers?: Record<string, string>;
  /** Batch delay (ms) before spans are sent. */
  scheduledDelayMs?: number;
  /** Share of requests traced, 0..1 (OTEL_TRACES_SAMPLER_ARG; default 1): a request's spans are all kept or all dropped. */
  sampleRatio?: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/**
 * The caller's span from a W3C Trace Context `traceparent` header (version 00, or a later version
 * read as 00 per the spec), or null when absent or malformed: version ff, an all-zero trace or
 * span id, or a version-00 header with anything after the flags.
 */
export function parseTraceparent(header: string | string[] | undefined): SpanContext | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.length > 512) return null;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return null;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  if (version === '00' && value.trim().length !== 55) return null;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & 1, isRemote: true };
}

export function tracesUrl(options: Pick<TracingOptions, 'endpoint' | 'tracesEndpoint'>): string {
  if (options.tracesEndpoint) return options.tracesEndpoint;
  return `${options.endpoint.replace(/\/$/, '')}/v1/traces`;
}

export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    headers[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return headers;
}

export function createTracing(options: TracingOptions): Tracing {
  const exporter = new OTLPTraceExporter({ url: tracesUrl(options), headers: options.headers ?? {} });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'junction' }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduledDelayMs ?? 2_000 })],
  });
  const tracer: Tracer = provider.getTracer('junction');
  const current = new AsyncLocalStorage<Context>();

  const finish = (span: Span, error?: unknown): void => {
    if (error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      if (error instanceof Error) span.setAttribute('error.type', error.name);
    }
    span.end();
  };

  return {
    enabled: true,
    async inSpan(name, attributes, fn, spanOptions = {}) {
      const parent = current.getStore();
      if (!parent && !spanOptions.root) return fn(null);
      // An unsampled request: its children would be dropped too, so do not make them.
      if (parent && !trace.getSpan(parent)?.isRecording()) return fn(null);
      const context = parent ?? ROOT_CONTEXT;
      const span = tracer.startSpan(name, { attributes, kind: spanOptions.kind ?? SpanKind.INTERNAL }, context);
      try {
        const value = await current.run(trace.setSpan(context, span), () => fn(span));
        finish(span);
        return value;
      } catch (error) {
        finish(span, error);
        throw error;
      }
    },
    startRequestSpan(name, attributes, traceparent) {
      const caller = parseTraceparent(traceparent);
      const parent = caller ? trace.setSpanContext(ROOT_CONTEXT, caller) : ROOT_CONTEXT;
      const span = tracer.startSpan(name, { attributes, kind: SpanKind.SERVER }, parent);
      const context = trace.setSpan(parent, span);
      return { span, run: (fn) => current.run(context, fn) };
    },
    active: () => {
      const context = current.getStore();
      return context !== undefined && trace.getSpan(context)?.isRecording() === true;
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
