// Authorising on PayU: a form for the shopper's browser to post (hosted page, netbanking,
// wallets), or a server-to-server payment (raw cards, UPI collect and intent) whose answer says
// what the shopper has left to do.
import { ConnectorError, type AuthorizeOutcome, type AuthorizeRequest, type ConnectorAccount } from '../../core/ports/connector.ts';
import { failedFromRow, paymentTransportOutcome } from '../kit/outcomes.ts';
import { PAYU_STATUS_TABLE } from './status-table.ts';
import { failedOutcome, holdsCardData, parseJson, planPayment, redirectOfAcsTemplate, storableResult } from './transformers.ts';
import { credentials, GATEWAY, type PayuClient } from './payu-client.ts';
import { readPayment } from './verify-payment.ts';

interface S2sAnswer {
  metaData?: { message?: string | null; statusCode?: string | null; txnId?: string; txnStatus?: string; unmappedStatus?: string; referenceId?: string };
  result?: { acsTemplate?: string; otpPostUrl?: string; paymentId?: string; intentURIData?: string; merchantVpa?: string } | null;
}

async function authorizeServerToServer(
  client: PayuClient,
  account: ConnectorAccount,
  form: Record<string, string>,
  flow: 'CARD' | 'UPI_COLLECT' | 'UPI_INTENT',
  card: Parameters<typeof holdsCardData>[1],
): Promise<AuthorizeOutcome> {
  const txnid = form.txnid!;
  let response;
  try {
    response = await client.post(account, 'authorize', `${client.baseUrl}/_payment`, form);
  } catch (error) {
    return paymentTransportOutcome(error, txnid, PAYU_STATUS_TABLE.CONNECTION_REFUSED!);
  }
  if (response.status >= 500) return { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'PayU answered with a server error: the outcome is unknown', gatewayTxnId: txnid } };
  const answer = parseJson(response.text) as S2sAnswer | undefined;
  const meta = answer?.metaData;
  if (!meta) return { kind: 'UNKNOWN', raw: { code: 'UNREADABLE', message: 'PayU answered something that is not a server-to-server result', gatewayTxnId: txnid } };
  const message = meta.message ?? '';
  const body = storableResult(answer as unknown as Record<string, unknown>);
  const txnStatus = (meta.txnStatus ?? '').toLowerCase();
  if (txnStatus === 'failed' || txnStatus === 'failure') {
    // A duplicate txnid: this payment was created before (a retry after a timeout). Read it instead.
    if (/duplicate/i.test(message)) return readPayment(client, account, txnid, 'authorize');
    if (/hash/i.test(message)) return failedFromRow('hash_mismatch', message, PAYU_STATUS_TABLE.hash_mismatch!);
    if (/mandatory|invalid|missing/i.test(message) && !meta.statusCode)
      return { ...failedFromRow('invalid_request', message, PAYU_STATUS_TABLE.invalid_request!), raw: { code: 'invalid_request', message, gatewayTxnId: txnid, body } };
    const code = meta.statusCode && meta.statusCode !== 'E000' ? meta.statusCode : meta.unmappedStatus || 'failed';
    return failedOutcome(code, message || undefined, txnid, body);
  }
  const raw = { code: meta.unmappedStatus || txnStatus || 'pending', message: message || 'Accepted by PayU', gatewayTxnId: txnid, body };
  if (txnStatus === 'success' || txnStatus === 'captured') return readPayment(client, account, txnid, 'authorize');
  if (flow === 'UPI_INTENT') {
    const intent = answer?.result?.intentURIData;
    if (!intent) return { kind: 'UNKNOWN', raw: { ...raw, code: 'UNREADABLE', message: 'PayU answered a UPI intent without intentURIData' } };
    return { kind: 'PENDING', raw, sdkParams: { intent_uri: intent.startsWith('upi://') ? intent : `upi://pay?${intent}` } };
  }
  if (flow === 'UPI_COLLECT') return { kind: 'PENDING', raw };
  const redirect = answer?.result?.acsTemplate ? redirectOfAcsTemplate(answer.result.acsTemplate) : null;
  if (!redirect) return { kind: 'UNKNOWN', raw: { ...raw, code: 'UNREADABLE', message: 'PayU answered a card payment without a bank page to send the shopper to' } };
  // The params are stored with the attempt: they must never carry the card.
  if (holdsCardData(redirect.params, card)) throw new ConnectorError("PayU's bank redirect would carry card data: refusing to keep it", GATEWAY, 'PROTOCOL');
  return { kind: 'PENDING_AUTHENTICATION', raw, authentication: redirect };
}

export async function authorizePayu(client: PayuClient, account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
  const plan = planPayment(request, credentials(account));
  if (plan.kind === 'REFUSED') return failedFromRow(plan.code, plan.message, PAYU_STATUS_TABLE[plan.code] ?? PAYU_STATUS_TABLE.invalid_request!);
  if (plan.kind === 'S2S') return authorizeServerToServer(client, account, plan.form, plan.flow, request.card);
  return {
    kind: 'PENDING_AUTHENTICATION',
    raw: { code: 'redirect', message: "The shopper's browser posts this form to PayU", gatewayTxnId: plan.form.txnid! },
    authentication: { method: 'POST', url: `${client.baseUrl}/_payment`, params: plan.form },
  };
}
