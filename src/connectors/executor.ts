// One wrapper around every connector call: a deadline, measured latency and a redacted
// structured log event. A timed-out authorisation or sync becomes an UNKNOWN outcome (the
// gateway may have charged the card): it is never thrown and never retried elsewhere.
import {
  ConnectorError,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureOutcome,
  type CardDetails,
  type Connector,
  type ConnectorAccount,
  type IncomingHttpRequest,
  type IncomingWebhook,
  type RefundOutcome,
  type RefundRequest,
  type SyncOutcome,
} from '../core/ports/connector.ts';
import { unifiedError } from './unified-errors.ts';

export type ConnectorOperation = 'authorize' | 'completeAuthentication' | 'syncStatus' | 'capture' | 'void' | 'refund' | 'parseWebhook';

/** A structured log event: never a card number, CVV, token or secret. */
export interface ConnectorCallEvent {
  gateway: string;
  operation: ConnectorOperation;
  accountId: string;
  txnId?: string;
  gatewayTxnId?: string | null;
  outcome: string;
  rawCode?: string;
  latencyMs: number;
  timedOut: boolean;
  error?: { name: string; message: string; kind?: string };
  request?: RedactedAuthorizeRequest;
}

export interface Timed<T> {
  outcome: T;
  latencyMs: number;
  timedOut: boolean;
}

export interface ConnectorExecutorOptions {
  /** Deadline per call (ms). */
  timeoutMs: number;
  /** Per-operation deadlines, overriding `timeoutMs`. */
  timeouts?: Partial<Record<ConnectorOperation, number>>;
  log?: (event: ConnectorCallEvent) => void;
  /** Monotonic clock in ms; defaults to performance.now. */
  clock?: () => number;
}

/**
 * An AuthorizeRequest as the log may show it: without the attempt's uuid, the gateway token and the
 * phone; the card without its number and CVV (the rest masked, see redactAuthorizeRequest).
 */
export type RedactedAuthorizeRequest = Omit<AuthorizeRequest, 'txnUuid' | 'gatewayToken' | 'customerPhone' | 'card'> & {
  card: Omit<CardDetails, 'number' | 'cvv'> | null;
};

function maskMiddle(value: string | null, keepStart: number, keepEnd: number): string | null {
  if (value === null) return null;
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return `${value.slice(0, keepStart)}${'*'.repeat(value.length - keepStart - keepEnd)}${value.slice(value.length - keepEnd)}`;
}

function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const at = email.indexOf('@');
  if (at < 1) return maskMiddle(email, 1, 0);
  return `${email[0]}***${email.slice(at)}`;
}

/** A copy of the request that is safe to log: no PAN, no CVV, no wallet token; PII masked. */
export function redactAuthorizeRequest(request: AuthorizeRequest): RedactedAuthorizeRequest {
  const { card, upi, wallet } = request;
  return {
    txnId: request.txnId,
    orderId: request.orderId,
    merchantId: request.merchantId,
    amount: request.amount,
    currency: request.currency,
    paymentMethodType: request.paymentMethodType,
    paymentMethod: request.paymentMethod,
    authType: request.authType,
    captureMode: request.captureMode,
    card: card
      ? {
          bin: card.bin.slice(0, 6),
          last4: card.last4,
          brand: card.brand,
          type: card.type,
          issuer: card.issuer,
          issuerCountry: card.issuerCountry,
          expMonth: card.expMonth,
          expYear: card.expYear,
          holderName: card.holderName === null ? null : maskMiddle(card.holderName, 1, 0),
        }
      : null,
    upi: upi ? { txnType: upi.txnType, vpa: upi.vpa === null ? null : maskVpa(upi.vpa), app: upi.app } : null,
    wallet: wallet ? { name: wallet.name, directToken: wallet.directToken === null ? null : '[REDACTED]' } : null,
    bank: request.bank,
    customerId: request.customerId,
    customerEmail: maskEmail(request.customerEmail),
    returnUrl: request.returnUrl,
    idempotencyKey: request.idempotencyKey,
  };
}

function maskVpa(vpa: string): string {
  const at = vpa.indexOf('@');
  return at < 0 ? (maskMiddle(vpa, 1, 0) ?? '') : `${maskMiddle(vpa.slice(0, at), 1, 0) ?? ''}${vpa.slice(at)}`;
}

const TIMED_OUT = Symbol('timed-out');

async function withDeadline<T>(work: () => Promise<T>, timeoutMs: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function errorInfo(error: unknown): ConnectorCallEvent['error'] {
  if (error instanceof ConnectorError) return { name: error.name, message: error.message, kind: error.kind };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function timeoutRaw(gatewayTxnId: string | null): { code: string; message: string; gatewayTxnId: string | null } {
  return { code: 'TIMEOUT', message: 'No answer from the gateway before the deadline', gatewayTxnId };
}

export interface ConnectorExecutor {
  authorize(connector: Connector, account: ConnectorAccount, request: AuthorizeRequest): Promise<Timed<AuthorizeOutcome>>;
  completeAuthentication(connector: Connector, account: ConnectorAccount, gatewayTxnId: string, params: Record<string, string>): Promise<Timed<AuthorizeOutcome>>;
  syncStatus(connector: Connector, account: ConnectorAccount, gatewayTxnId: string): Promise<Timed<SyncOutcome>>;
  /** A timed-out capture or void is a FAILURE with TIMEOUT_UNKNOWN (both are idempotent at the gateway: retry). */
  capture(connector: Connector, account: ConnectorAccount, gatewayTxnId: string, amount: number, currency: string, idempotencyKey?: string): Promise<Timed<CaptureOutcome>>;
  void(connector: Connector, account: ConnectorAccount, gatewayTxnId: string, idempotencyKey?: string): Promise<Timed<CaptureOutcome>>;
  /** A timed-out refund is PENDING: sync or a webhook settles it; never refund again with a new key. */
  refund(connector: Connector, account: ConnectorAccount, request: RefundRequest): Promise<Timed<RefundOutcome>>;
  /** No deadline (local work); logged; throws ConnectorError on a bad signature like the connector. */
  parseWebhook(connector: Connector, account: ConnectorAccount, request: IncomingHttpRequest): Promise<IncomingWebhook>;
}

/** A timed-out authorization or status read: the gateway may have acted; sync settles it. */
const unknownAfterTimeout = (gatewayTxnId: string | null) => ({ kind: 'UNKNOWN' as const, raw: timeoutRaw(gatewayTxnId) });
/** A timed-out capture or void: a failure the caller may retry (both are idempotent at the gateway). */
const failedAfterTimeout = (gatewayTxnId: string) => ({ kind: 'FAILURE' as const, raw: timeoutRaw(gatewayTxnId), unified: unifiedError('TIMEOUT_UNKNOWN') });
/** A timed-out refund: pending until sync or a webhook settles it. */
const pendingAfterTimeout = (gatewayTxnId: string) => ({ kind: 'PENDING' as const, raw: timeoutRaw(gatewayTxnId) });

export function createConnectorExecutor(options: ConnectorExecutorOptions): ConnectorExecutor {
  const clock = options.clock ?? (() => performance.now());
  const log = options.log ?? (() => undefined);
  const deadlineOf = (operation: ConnectorOperation): number => options.timeouts?.[operation] ?? options.timeoutMs;

  async function run<T extends { kind: string; raw: { code: string; gatewayTxnId: string | null } }>(
    connector: Connector,
    account: ConnectorAccount,
    operation: ConnectorOperation,
    context: { txnId?: string; gatewayTxnId?: string | null; request?: RedactedAuthorizeRequest },
    work: () => Promise<T>,
    onTimeout: () => T,
  ): Promise<Timed<T>> {
    const started = clock();
    let result: T | typeof TIMED_OUT;
    try {
      result = await withDeadline(work, deadlineOf(operation));
    } catch (error) {
      log({ gateway: connector.name, operation, accountId: account.accountId, ...context, outcome: 'ERROR', latencyMs: Math.round(clock() - started), timedOut: false, error: errorInfo(error) });
      throw error;
    }
    const latencyMs = Math.round(clock() - started);
    const timedOut = result === TIMED_OUT;
    const outcome = result === TIMED_OUT ? onTimeout() : result;
    log({
      gateway: connector.name,
      operation,
      accountId: account.accountId,
      ...context,
      gatewayTxnId: outcome.raw.gatewayTxnId ?? context.gatewayTxnId ?? null,
      outcome: outcome.kind,
      rawCode: outcome.raw.code,
      latencyMs,
      timedOut,
    });
    return { outcome, latencyMs, timedOut };
  }

  return {
    authorize: (connector, account, request) =>
      run(
        connector,
        account,
        'authorize',
        { txnId: request.txnId, request: redactAuthorizeRequest(request) },
        () => connector.authorize(account, request),
        () => unknownAfterTimeout(null),
      ),
    completeAuthentication: (connector, account, gatewayTxnId, params) =>
      run(
        connector,
        account,
        'completeAuthentication',
        { gatewayTxnId },
        () => connector.completeAuthentication(account, gatewayTxnId, params),
        () => unknownAfterTimeout(gatewayTxnId),
      ),
    syncStatus: (connector, account, gatewayTxnId) =>
      run(
        connector,
        account,
        'syncStatus',
        { gatewayTxnId },
        () => connector.syncStatus(account, gatewayTxnId),
        () => unknownAfterTimeout(gatewayTxnId),
      ),
    capture: (connector, account, gatewayTxnId, amount, currency, idempotencyKey) =>
      run(
        connector,
        account,
        'capture',
        { gatewayTxnId },
        () => connector.capture(account, gatewayTxnId, amount, currency, idempotencyKey),
        () => failedAfterTimeout(gatewayTxnId),
      ),
    void: (connector, account, gatewayTxnId, idempotencyKey) =>
      run(
        connector,
        account,
        'void',
        { gatewayTxnId },
        () => connector.void(account, gatewayTxnId, idempotencyKey),
        () => failedAfterTimeout(gatewayTxnId),
      ),
    refund: (connector, account, request) =>
      run(
        connector,
        account,
        'refund',
        { txnId: request.txnId, gatewayTxnId: request.gatewayTxnId },
        () => connector.refund(account, request),
        () => pendingAfterTimeout(request.gatewayTxnId),
      ),
    async parseWebhook(connector, account, request) {
      const started = clock();
      try {
        const webhook = await connector.parseWebhook(account, request);
        log({
          gateway: connector.name,
          operation: 'parseWebhook',
          accountId: account.accountId,
          gatewayTxnId: webhook.kind === 'PAYMENT' ? webhook.gatewayTxnId : null,
          outcome: webhook.kind === 'PAYMENT' ? webhook.outcome.kind : webhook.kind,
          latencyMs: Math.round(clock() - started),
          timedOut: false,
        });
        return webhook;
      } catch (error) {
        log({ gateway: connector.name, operation: 'parseWebhook', accountId: account.accountId, outcome: 'ERROR', latencyMs: Math.round(clock() - started), timedOut: false, error: errorInfo(error) });
        throw error;
      }
    },
  };
}
