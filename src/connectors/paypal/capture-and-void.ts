// Changing an order after its authorization: capture and void act on the order's authorization,
// read from the order first (the gateway txn id is the ORDER id).
import type { CaptureOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { TransportError } from '../kit/transport.ts';
import { unifiedError } from '../unified-errors.ts';
import { PAYPAL_STATUS_TABLE } from './status-table.ts';
import { outcomeOfModification, outcomeOfOrderAnswer, paymentsOf, type PayPalOrder } from './transformers.ts';
import { buildCaptureRequest, minorFromPayPal } from './requests.ts';
import { PayPalAuthError } from './oauth-token.ts';
import type { PayPalClient } from './paypal-client.ts';
import { readOrder } from './orders.ts';
import { parseJson } from '../kit/outcomes.ts';

/** The authorization of the order (captures and voids act on it), or why not. */
export async function authorizationOf(
  client: PayPalClient,
  account: ConnectorAccount,
  orderId: string,
  operation: string,
): Promise<{ order: PayPalOrder; authorizationId: string; authorized: { value: string; currency: string } | null } | CaptureOutcome> {
  try {
    const read = await readOrder(client, account, orderId, operation);
    if (!('order' in read)) {
      const outcome = outcomeOfOrderAnswer(read.status, read.body, orderId);
      return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.kind === 'FAILED' ? outcome.unified : unifiedError('GATEWAY_TECHNICAL_ERROR') };
    }
    const { authorization } = paymentsOf(read.order);
    if (!authorization) {
      const row = PAYPAL_STATUS_TABLE.nothing_to_capture!;
      return {
        kind: 'FAILURE',
        raw: {
          code: 'nothing_to_capture',
          message: `Order ${orderId} has no authorization (it was ${read.order.intent === 'CAPTURE' ? 'captured at once' : `left ${read.order.status}`})`,
          gatewayTxnId: orderId,
        },
        unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! },
      };
    }
    return { order: read.order, authorizationId: authorization.id, authorized: authorization.amount ? { value: authorization.amount.value, currency: authorization.amount.currency_code } : null };
  } catch (error) {
    return readFailure(error, orderId);
  }
}

/** A read before a capture, void or refund failed: nothing was asked of PayPal yet. */
export function readFailure(error: unknown, orderId: string): CaptureOutcome {
  if (error instanceof PayPalAuthError) return { kind: 'FAILURE', raw: { code: error.code, message: error.message, gatewayTxnId: orderId }, unified: unifiedError('GATEWAY_TECHNICAL_ERROR') };
  if (!(error instanceof TransportError)) throw error;
  return {
    kind: 'FAILURE',
    raw: { code: error.nothingSent ? 'CONNECTION_REFUSED' : error.kind, message: `The order could not be read (${error.message}): nothing was changed at PayPal`, gatewayTxnId: orderId },
    unified: unifiedError(error.nothingSent ? 'GATEWAY_DOWN' : 'GATEWAY_TECHNICAL_ERROR'),
  };
}

function modificationFailure(error: unknown, orderId: string): CaptureOutcome {
  if (error instanceof PayPalAuthError) return readFailure(error, orderId);
  if (!(error instanceof TransportError)) throw error;
  return { kind: 'FAILURE', raw: { code: error.kind, message: error.message, gatewayTxnId: orderId }, unified: unifiedError(error.nothingSent ? 'GATEWAY_DOWN' : 'TIMEOUT_UNKNOWN') };
}

const failure = (code: string, message: string, orderId: string): CaptureOutcome => {
  const row = PAYPAL_STATUS_TABLE[code]!;
  return { kind: 'FAILURE', raw: { code, message, gatewayTxnId: orderId }, unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! } };
};

export async function capturePayPal(client: PayPalClient, account: ConnectorAccount, orderId: string, amount: number, currency: string, key: string | undefined): Promise<CaptureOutcome> {
  const found = await authorizationOf(client, account, orderId, 'capture');
  if ('kind' in found) return found;
  const authorizedMinor = found.authorized ? minorFromPayPal(found.authorized.value, found.authorized.currency) : null;
  // PayPal may allow a capture above the authorization (up to 115%); we never ask for one.
  if (authorizedMinor !== null && amount > authorizedMinor)
    return failure('capture_exceeds_authorization', `The capture (${amount}) exceeds the authorized amount (${authorizedMinor}, minor units)`, orderId);
  const body = buildCaptureRequest(amount, currency);
  if (!body) return failure('amount_not_representable', `${currency} amount ${amount} (minor units) cannot be sent to PayPal`, orderId);
  try {
    const response = await client.call(account, 'capture', 'POST', `/v2/payments/authorizations/${encodeURIComponent(found.authorizationId)}/capture`, body, key ?? `capture-${found.authorizationId}`);
    return outcomeOfModification('capture', response.status, parseJson(response.text), orderId);
  } catch (error) {
    return modificationFailure(error, orderId);
  }
}

export async function voidPayPal(client: PayPalClient, account: ConnectorAccount, orderId: string, key: string | undefined): Promise<CaptureOutcome> {
  const found = await authorizationOf(client, account, orderId, 'void');
  if ('kind' in found) return found;
  try {
    // The 2024-02 document lists no PayPal-Request-Id for void; PayPal's current reference does, and a repeated void is harmless.
    const response = await client.call(account, 'void', 'POST', `/v2/payments/authorizations/${encodeURIComponent(found.authorizationId)}/void`, null, key ?? `void-${found.authorizationId}`);
    const body = parseJson(response.text);
    const outcome = outcomeOfModification('void', response.status, body, orderId);
    // Already voided (a retry whose first answer was lost): the hold is released, which is what was asked.
    if (outcome.kind === 'FAILURE' && outcome.raw.code === 'PREVIOUSLY_VOIDED') return { kind: 'SUCCESS', raw: outcome.raw };
    return outcome;
  } catch (error) {
    return modificationFailure(error, orderId);
  }
}
