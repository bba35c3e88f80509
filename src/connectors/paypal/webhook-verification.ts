// A PayPal webhook is verified by PayPal itself (POST /v1/notifications/verify-webhook-signature),
// then parsed; an approval completes the order at once (the payer may never come back to us).
import { ConnectorError, type ConnectorAccount, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { parseJson } from '../kit/outcomes.ts';
import { parseEventBody, parsePayPalEvent, verifyRequestBody } from './webhooks.ts';
import { GATEWAY, PayPalAuthError } from './oauth-token.ts';
import type { PayPalClient } from './paypal-client.ts';
import { syncOrder } from './orders.ts';

export async function parsePayPalWebhook(client: PayPalClient, account: ConnectorAccount, request: IncomingHttpRequest): Promise<IncomingWebhook> {
  const webhookId = account.credentials.webhook_id;
  if (!webhookId) throw new ConnectorError('The PayPal account has no webhook_id', GATEWAY, 'CONFIGURATION');
  const verifyBody = verifyRequestBody(request, webhookId);
  let response: TransportResponse;
  try {
    response = await client.call(account, 'verifyWebhookSignature', 'POST', '/v1/notifications/verify-webhook-signature', verifyBody);
  } catch (error) {
    if (error instanceof PayPalAuthError && error.code === 'invalid_client') throw new ConnectorError(`The webhook cannot be verified: ${error.message}`, GATEWAY, 'CONFIGURATION');
    throw error; // PayPal unreachable: not verified, answered 5xx, PayPal delivers it again
  }
  const verdict = (parseJson(response.text) as { verification_status?: unknown } | undefined)?.verification_status;
  if (response.status === 200 && verdict !== 'SUCCESS') throw new ConnectorError(`PayPal says the webhook signature does not verify (${String(verdict)})`, GATEWAY, 'SIGNATURE');
  if (response.status === 400 || response.status === 422)
    throw new ConnectorError(`PayPal refused to verify the webhook (HTTP ${response.status}): its transmission headers or our webhook id are not valid`, GATEWAY, 'SIGNATURE');
  if (response.status === 401 || response.status === 403) throw new ConnectorError(`PayPal refused the verification call (HTTP ${response.status})`, GATEWAY, 'CONFIGURATION');
  if (response.status !== 200) throw new Error(`PayPal could not verify the webhook now (HTTP ${response.status})`);
  const parsed = parsePayPalEvent(parseEventBody(request.rawBody));
  if (parsed.kind !== 'APPROVED') return parsed;
  // The payer approved but may never come back to us: complete the order now (same PayPal-Request-Id as the return URL would use).
  return { kind: 'PAYMENT', gatewayTxnId: parsed.orderId, outcome: await syncOrder(client, account, parsed.orderId, false, 'webhook:approved'), eventId: parsed.eventId };
}
