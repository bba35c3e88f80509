// The simulated gateways seen through the Connector port, on the connector kit like every real
// connector: each call goes through the kit's transport (deadline, metrics, log line) to the
// simulated gateway's API served in process (simulator-wire.ts), and what a transport failure
// means is decided by kit/outcomes.ts. Every call is scoped to the account's merchant: one
// merchant never reaches another's payments.
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
import { webhookSecret } from '../kit/definition.ts';
import { createHttpTransport, type HttpTransport, type TransportResponse } from '../kit/transport.ts';
import { modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome } from '../kit/outcomes.ts';
import type { SimulatorFleet } from './simulator-fleet.ts';
import {
  lookupSimulatorStatus,
  SIMULATOR_STATUS_TABLE,
  timeoutRaw,
  toAuthorizeOutcome,
  toCaptureOutcome,
  toRefundOutcome,
  type SimulatorOperationResponse,
  type SimulatorPaymentResponse,
  type SimulatorRefundResponse,
  type SimulatorWebhookPayload,
} from './transformers.ts';
import { SIMULATOR_WIRE_HOST, SIMULATOR_WIRE_ORIGIN, simulatorWire, type SimulatorAuthorizeBody, type SimulatorCaptureBody, type SimulatorRefundBody } from './simulator-wire.ts';
import { unifiedError } from '../unified-errors.ts';

export const SIMULATOR_SIGNATURE_HEADER = 'x-simulator-signature';
export const SIMULATOR_CAPABILITIES = {
  paymentMethodTypes: ['CARD', 'NB', 'UPI', 'WALLET'],
  currencies: 'ANY',
} as const satisfies Connector['capabilities'];

export interface SimulatorConnectorOptions {
  /** Public origin of this app (the bank page lives at `${publicBaseUrl}/simulator/bank/:id`). */
  publicBaseUrl: string;
  /**
   * The connector kit's transport the calls go through (the app's one transport); the fleet's API
   * is mounted on it in process. A transport of its own when absent.
   */
  transport?: HttpTransport;
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

/** The simulator's answer for a payment it does not know (its code 25). */
function notFound(gatewayTxnId: string): AuthorizeOutcome {
  const entry = lookupSimulatorStatus('25');
  return {
    kind: 'FAILED',
    raw: { code: '25', message: entry.message, gatewayTxnId },
    failure: entry.failureClass ?? 'VALIDATION_ERROR',
    unified: unifiedError('TRANSACTION_NOT_FOUND'),
  };
}

export function createSimulatorConnector(simulators: SimulatorFleet, gatewayName: string, options: SimulatorConnectorOptions): Connector {
  const { publicBaseUrl } = options;
  const transport = options.transport ?? createHttpTransport();
  transport.mountInProcess(SIMULATOR_WIRE_HOST, simulatorWire(simulators));
  const refusedRow = { ...lookupSimulatorStatus('GW_DOWN'), retryable: true, countsAgainstGateway: true } as const;

  /** One call to the simulated gateway's API, scoped to the account's merchant. */
  async function call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<TransportResponse> {
    return transport.request({
      gateway: gatewayName,
      operation,
      method,
      accountId: account.accountId,
      url: `${SIMULATOR_WIRE_ORIGIN}/merchants/${encodeURIComponent(account.merchantId)}/payments${path}`,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  function paymentOf(response: TransportResponse, gatewayTxnId: string): AuthorizeOutcome {
    if (response.status === 404) return notFound(gatewayTxnId);
    return toAuthorizeOutcome(JSON.parse(response.text) as SimulatorPaymentResponse, publicBaseUrl);
  }

  /** A timeout's raw code is the simulator's own TIMEOUT (its status table knows it). */
  function unknownOf(error: unknown, gatewayTxnId: string | null): AuthorizeOutcome {
    const outcome = paymentTransportOutcome(error, gatewayTxnId, refusedRow);
    return outcome.kind === 'UNKNOWN' && outcome.raw.code === 'TIMEOUT' ? { kind: 'UNKNOWN', raw: timeoutRaw(gatewayTxnId) } : outcome;
  }

  return {
    name: gatewayName,
    capabilities: SIMULATOR_CAPABILITIES,
    statusTable: SIMULATOR_STATUS_TABLE,

    async authorize(account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
      const body: SimulatorAuthorizeBody = { gateway: gatewayName, account_id: account.accountId, request };
      try {
        return paymentOf(await call(account, 'authorize', 'POST', '', body), '');
      } catch (error) {
        // On a timeout the caller never learns the gateway's id: only a sync by reference (our
        // idempotency key replayed) or a webhook can reveal what happened.
        return unknownOf(error, null);
      }
    },

    async completeAuthentication(account: ConnectorAccount, gatewayTxnId: string, _params: Record<string, string>): Promise<AuthorizeOutcome> {
      try {
        return paymentOf(await call(account, 'completeAuthentication', 'POST', `/${encodeURIComponent(gatewayTxnId)}/authentication`), gatewayTxnId);
      } catch (error) {
        return readTransportOutcome(error, gatewayTxnId);
      }
    },

    async syncStatus(account: ConnectorAccount, gatewayTxnId: string): Promise<SyncOutcome> {
      // Also answers for our txn id (merchant reference), which is all the caller has after a timeout.
      try {
        return paymentOf(await call(account, 'sync', 'GET', `/${encodeURIComponent(gatewayTxnId)}?gateway=${encodeURIComponent(gatewayName)}`), gatewayTxnId);
      } catch (error) {
        return readTransportOutcome(error, gatewayTxnId);
      }
    },

    async capture(account: ConnectorAccount, gatewayTxnId: string, amount: number, _currency: string): Promise<CaptureOutcome> {
      try {
        const body: SimulatorCaptureBody = { amount };
        return toCaptureOutcome(JSON.parse((await call(account, 'capture', 'POST', `/${encodeURIComponent(gatewayTxnId)}/capture`, body)).text) as SimulatorOperationResponse);
      } catch (error) {
        return modificationTransportOutcome(error, gatewayTxnId);
      }
    },

    async void(account: ConnectorAccount, gatewayTxnId: string): Promise<CaptureOutcome> {
      try {
        return toCaptureOutcome(JSON.parse((await call(account, 'void', 'POST', `/${encodeURIComponent(gatewayTxnId)}/void`)).text) as SimulatorOperationResponse);
      } catch (error) {
        return modificationTransportOutcome(error, gatewayTxnId);
      }
    },

    async refund(account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
      try {
        const body: SimulatorRefundBody = { amount: request.amount, refund_reference: request.refundId, idempotency_key: request.idempotencyKey };
        return toRefundOutcome(JSON.parse((await call(account, 'refund', 'POST', `/${encodeURIComponent(request.gatewayTxnId)}/refunds`, body)).text) as SimulatorRefundResponse);
      } catch (error) {
        return refundTransportOutcome(error, request.gatewayTxnId);
      }
    },

    async parseWebhook(account: ConnectorAccount, request: IncomingHttpRequest): Promise<IncomingWebhook> {
      const secret = webhookSecret(account, { gateway: gatewayName, displayName: gatewayName });
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
