// What a transport failure means for each kind of call, decided once for every connector:
// - a payment (authorise): refused = nothing was sent, FAILED / GATEWAY_DOWN (another gateway may
//   try); timeout or a cut connection = UNKNOWN (settled by status sync or webhook, never retried);
// - a read (sync, after a redirect): whatever happened, it tells nothing about the payment: UNKNOWN;
// - a capture or void: refused = FAILURE GATEWAY_DOWN; otherwise FAILURE TIMEOUT_UNKNOWN (retry with
//   the same key, which the provider deduplicates);
// - a refund: refused = FAILURE GATEWAY_DOWN; otherwise PENDING (a webhook or a retry settles it).
// Anything that is not a TransportError is a bug and is thrown again.
import type { AuthorizeOutcome, CaptureOutcome, GatewayStatusEntry, RawGatewayResponse, RefundOutcome } from '../../core/ports/connector.ts';
import { unifiedError } from '../unified-errors.ts';
import { TransportError } from './transport.ts';

function transportError(error: unknown): TransportError {
  if (!(error instanceof TransportError)) throw error;
  return error;
}

/** `refusedRow`: the connector's status table row for CONNECTION_REFUSED. */
export function paymentTransportOutcome(error: unknown, gatewayTxnId: string | null, refusedRow: GatewayStatusEntry): AuthorizeOutcome {
  const failure = transportError(error);
  if (failure.nothingSent) {
    return {
      kind: 'FAILED',
      raw: { code: 'CONNECTION_REFUSED', message: failure.message, gatewayTxnId },
      failure: 'GATEWAY_DOWN',
      unified: { code: refusedRow.unifiedCode ?? 'GATEWAY_DOWN', message: refusedRow.unifiedMessage ?? refusedRow.message, category: refusedRow.category ?? 'GATEWAY_ERROR' },
    };
  }
  return { kind: 'UNKNOWN', raw: { code: failure.kind, message: failure.message, gatewayTxnId } };
}

export function readTransportOutcome(error: unknown, gatewayTxnId: string | null): AuthorizeOutcome {
  const failure = transportError(error);
  return { kind: 'UNKNOWN', raw: { code: failure.nothingSent ? 'CONNECTION_REFUSED' : failure.kind, message: failure.message, gatewayTxnId } };
}

export function modificationTransportOutcome(error: unknown, gatewayTxnId: string): CaptureOutcome {
  const failure = transportError(error);
  return { kind: 'FAILURE', raw: { code: failure.kind, message: failure.message, gatewayTxnId }, unified: unifiedError(failure.nothingSent ? 'GATEWAY_DOWN' : 'TIMEOUT_UNKNOWN') };
}

export function refundTransportOutcome(error: unknown, gatewayTxnId: string): RefundOutcome {
  const failure = transportError(error);
  if (failure.nothingSent) return { kind: 'FAILURE', raw: { code: 'CONNECTION_REFUSED', message: failure.message, gatewayTxnId }, unified: unifiedError('GATEWAY_DOWN') };
  return { kind: 'PENDING', raw: { code: failure.kind, message: failure.message, gatewayTxnId } };
}

/** A failed outcome from a status table row (the connector's own refusals before sending anything). */
export function failedFromRow(code: string, message: string, row: GatewayStatusEntry): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  return {
    kind: 'FAILED',
    raw: { code, message, gatewayTxnId: null },
    failure: row.failureClass ?? 'VALIDATION_ERROR',
    unified: { code: row.unifiedCode ?? 'INVALID_REQUEST', message, category: row.category ?? 'GATEWAY_VALIDATION_ERROR' },
  };
}

/** What we keep of a gateway's JSON answer: its code, message and id, and the body when it is an object (gateways that echo card data redact it first: PayPal, PayU, Braintree keep their own). */
export function rawAnswer(code: string, message: string, gatewayTxnId: string | null, body: unknown): RawGatewayResponse {
  return { code, message, gatewayTxnId, ...(body && typeof body === 'object' ? { body: body as Record<string, unknown> } : {}) };
}

/** A gateway's decline as a failed outcome: how it counts and what it means come from its status table row (an unknown code is a soft, generic decline). */
export function declinedFromRow(raw: RawGatewayResponse, row: GatewayStatusEntry): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  return {
    kind: 'FAILED',
    raw,
    failure: row.failureClass ?? 'SOFT_DECLINE',
    unified: { code: row.unifiedCode ?? 'GENERIC_DECLINE', message: row.unifiedMessage ?? row.message, category: row.category ?? 'PAYMENT_FAILURE' },
  };
}

/** A capture or void answer we do not recognise: a failure of unknown cause. */
export const unrecognisedModification = (status: number): CaptureOutcome => ({
  kind: 'FAILURE',
  raw: rawAnswer(`HTTP_${status}`, 'Unrecognised answer', null, null),
  unified: unifiedError('UNKNOWN_ERROR'),
});

/** A refund answer we do not recognise: pending, for a webhook or the status sync to settle. */
export const unrecognisedRefund = (status: number): RefundOutcome => ({ kind: 'PENDING', raw: rawAnswer(`HTTP_${status}`, 'Unrecognised answer', null, null) });

/** A gateway's answer read as JSON; undefined when it is empty or not JSON (the outcome readers then say the answer was unrecognised). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
