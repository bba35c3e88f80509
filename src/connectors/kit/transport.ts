// The one HTTP client every connector's calls go through: undici with pooled keep-alive
// connections, a deadline per call, the provider's idempotency header from our per-attempt key,
// retries only where the request is safe to repeat, a structured log line that never holds a
// header or a body, and per-gateway metrics. Connectors never call fetch themselves.
//
// A gateway that lives in this process (the simulated gateways) is mounted on the same transport
// under an `in-process://<host>` origin: its calls take the same path (deadline, retries, metrics,
// logs), only the bytes never leave the process.
//
// What a failure means for a payment is decided here once:
// - CONNECTION_REFUSED: nothing reached the provider; safe to try another gateway.
// - TIMEOUT / NETWORK: the request may have been processed; the caller must treat the outcome as
//   UNKNOWN and settle it by status sync or webhook, never by charging again.
import { Agent, type Dispatcher, errors as undiciErrors } from 'undici';

export type TransportErrorKind = 'CONNECTION_REFUSED' | 'TIMEOUT' | 'NETWORK';

export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: TransportErrorKind,
    readonly gateway: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }

  /** True when the provider cannot have acted on the request. */
  get nothingSent(): boolean {
    return this.kind === 'CONNECTION_REFUSED';
  }
}

export interface TransportRequest {
  gateway: string;
  /** What the call does (authorize, capture, ...), for logs and metrics. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Our key for this operation; sent in `idempotencyHeader` so a retry is never a second charge. */
  idempotencyKey?: string;
  idempotencyHeader?: string;
  /** Deadline for the whole call, retries included (ms). */
  deadlineMs?: number;
  /**
   * May this answer be retried? Consulted only when the request carries an idempotency key or is a
   * GET (otherwise a retry could act twice). Providers say when: Stripe-Should-Retry, 409, 5xx.
   */
  retryOn?: (response: TransportResponse) => boolean;
  /** For log lines: the account the call is made for. */
  accountId?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface TransportCallEvent {
  gateway: string;
  operation: string;
  method: string;
  /** Origin and path only: no query string (it may hold identifiers), no body, no headers. */
  endpoint: string;
  status: number | null;
  attempt: number;
  latencyMs: number;
  error?: TransportErrorKind;
}

export interface GatewayTransportMetrics {
  calls: number;
  /** Calls answered 5xx, refused, timed out or cut. */
  errors: number;
  timeouts: number;
  retries: number;
  latencyMsTotal: number;
  /** Upper bounds (ms) -> number of calls at most that slow. */
  latencyBuckets: Record<string, number>;
}

/** A request as an in-process gateway receives it. */
export interface InProcessRequest {
  method: TransportRequest['method'];
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

/**
 * A gateway served in this process. It answers like an HTTP server; it may throw a TransportError
 * to stand for the network failing (no answer, a refused connection).
 */
export type InProcessHandler = (request: InProcessRequest) => Promise<TransportResponse>;

export const IN_PROCESS_PROTOCOL = 'in-process:';

export interface HttpTransport {
  request(call: TransportRequest): Promise<TransportResponse>;
  /** Serves `in-process://<host>/...` from `handler`; mounting another handler on a taken host throws. */
  mountInProcess(host: string, handler: InProcessHandler): void;
  metrics(): Record<string, GatewayTransportMetrics>;
  close(): Promise<void>;
}

export interface HttpTransportOptions {
  /** Default deadline per call (ms). */
  deadlineMs?: number;
  /** At most this many retries of a retryable answer. */
  maxRetries?: number;
  /** First backoff between retries (ms), doubled each time. */
  backoffMs?: number;
  /** Keep-alive connections per origin. */
  connections?: number;
  log?: (event: TransportCallEvent) => void;
  /** Another undici dispatcher (tests). */
  dispatcher?: Dispatcher;
  clock?: () => number;
}

const LATENCY_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Infinity];

function emptyMetrics(): GatewayTransportMetrics {
  return { calls: 0, errors: 0, timeouts: 0, retries: 0, latencyMsTotal: 0, latencyBuckets: Object.fromEntries(LATENCY_BUCKETS_MS.map((b) => [String(b), 0])) };
}

function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function classify(error: unknown, gateway: string, timedOut: boolean): TransportError {
  if (timedOut) return new TransportError('No answer from the gateway before the deadline', 'TIMEOUT', gateway);
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new TransportError(`The gateway could not be reached (${code})`, 'CONNECTION_REFUSED', gateway);
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new TransportError('No answer from the gateway before the deadline', 'TIMEOUT', gateway);
  }
  return new TransportError(`The connection to the gateway failed (${code ?? (error instanceof Error ? error.name : 'error')})`, 'NETWORK', gateway);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An in-process gateway's answer, or TIMEOUT when the deadline passes first. */
function answeredInProcess(handler: InProcessHandler | undefined, call: TransportRequest, target: URL, headers: Record<string, string>, signal: AbortSignal): Promise<TransportResponse> {
  if (!handler) return Promise.reject(new TransportError(`Nothing is mounted at ${target.protocol}//${target.host}`, 'CONNECTION_REFUSED', call.gateway));
  const lowered = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return new Promise<TransportResponse>((resolve, reject) => {
    const onAbort = () => reject(new TransportError('No answer from the gateway before the deadline', 'TIMEOUT', call.gateway));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    handler({ method: call.method, path: `${target.pathname}${target.search}`, headers: lowered, body: call.body ?? null }).then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ status: response.status, headers: response.headers, text: response.text });
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof TransportError ? error : new TransportError(`The in-process gateway failed (${error instanceof Error ? error.message : 'error'})`, 'NETWORK', call.gateway));
      },
    );
  });
}

export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const dispatcher = options.dispatcher ?? new Agent({ connections: options.connections ?? 32, keepAliveTimeout: 30_000, pipelining: 1 });
  const ownsDispatcher = !options.dispatcher;
  const clock = options.clock ?? (() => performance.now());
  const maxRetries = options.maxRetries ?? 2;
  const backoffMs = options.backoffMs ?? 50;
  const perGateway = new Map<string, GatewayTransportMetrics>();
  const inProcess = new Map<string, InProcessHandler>();
  const metricsOf = (gateway: string): GatewayTransportMetrics => {
    let m = perGateway.get(gateway);
    if (!m) perGateway.set(gateway, (m = emptyMetrics()));
    return m;
  };

  function record(call: TransportRequest, attempt: number, started: number, status: number | null, error?: TransportErrorKind): void {
    const latencyMs = clock() - started;
    const m = metricsOf(call.gateway);
    m.calls += 1;
    m.latencyMsTotal += latencyMs;
    const bucket = LATENCY_BUCKETS_MS.find((b) => latencyMs <= b)!;
    m.latencyBuckets[String(bucket)]! += 1;
    if (error || (status !== null && status >= 500)) m.errors += 1;
    if (error === 'TIMEOUT') m.timeouts += 1;
    if (attempt > 1) m.retries += 1;
    options.log?.({
      gateway: call.gateway,
      operation: call.operation,
      method: call.method,
      endpoint: endpointOf(call.url),
      status,
      attempt,
      latencyMs: Math.round(latencyMs * 10) / 10,
      ...(error ? { error } : {}),
    });
  }

  async function once(call: TransportRequest, deadlineAt: number, attempt: number): Promise<TransportResponse> {
    const headers: Record<string, string> = { ...(call.headers ?? {}) };
    if (call.idempotencyKey && call.idempotencyHeader) headers[call.idempotencyHeader] = call.idempotencyKey;
    const remaining = Math.max(1, deadlineAt - clock());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), remaining);
    const started = clock();
    try {
      const target = new URL(call.url);
      if (target.protocol === IN_PROCESS_PROTOCOL) {
        const response = await answeredInProcess(inProcess.get(target.host), call, target, headers, controller.signal);
        record(call, attempt, started, response.status);
        return response;
      }
      const response = await dispatcher.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: call.method,
        headers,
        body: call.body ?? null,
        signal: controller.signal,
        headersTimeout: remaining,
        bodyTimeout: remaining,
      });
      const text = await response.body.text();
      record(call, attempt, started, response.statusCode);
      return { status: response.statusCode, headers: flatHeaders(response.headers), text };
    } catch (error) {
      const failure = error instanceof TransportError ? error : classify(error, call.gateway, controller.signal.aborted);
      record(call, attempt, started, null, failure.kind);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async request(call) {
      const deadlineAt = clock() + (call.deadlineMs ?? options.deadlineMs ?? 15_000);
      // A retry could act twice unless the provider deduplicates it (idempotency key) or it only reads.
      const repeatable = call.method === 'GET' || (call.idempotencyKey !== undefined && call.idempotencyHeader !== undefined);
      for (let attempt = 1; ; attempt++) {
        let response: TransportResponse;
        try {
          response = await once(call, deadlineAt, attempt);
        } catch (error) {
          // Refused: nothing was sent, so trying again is always safe while time remains.
          const retry = error instanceof TransportError && (error.nothingSent || (repeatable && error.kind === 'NETWORK'));
          if (!retry || attempt > maxRetries || clock() + backoffMs * 2 ** (attempt - 1) >= deadlineAt) throw error;
          await sleep(backoffMs * 2 ** (attempt - 1));
          continue;
        }
        const retry = repeatable && call.retryOn?.(response) === true;
        if (!retry || attempt > maxRetries || clock() + backoffMs * 2 ** (attempt - 1) >= deadlineAt) return response;
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    },
    mountInProcess(host, handler) {
      const current = inProcess.get(host);
      if (current && current !== handler) throw new Error(`in-process://${host} is already mounted`);
      inProcess.set(host, handler);
    },
    metrics() {
      return Object.fromEntries([...perGateway].map(([gateway, m]) => [gateway, { ...m, latencyBuckets: { ...m.latencyBuckets } }]));
    },
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
