// The simulated gateways seen through the Connector port: what a real connector's HTTP client
// would do (send, wait, map the answer) done against the in-process simulators. Every call goes
// to the simulator of the account's merchant: one merchant never reaches another's payments.
import { constantTimeEqual, hmacSha256 } from '../../core/crypto.ts';
import {
  ConnectorError,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureOutcome,
  type Connector,
  type ConnectorAccount,
  type IncomingHttpRequest,
  type IncomingWebhook,
  type RefundOutcome,
  type RefundRequest,
  type SyncOutcome,
} from '../../core/ports/connector.ts';
import type { SimulatorFleet } from './simulator-fleet.ts';
import {
  lookupSimulatorStatus,
  SIMULATOR_STATUS_TABLE,
  timeoutRaw,
  toAuthorizeOutcome,
  toCaptureOutcome,
  toRefundOutcome,
  type SimulatorPaymentResponse,
  type SimulatorReply,
  type SimulatorWebhookPayload,
} from './transformers.ts';
import { unifiedError } from '../unified-errors.ts';

export const SIMULATOR_SIGNATURE_HEADER = 'x-simulator-signature';
export const SIMULATOR_CAPABILITIES = {
  paymentMethodTypes: ['CARD', 'NB', 'UPI', 'WALLET'],
  currencies: 'ANY',
} as const satisfies Connector['capabilities'];

export interface SimulatorConnectorOptions {
  /** Public origin of this app (the bank page lives at `${publicBaseUrl}/simulator/bank/:id`). */
  publicBaseUrl: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Signs a webhook body the way the simulated gateway does: hex HMAC-SHA256 of the raw body. */
export function signSimulatorWebhook(rawBody: string, webhookSecret: string): string {
  return hmacSha256(webhookSecret, rawBody, 'hex');
}

/** The HTTP request the simulated gateway would send for a payload: what the app's notify hook POSTs. */
export function buildSimulatorWebhookRequest(payload: SimulatorWebhookPayload, webhookSecret: string): { headers: Record<string, string>; rawBody: string } {
  const rawBody = JSON.stringify(payload);
  return { headers: { 'content-type': 'application/json', [SIMULATOR_SIGNATURE_HEADER]: signSimulatorWebhook(rawBody, webhookSecret) }, rawBody };
}

function isPaymentPayload(value: unknown): value is SimulatorWebhookPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const data = v.data as Record<string, unknown> | null | undefined;
  return (
    typeof v.event_id === 'string' &&
    (v.event_type === 'payment.updated' || v.event_type === 'refund.updated') &&
    typeof data === 'object' &&
    data !== null &&
    typeof data.gateway_txn_id === 'string' &&
    typeof data.status === 'string' &&
    typeof data.code === 'string'
  );
}

export function createSimulatorConnector(simulators: SimulatorFleet, gatewayName: string, options: SimulatorConnectorOptions): Connector {
  const { publicBaseUrl } = options;

  async function delivered<T>(reply: SimulatorReply<T>): Promise<SimulatorReply<T>> {
    if (reply.latencyMs > 0) await sleep(reply.latencyMs);
    return reply;
  }

  function paymentOutcome(reply: SimulatorReply<SimulatorPaymentResponse>, gatewayTxnId: string | null): AuthorizeOutcome {
    if (reply.timedOut) return { kind: 'UNKNOWN', raw: timeoutRaw(gatewayTxnId) };
    return toAuthorizeOutcome(reply.body, publicBaseUrl);
  }

  function notFound(gatewayTxnId: string): AuthorizeOutcome {
    const entry = lookupSimulatorStatus('25');
    return {
      kind: 'FAILED',
      raw: { code: '25', message: entry.message, gatewayTxnId },
      failure: entry.failureClass ?? 'VALIDATION_ERROR',
      unified: unifiedError('TRANSACTION_NOT_FOUND'),
    };
  }

  return {
    name: gatewayName,
    capabilities: SIMULATOR_CAPABILITIES,
    statusTable: SIMULATOR_STATUS_TABLE,

    async authorize(account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
      const reply = await delivered(await simulators.authorize(account.merchantId, gatewayName, account.accountId, request));
      // On a timeout the caller never learns the gateway's id: only a sync by reference (our
      // idempotency key replayed) or a webhook can reveal what happened.
      return paymentOutcome(reply, null);
    },

    async completeAuthentication(account: ConnectorAccount, gatewayTxnId: string, _params: Record<string, string>): Promise<AuthorizeOutcome> {
      const reply = await simulators.completeAuthentication(account.merchantId, gatewayTxnId);
      if (!reply) return notFound(gatewayTxnId);
      return paymentOutcome(await delivered(reply), gatewayTxnId);
    },

    async syncStatus(account: ConnectorAccount, gatewayTxnId: string): Promise<SyncOutcome> {
      // Also answers for our txn id (merchant reference), which is all the caller has after a timeout.
      const reply = await simulators.sync(account.merchantId, gatewayTxnId, gatewayName);
      if (!reply) return notFound(gatewayTxnId);
      return paymentOutcome(await delivered(reply), gatewayTxnId);
    },

    async capture(account: ConnectorAccount, gatewayTxnId: string, amount: number, _currency: string): Promise<CaptureOutcome> {
      return toCaptureOutcome(await simulators.capture(account.merchantId, gatewayTxnId, amount));
    },

    async void(account: ConnectorAccount, gatewayTxnId: string): Promise<CaptureOutcome> {
      return toCaptureOutcome(await simulators.void(account.merchantId, gatewayTxnId));
    },

    async refund(account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
      return toRefundOutcome(
        await simulators.refund(account.merchantId, request.gatewayTxnId, { amount: request.amount, refundReference: request.refundId, idempotencyKey: request.idempotencyKey }),
      );
    },

    async parseWebhook(account: ConnectorAccount, request: IncomingHttpRequest): Promise<IncomingWebhook> {
      const secret = account.credentials.webhook_secret;
      if (!secret) throw new ConnectorError('The account has no webhook_secret credential', gatewayName, 'CONFIGURATION');
      const header = request.headers[SIMULATOR_SIGNATURE_HEADER];
      const signature = Array.isArray(header) ? header[0] : header;
      if (!signature || !constantTimeEqual(signature.toLowerCase(), signSimulatorWebhook(request.rawBody, secret))) {
        throw new ConnectorError('Webhook signature does not match', gatewayName, 'SIGNATURE');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(request.rawBody);
      } catch {
        throw new ConnectorError('Webhook body is not JSON', gatewayName, 'PROTOCOL');
      }
      if (!isPaymentPayload(payload)) return { kind: 'IGNORED', reason: 'unrecognised event' };
      if (payload.event_type === 'refund.updated') {
        return { kind: 'REFUND', gatewayRefundId: payload.data.gateway_refund_id, refundId: payload.data.refund_reference, outcome: toRefundOutcome(payload.data), eventId: payload.event_id };
      }
      return { kind: 'PAYMENT', gatewayTxnId: payload.data.gateway_txn_id, outcome: toAuthorizeOutcome(payload.data, publicBaseUrl), eventId: payload.event_id };
    },
  };
}
