// Braintree (the client API of the official server SDKs: https://developer.paypal.com/braintree/docs/reference/overview),
// on the connector kit, speaking what the official Node SDK sends (node_modules/braintree 3.40,
// lib/braintree/http.js): HTTP Basic public_key:private_key, X-ApiVersion 6, JSON bodies with the
// SDK's snake_case keys, XML answers (Accept: application/xml).
// - authorise: POST /merchants/{merchant_id}/transactions `{transaction: {type: sale, amount,
//   order_id, payment_method_nonce | credit_card, options: {submit_for_settlement, three_d_secure}}}`;
// - capture: PUT .../transactions/{id}/submit_for_settlement `{transaction: {amount}}` (less than
//   authorised = partial capture); void: PUT .../void; refund: POST .../refund `{transaction:
//   {amount, order_id}}` (a separate credit transaction);
// - status: GET .../transactions/{id}; by our reference (the order id we gave the sale) with
//   POST .../advanced_search_ids then .../advanced_search, as the SDK's transaction.search does;
// - idempotency: the client API has no idempotency header (Braintree documents at-most-once
//   processing for its GraphQL API only), so before creating a sale or a refund we look for the one
//   a previous attempt with the same reference created (order_id = our txn id / refund id), and a
//   capture or void Braintree refuses because it was already done is read back;
// - 3-D Secure: done by Braintree's client SDK before the sale; we send its nonce and
//   options.three_d_secure.required (see docs/connectors/braintree.md).
import { GATEWAY_IDS } from '../../core/gateways.ts';
import { ConnectorError, type AuthorizeOutcome, type CaptureOutcome, type Connector, type ConnectorAccount, type RefundOutcome } from '../../core/ports/connector.ts';
import type { ConnectorContext, ConnectorDefinition } from '../kit/definition.ts';
import { TransportError, type TransportResponse } from '../kit/transport.ts';
import { failedFromRow, modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome } from '../kit/outcomes.ts';
import { BRAINTREE_STATUS_TABLE, classifyUnlistedBraintree } from './status-table.ts';
import {
  buildSaleRequest, CAPTURED_STATUSES, fromBraintreeAmount, isPathSegment, outcomeOfCredit, outcomeOfModification, outcomeOfPaymentAnswer, outcomeOfRefundAnswer,
  outcomeOfTransaction, readAnswer, searchByOrderId, searchPage, str, toBraintreeAmount, type BraintreeBody, type BraintreeTransaction,
} from './transformers.ts';
import { decodeNotification, parseBraintreeNotification, verifyBraintreeWebhook } from './webhooks.ts';

const GATEWAY = 'BRAINTREE';
/** The API version the SDK pins (lib/braintree/config.js apiVersion). */
export const BRAINTREE_API_VERSION = '6';

/** Reads (GET) are retried on 5xx and 429; nothing else is (no idempotency key to make it safe). */
export function braintreeShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429;
}

interface Keys {
  merchantId: string;
  publicKey: string;
  privateKey: string;
}

export function createBraintreeConnector(context: ConnectorContext): Connector {
  const baseUrl = (context.baseUrls.BRAINTREE ?? braintreeDefinition.defaultBaseUrl).replace(/\/$/, '');

  function keys(account: ConnectorAccount): Keys {
    const { merchant_id: merchantId, public_key: publicKey, private_key: privateKey } = account.credentials;
    if (!merchantId || !publicKey || !privateKey) throw new ConnectorError('The Braintree account needs merchant_id, public_key and private_key', GATEWAY, 'CONFIGURATION');
    if (!isPathSegment(merchantId)) throw new ConnectorError('The Braintree merchant_id is not a valid id', GATEWAY, 'CONFIGURATION');
    return { merchantId, publicKey, privateKey };
  }

  function call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST' | 'PUT', path: string, body: BraintreeBody | null) {
    const { merchantId, publicKey, privateKey } = keys(account);
    return context.transport.request({
      gateway: GATEWAY, operation, method, url: `${baseUrl}/merchants/${merchantId}${path}`,
      headers: {
        authorization: `Basic ${Buffer.from(`${publicKey}:${privateKey}`).toString('base64')}`,
        'x-apiversion': BRAINTREE_API_VERSION,
        accept: 'application/xml',
        'user-agent': 'Junction Braintree connector (client API v6)',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      retryOn: braintreeShouldRetry, accountId: account.accountId,
    });
  }

  /** GET .../transactions/{id}: the transaction, null when Braintree does not know it; throws on transport errors. */
  async function find(account: ConnectorAccount, id: string, operation: string): Promise<{ status: number; text: string; transaction: BraintreeTransaction | null }> {
    const response = await call(account, operation, 'GET', `/transactions/${encodeURIComponent(id)}`, null);
    const answer = readAnswer(response.text);
    return { status: response.status, text: response.text, transaction: response.status === 200 && answer.kind === 'transaction' ? answer.transaction : null };
  }

  /**
   * A search is a read sent as a POST, so the transport does not repeat it: a connection cut before
   * the answer (a pooled socket the server closed) is tried again here, at most twice.
   */
  async function search(account: ConnectorAccount, operation: string, path: string, body: BraintreeBody): Promise<TransportResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(account, operation, 'POST', path, body);
      } catch (error) {
        if (!(error instanceof TransportError) || error.kind !== 'NETWORK' || attempt > 2) throw error;
      }
    }
  }

  /**
   * The transactions of one type with this order id, as the SDK's transaction.search does it:
   * advanced_search_ids, then advanced_search for those ids. Throws on transport errors; the HTTP
   * status when Braintree answered something other than a search result.
   */
  async function searchOrder(account: ConnectorAccount, orderId: string, type: 'sale' | 'credit', operation: string): Promise<BraintreeTransaction[] | { refusedWith: number }> {
    const idsResponse = await search(account, operation, '/transactions/advanced_search_ids', searchByOrderId(orderId, type));
    const ids = readAnswer(idsResponse.text);
    if (idsResponse.status !== 200 || ids.kind !== 'search-ids') return { refusedWith: idsResponse.status };
    if (ids.ids.length === 0) return [];
    const page = await search(account, operation, '/transactions/advanced_search', searchPage(orderId, type, ids.ids.slice(0, 50)));
    const found = readAnswer(page.text);
    if (page.status !== 200 || found.kind !== 'transactions') return { refusedWith: page.status };
    return found.transactions.filter((t) => str(t['order-id']) === orderId);
  }

  /** A search Braintree refused: keys, merchant or rate (4xx: nothing could have been created with these keys) or its own failure (unknown). */
  function refusedSearch(status: number, what: string): AuthorizeOutcome {
    if (status >= 400 && status < 500) return outcomeOfPaymentAnswer(status, '');
    return { kind: 'UNKNOWN', raw: { code: status >= 500 ? `HTTP_${status}` : 'search_failed', message: `Braintree did not answer the search for ${what}: the outcome is unknown`, gatewayTxnId: null } };
  }

  /** What a read says about a payment: the transaction, not known (404), or nothing (any other answer: the state is unknown). */
  function readOutcome(status: number, text: string, id: string | null): AuthorizeOutcome {
    if (status === 200) return outcomeOfPaymentAnswer(status, text);
    if (status === 404) return { ...failedFromRow('HTTP_404', 'Braintree does not know this transaction', BRAINTREE_STATUS_TABLE.HTTP_404!), raw: { code: 'HTTP_404', message: 'Braintree does not know this transaction', gatewayTxnId: id } };
    return { kind: 'UNKNOWN', raw: { code: `HTTP_${status}`, message: 'Braintree did not answer the read: the payment\'s state is unknown', gatewayTxnId: id } };
  }

  async function read(account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
    try {
      const response = await call(account, operation, 'GET', `/transactions/${encodeURIComponent(id)}`, null);
      return readOutcome(response.status, response.text, id);
    } catch (error) {
      return readTransportOutcome(error, id);
    }
  }

  /**
   * Braintree charges in the currency of the merchant account: an answer in another currency means
   * the account is the wrong one for this order. The authorisation is released at once.
   */
  async function guardCurrency(account: ConnectorAccount, outcome: AuthorizeOutcome, currency: string): Promise<AuthorizeOutcome> {
    const body = outcome.raw.body as { 'currency-iso-code'?: unknown } | undefined;
    const charged = typeof body?.['currency-iso-code'] === 'string' ? body['currency-iso-code'] : null;
    const id = outcome.raw.gatewayTxnId;
    if (!charged || charged === currency || !id || (outcome.kind !== 'CHARGED' && outcome.kind !== 'AUTHORIZED' && outcome.kind !== 'PENDING')) return outcome;
    const voided = await modify(account, 'void', id, null);
    const message = `The Braintree merchant account charges ${charged}, not ${currency}`;
    if (voided.kind !== 'SUCCESS') return { kind: 'UNKNOWN', raw: { code: 'currency_mismatch', message: `${message}; releasing the authorisation failed (${voided.raw.code}): check it in the Control Panel`, gatewayTxnId: id } };
    const row = BRAINTREE_STATUS_TABLE.currency_mismatch!;
    return { ...failedFromRow('currency_mismatch', `${message}: the authorisation was voided`, row), raw: { code: 'currency_mismatch', message: `${message}: the authorisation was voided`, gatewayTxnId: id } };
  }

  async function modify(account: ConnectorAccount, kind: 'submit_for_settlement' | 'void', id: string, amount: { minor: number; currency: string } | null): Promise<CaptureOutcome> {
    const success = kind === 'void' ? 'voided' : 'captured';
    if (!isPathSegment(id)) return { kind: 'FAILURE', raw: { code: 'HTTP_404', message: 'Not a Braintree transaction id', gatewayTxnId: id }, unified: { code: 'TRANSACTION_NOT_FOUND', message: BRAINTREE_STATUS_TABLE.HTTP_404!.unifiedMessage!, category: BRAINTREE_STATUS_TABLE.HTTP_404!.category! } };
    let outcome: CaptureOutcome;
    try {
      const body = amount ? { transaction: { amount: toBraintreeAmount(amount.minor, amount.currency) } } : null;
      const response = await call(account, kind === 'void' ? 'void' : 'capture', 'PUT', `/transactions/${encodeURIComponent(id)}/${kind}`, body);
      outcome = outcomeOfModification(response.status, response.text, id, success);
    } catch (error) {
      return modificationTransportOutcome(error, id);
    }
    // Refused as already done (a retry of a call whose answer was lost)? Read it back: done is done.
    if (outcome.kind === 'FAILURE' && (outcome.raw.code === '91507' || outcome.raw.code === '91504')) {
      try {
        const current = await find(account, id, kind === 'void' ? 'void' : 'capture');
        const t = current.transaction;
        if (t && kind === 'void' && t.status === 'voided') return { kind: 'SUCCESS', raw: { code: 'voided', message: 'Already voided', gatewayTxnId: id } };
        if (t && kind === 'submit_for_settlement' && amount && CAPTURED_STATUSES.includes(t.status) && fromBraintreeAmount(t.amount, amount.currency) === amount.minor) {
          return { kind: 'SUCCESS', raw: { code: t.status, message: 'Already submitted for settlement for this amount', gatewayTxnId: id } };
        }
      } catch {
        // The refusal stands.
      }
    }
    return outcome;
  }

  return {
    name: GATEWAY,
    statusTable: BRAINTREE_STATUS_TABLE,
    classifyUnlisted: classifyUnlistedBraintree,
    capabilities: { paymentMethodTypes: braintreeDefinition.capabilities.paymentMethodTypes, currencies: braintreeDefinition.capabilities.currencies },

    async authorize(account, request) {
      const built = buildSaleRequest(request, { merchantAccountId: account.credentials.merchant_account_id || null, rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
      if ('refused' in built) return failedFromRow(built.refused, built.message, BRAINTREE_STATUS_TABLE[built.refused]!);
      keys(account);
      // No idempotency key in this API: a sale an earlier attempt created under our reference is that attempt's answer.
      try {
        const existing = await searchOrder(account, request.txnId.slice(0, 255), 'sale', 'authorize');
        if (!Array.isArray(existing)) return refusedSearch(existing.refusedWith, 'an earlier attempt');
        if (existing.length > 0) return guardCurrency(account, outcomeOfTransaction(existing[0]!), request.currency);
      } catch (error) {
        // Refused: nothing was sent, another gateway may try. Otherwise unknown: an earlier attempt may exist.
        return paymentTransportOutcome(error, null, BRAINTREE_STATUS_TABLE.CONNECTION_REFUSED!);
      }
      try {
        const response = await call(account, 'authorize', 'POST', '/transactions', built.body);
        return guardCurrency(account, outcomeOfPaymentAnswer(response.status, response.text), request.currency);
      } catch (error) {
        return paymentTransportOutcome(error, null, BRAINTREE_STATUS_TABLE.CONNECTION_REFUSED!);
      }
    },

    // Braintree has no server-side 3-D Secure step to complete (the client SDK did it before the
    // sale): whatever the browser brings back, the transaction Braintree holds is the answer.
    completeAuthentication: (account, id) => read(account, id, 'completeAuthentication'),

    async syncStatus(account, reference) {
      try {
        if (isPathSegment(reference)) {
          const found = await find(account, reference, 'syncStatus');
          if (found.transaction) return outcomeOfTransaction(found.transaction);
          if (found.status !== 404) return readOutcome(found.status, found.text, reference);
        }
        // Not a Braintree id (or unknown as one): our reference, the order id of the sale.
        const sales = await searchOrder(account, reference.slice(0, 255), 'sale', 'syncStatus');
        if (!Array.isArray(sales)) return { kind: 'UNKNOWN', raw: { code: `HTTP_${sales.refusedWith}`, message: 'Braintree did not answer the search: the payment\'s state is unknown', gatewayTxnId: null } };
        if (sales.length > 0) return outcomeOfTransaction(sales[0]!);
        return failedFromRow('transaction_not_found', BRAINTREE_STATUS_TABLE.transaction_not_found!.message, BRAINTREE_STATUS_TABLE.transaction_not_found!);
      } catch (error) {
        return readTransportOutcome(error, isPathSegment(reference) ? reference : null);
      }
    },

    capture: (account, id, amount, currency) => modify(account, 'submit_for_settlement', id, { minor: amount, currency }),
    void: (account, id) => modify(account, 'void', id, null),

    async refund(account, request): Promise<RefundOutcome> {
      const saleId = request.gatewayTxnId;
      if (!isPathSegment(saleId)) return { kind: 'FAILURE', raw: { code: 'HTTP_404', message: 'Not a Braintree transaction id', gatewayTxnId: saleId }, unified: { code: 'TRANSACTION_NOT_FOUND', message: BRAINTREE_STATUS_TABLE.HTTP_404!.unifiedMessage!, category: BRAINTREE_STATUS_TABLE.HTTP_404!.category! } };
      const orderId = request.refundId.slice(0, 255);
      try {
        // A refund an earlier attempt created: the credit with our refund id, against this sale.
        const credits = await searchOrder(account, orderId, 'credit', 'refund');
        if (!Array.isArray(credits)) {
          if (credits.refusedWith >= 500) return { kind: 'PENDING', raw: { code: `HTTP_${credits.refusedWith}`, message: 'Braintree did not answer the search for an earlier refund: try again', gatewayTxnId: saleId } };
          return outcomeOfRefundAnswer(credits.refusedWith, '', saleId);
        }
        const earlier = credits.find((credit) => str(credit['refunded-transaction-id']) === saleId);
        if (earlier) return outcomeOfCredit(earlier, saleId);
      } catch (error) {
        return refundTransportOutcome(error, saleId);
      }
      try {
        const response = await call(account, 'refund', 'POST', `/transactions/${encodeURIComponent(saleId)}/refund`, { transaction: { amount: toBraintreeAmount(request.amount, request.currency), order_id: orderId } });
        return outcomeOfRefundAnswer(response.status, response.text, saleId);
      } catch (error) {
        return refundTransportOutcome(error, saleId);
      }
    },

    async parseWebhook(account, request) {
      const { publicKey, privateKey } = keys(account);
      const payload = verifyBraintreeWebhook(request, publicKey, privateKey);
      return parseBraintreeNotification(decodeNotification(payload));
    },
  };
}

export const braintreeDefinition: ConnectorDefinition = {
  gateway: 'BRAINTREE',
  gatewayId: GATEWAY_IDS.BRAINTREE,
  displayName: 'Braintree',
  defaultBaseUrl: 'https://api.sandbox.braintreegateway.com',
  capabilities: {
    paymentMethodTypes: ['CARD'],
    // Braintree's card types (CreditCard.CardType in the SDK) that map to our brands.
    cardBrands: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'DINERS', 'JCB', 'MAESTRO', 'UNIONPAY'],
    // Each merchant account has one currency; the account's merchant_account_id chooses it. A sale
    // answered in another currency is voided at once (currency_mismatch).
    currencies: 'ANY',
    countries: 'ANY',
    captureModes: ['AUTO', 'MANUAL'],
    partialCapture: true,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: true,
    webhooks: true,
    asynchronousModifications: false,
  },
  credentials: [
    { name: 'merchant_id', label: 'Merchant ID', required: true, secret: false, pattern: /^[A-Za-z0-9_-]{4,64}$/, patternReason: 'must be the gateway\'s merchant ID (letters, digits, _ or -)', description: 'Control Panel > Settings > Business (or API keys page); part of every API path' },
    { name: 'public_key', label: 'Public key', required: true, secret: false, pattern: /^[A-Za-z0-9]{8,64}$/, patternReason: 'must be an API public key (letters and digits)', description: 'Control Panel > Settings > API > API Keys; names the key pair in webhook signatures' },
    { name: 'private_key', label: 'Private key', required: true, secret: true, pattern: /^[A-Za-z0-9]{16,64}$/, patternReason: 'must be an API private key (letters and digits)', description: 'The private key of the same API key pair; HTTP Basic password and webhook signing key' },
    { name: 'merchant_account_id', label: 'Merchant account ID', required: false, secret: false, pattern: /^[A-Za-z0-9_-]{1,64}$/, patternReason: 'must be a merchant account ID (letters, digits, _ or -)', description: 'The merchant account (and so the currency) payments go to; the gateway\'s default merchant account when absent' },
    { name: 'raw_card_data_enabled', label: 'Full card details enabled', required: false, secret: false, pattern: /^(true|false)$/, patternReason: 'must be true or false', description: 'true only for PCI SAQ D merchants sending card numbers server to server; otherwise send payment method nonces from Braintree\'s client SDK as gateway_token' },
  ],
  authentication: 'HTTP Basic public_key:private_key, X-ApiVersion: 6 (the client API of the official SDKs); webhooks: bt_signature = public_key|hex HMAC-SHA1(SHA-1(private_key), bt_payload)',
  statusTable: BRAINTREE_STATUS_TABLE,
  proof: 'emulator that validates every request against a contract written from the official Node SDK\'s request building and Braintree\'s API reference; the official braintree package drives it (sale, submit for settlement, void, refund, find) and signs and parses webhooks both ways; conformance suite',
  docs: 'docs/connectors/braintree.md',
  create: (context) => createBraintreeConnector(context),
};
