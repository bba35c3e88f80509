// Authorising on PayPal: one order (POST /v2/checkout/orders), intent CAPTURE or AUTHORIZE.
import type { AuthorizeOutcome, AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { failedFromRow, paymentTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { PAYPAL_STATUS_TABLE } from './status-table.ts';
import { outcomeOfOrderAnswer } from './transformers.ts';
import { buildOrderRequest } from './requests.ts';
import { PayPalAuthError } from './oauth-token.ts';
import type { PayPalClient } from './paypal-client.ts';
import { authFailure } from './orders.ts';

export async function authorizePayPal(client: PayPalClient, account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
  const built = buildOrderRequest(request, { rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
  if ('refused' in built) return failedFromRow(built.refused, built.message, PAYPAL_STATUS_TABLE[built.refused]!);
  try {
    const response = await client.call(account, 'authorize', 'POST', '/v2/checkout/orders', built.body, request.idempotencyKey);
    return outcomeOfOrderAnswer(response.status, parseJson(response.text));
  } catch (error) {
    if (error instanceof PayPalAuthError) return authFailure(error);
    return paymentTransportOutcome(error, null, PAYPAL_STATUS_TABLE.CONNECTION_REFUSED!);
  }
}
