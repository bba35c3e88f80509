// PayU India (PayU Biz), on the connector kit. https://docs.payu.in
// - authorise: a form POST to /_payment signed with the request hash. Cards go through PayU's
//   hosted page by default (the browser posts the form: PENDING_AUTHENTICATION whose params hold no
//   card data); with raw_card_data_enabled the card is sent server to server (txn_s2s_flow=1) and
//   the bank page from PayU's answer (acsTemplate) is the redirect. Netbanking (pg=NB + bank code)
//   and wallets (pg=CASH) are redirects. UPI collect and intent are server to server
//   (txn_s2s_flow=4): PENDING, settled by PayU's callback or verify_payment; intent answers the
//   upi://pay link as sdk_params.intent_uri.
// - return: the shopper's browser posts PayU's result to our return URL (surl = furl): we verify the
//   reverse hash (constant time) and confirm with verify_payment before changing anything.
// - status: command verify_payment (var1 = txnid); capture: capture_transaction; void and refund:
//   cancel_refund_transaction (var1 = mihpayid, var2 = our token, var3 = amount); refund status:
//   check_action_status. Commands: POST /merchant/postservice.php?form=2 with hash = sha512(key|command|var1|SALT).
// - idempotency: PayU has no idempotency header. Our txnid is unique and PayU refuses a txnid it has
//   seen ("duplicate"), so a retried create cannot charge twice: on that refusal, and after a timeout
//   (status sync by our reference), we read the payment with verify_payment. Capture/refund tokens are
//   derived from our idempotency key, and a refund first looks for its token among the payment's
//   refunds (check_action_status by PayU id) before asking again.
import { GATEWAY_IDS } from '../../core/gateways.ts';
import { ConnectorError, type AuthorizeOutcome, type CaptureOutcome, type Connector, type ConnectorAccount, type RefundOutcome } from '../../core/ports/connector.ts';
import type { ConnectorContext, ConnectorDefinition } from '../kit/definition.ts';
import { failedFromRow, modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome } from '../kit/outcomes.ts';
import { TransportError } from '../kit/transport.ts';
import { unifiedError } from '../unified-errors.ts';
import { commandHash, reverseHashValid } from './hash.ts';
import { classifyUnlistedPayu, PAYU_STATUS_TABLE, payuFailure } from './status-table.ts';
import {
  actionRecords, commandOk, failedOutcome, fromPayuAmount, holdsCardData, outcomeOfResult, parseJson, payuToken, payuTxnId, planPayment, redirectOfAcsTemplate,
  storableResult, toPayuAmount, verifyEntry, type PayuActionRecord, type PayuCommandAnswer, type PayuResult,
} from './transformers.ts';
import { parsePayuPaymentCallback, readPayuCallback } from './webhooks.ts';

const GATEWAY = 'PAYU';
const COMMAND_PATH = '/merchant/postservice.php?form=2';

/** PayU's production split: payments on secure.payu.in, commands on info.payu.in; one origin otherwise (test.payu.in, emulators). */
export function payuCommandOrigin(paymentOrigin: string): string {
  return paymentOrigin.replace(/^https:\/\/secure\.payu\.in$/, 'https://info.payu.in');
}

interface S2sAnswer {
  metaData?: { message?: string | null; statusCode?: string | null; txnId?: string; txnStatus?: string; unmappedStatus?: string; referenceId?: string };
  result?: { acsTemplate?: string; otpPostUrl?: string; paymentId?: string; intentURIData?: string; merchantVpa?: string } | null;
}

export function createPayuConnector(context: ConnectorContext): Connector {
  const baseUrl = (context.baseUrls.PAYU ?? payuDefinition.defaultBaseUrl).replace(/\/$/, '');
  const commandUrl = `${payuCommandOrigin(baseUrl)}${COMMAND_PATH}`;

  function credentials(account: ConnectorAccount): { key: string; salt: string; rawCardDataEnabled: boolean } {
    const key = account.credentials.merchant_key;
    const salt = account.credentials.merchant_salt;
    if (!key || !salt) throw new ConnectorError('The PayU account needs merchant_key and merchant_salt', GATEWAY, 'CONFIGURATION');
    return { key, salt, rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' };
  }

  function post(account: ConnectorAccount, operation: string, url: string, form: Record<string, string>) {
    return context.transport.request({
      gateway: GATEWAY, operation, method: 'POST', url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(), accountId: account.accountId,
    });
  }

  async function command(account: ConnectorAccount, operation: string, name: string, vars: { var1: string; var2?: string; var3?: string }): Promise<{ status: number; answer: PayuCommandAnswer | undefined }> {
    const { key, salt } = credentials(account);
    const response = await post(account, operation, commandUrl, { key, command: name, var1: vars.var1, ...(vars.var2 !== undefined ? { var2: vars.var2 } : {}), ...(vars.var3 !== undefined ? { var3: vars.var3 } : {}), hash: commandHash(key, name, vars.var1, salt) });
    return { status: response.status, answer: parseJson(response.text) };
  }

  /** verify_payment by txnid: PayU's record of the payment, 'not found', or what stopped us reading it. */
  async function verify(account: ConnectorAccount, txnid: string, operation: string): Promise<{ entry: PayuResult } | { outcome: AuthorizeOutcome }> {
    let reply: Awaited<ReturnType<typeof command>>;
    try {
      reply = await command(account, operation, 'verify_payment', { var1: txnid });
    } catch (error) {
      return { outcome: readTransportOutcome(error, txnid) };
    }
    const entry = verifyEntry(reply.answer, txnid);
    if (reply.status >= 500 || !entry) {
      return { outcome: { kind: 'UNKNOWN', raw: { code: reply.status >= 500 ? `HTTP_${reply.status}` : 'UNREADABLE', message: reply.answer?.msg ?? 'PayU did not answer verify_payment with this transaction', gatewayTxnId: txnid } } };
    }
    return { entry };
  }

  async function read(account: ConnectorAccount, txnid: string, operation: string): Promise<AuthorizeOutcome> {
    const verified = await verify(account, txnid, operation);
    return 'outcome' in verified ? verified.outcome : outcomeOfResult(verified.entry, txnid);
  }

  async function authorizeServerToServer(account: ConnectorAccount, form: Record<string, string>, flow: 'CARD' | 'UPI_COLLECT' | 'UPI_INTENT', card: Parameters<typeof holdsCardData>[1]): Promise<AuthorizeOutcome> {
    const txnid = form.txnid!;
    let response;
    try {
      response = await post(account, 'authorize', `${baseUrl}/_payment`, form);
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
      if (/duplicate/i.test(message)) return read(account, txnid, 'authorize');
      if (/hash/i.test(message)) return failedFromRow('hash_mismatch', message, PAYU_STATUS_TABLE.hash_mismatch!);
      if (/mandatory|invalid|missing/i.test(message) && !meta.statusCode) return { ...failedFromRow('invalid_request', message, PAYU_STATUS_TABLE.invalid_request!), raw: { code: 'invalid_request', message, gatewayTxnId: txnid, body } };
      const code = meta.statusCode && meta.statusCode !== 'E000' ? meta.statusCode : meta.unmappedStatus || 'failed';
      return failedOutcome(code, message || undefined, txnid, body);
    }
    const raw = { code: meta.unmappedStatus || txnStatus || 'pending', message: message || 'Accepted by PayU', gatewayTxnId: txnid, body };
    if (txnStatus === 'success' || txnStatus === 'captured') return read(account, txnid, 'authorize');
    if (flow === 'UPI_INTENT') {
      const intent = answer?.result?.intentURIData;
      if (!intent) return { kind: 'UNKNOWN', raw: { ...raw, code: 'UNREADABLE', message: 'PayU answered a UPI intent without intentURIData' } };
      return { kind: 'PENDING', raw, sdkParams: { intent_uri: intent.startsWith('upi://') ? intent : `upi://pay?${intent}` } };
    }
    if (flow === 'UPI_COLLECT') return { kind: 'PENDING', raw };
    const redirect = answer?.result?.acsTemplate ? redirectOfAcsTemplate(answer.result.acsTemplate) : null;
    if (!redirect) return { kind: 'UNKNOWN', raw: { ...raw, code: 'UNREADABLE', message: 'PayU answered a card payment without a bank page to send the shopper to' } };
    // The params are stored with the attempt: they must never carry the card.
    if (holdsCardData(redirect.params, card)) throw new ConnectorError('PayU\'s bank redirect would carry card data: refusing to keep it', GATEWAY, 'PROTOCOL');
    return { kind: 'PENDING_AUTHENTICATION', raw, authentication: redirect };
  }

  /** mihpayid, state and amount of a payment we name by txnid (commands act on PayU's id). */
  async function paymentOf(account: ConnectorAccount, txnid: string, operation: string): Promise<{ mihpayid: string; unmapped: string; status: string; amount: string } | { failure: string; message: string } | { error: unknown } > {
    const verified = await verify(account, txnid, operation);
    if ('outcome' in verified) return { error: verified.outcome };
    const { entry } = verified;
    if (!entry.mihpayid || entry.mihpayid === 'Not Found') return { failure: '116', message: 'PayU has no transaction with this txnid' };
    return { mihpayid: String(entry.mihpayid), unmapped: String(entry.unmappedstatus ?? ''), status: String(entry.status ?? ''), amount: String(entry.amt ?? entry.transaction_amount ?? entry.amount ?? '') };
  }

  const modificationFailure = (code: string, message: string, txnid: string, body?: Record<string, unknown>): CaptureOutcome => {
    const entry = payuFailure(code);
    return { kind: 'FAILURE', raw: { code, message, gatewayTxnId: txnid, ...(body ? { body } : {}) }, unified: { code: entry.unifiedCode ?? 'INVALID_REQUEST', message: entry.unifiedMessage ?? entry.message, category: entry.category ?? 'BUSINESS_ERROR' } };
  };
  const unreadable = (txnid: string): CaptureOutcome => ({ kind: 'FAILURE', raw: { code: 'UNREADABLE', message: 'PayU\'s answer could not be read: the outcome is unknown', gatewayTxnId: txnid }, unified: unifiedError('TIMEOUT_UNKNOWN') });
  const commandCode = (answer: PayuCommandAnswer | undefined): string => (answer?.error_code !== undefined && answer.error_code !== null && String(answer.error_code) !== '' ? String(answer.error_code) : /amount/i.test(answer?.msg ?? '') ? 'refund_exceeds_captured' : 'invalid_request');

  async function capture(account: ConnectorAccount, txnid: string, amount: number, currency: string, key: string | undefined): Promise<CaptureOutcome> {
    const payment = await paymentOf(account, txnid, 'capture');
    if ('error' in payment) return { kind: 'FAILURE', raw: { code: 'UNKNOWN', message: 'PayU could not be asked for the payment before capturing', gatewayTxnId: txnid }, unified: unifiedError('TIMEOUT_UNKNOWN') };
    if ('failure' in payment) return modificationFailure(payment.failure, payment.message, txnid);
    let reply;
    try {
      reply = await command(account, 'capture', 'capture_transaction', { var1: payment.mihpayid, var2: payuToken(key ?? `capture-${txnid}`), var3: toPayuAmount(amount, currency) });
    } catch (error) {
      return modificationTransportOutcome(error, txnid);
    }
    if (reply.status >= 500 || !reply.answer) return unreadable(txnid);
    const body = reply.answer as Record<string, unknown>;
    if (!commandOk(reply.answer)) {
      const code = commandCode(reply.answer);
      // 301: "Capture already successful for this transaction" (our retry after a lost answer).
      if (code === '301') return { kind: 'SUCCESS', raw: { code, message: reply.answer.msg ?? 'Capture already successful', gatewayTxnId: txnid, body } };
      return modificationFailure(code, reply.answer.msg ?? 'PayU refused the capture', txnid, body);
    }
    // "Capture Request Queued": done when verify_payment shows it captured, otherwise settled later by sync or callback.
    const after = await read(account, txnid, 'capture');
    return after.kind === 'CHARGED' ? { kind: 'SUCCESS', raw: { code: 'captured', message: reply.answer.msg ?? 'Captured', gatewayTxnId: txnid, body } } : { kind: 'PENDING', raw: { code: 'queued', message: reply.answer.msg ?? 'Capture Request Queued', gatewayTxnId: txnid, body } };
  }

  async function voidPayment(account: ConnectorAccount, txnid: string, key: string | undefined): Promise<CaptureOutcome> {
    const payment = await paymentOf(account, txnid, 'void');
    if ('error' in payment) return { kind: 'FAILURE', raw: { code: 'UNKNOWN', message: 'PayU could not be asked for the payment before voiding', gatewayTxnId: txnid }, unified: unifiedError('TIMEOUT_UNKNOWN') };
    if ('failure' in payment) return modificationFailure(payment.failure, payment.message, txnid);
    if (payment.unmapped === 'cancelled') return { kind: 'SUCCESS', raw: { code: 'cancelled', message: 'Already cancelled', gatewayTxnId: txnid } };
    // cancel_refund_transaction on a captured payment is a refund: a void only cancels an authorisation.
    if (payment.unmapped !== 'auth') return modificationFailure('111', `Only an authorised (pre-auth) payment can be voided; PayU shows it ${payment.unmapped || payment.status}`, txnid);
    let reply;
    try {
      reply = await command(account, 'void', 'cancel_refund_transaction', { var1: payment.mihpayid, var2: payuToken(key ?? `void-${txnid}`), var3: payment.amount });
    } catch (error) {
      return modificationTransportOutcome(error, txnid);
    }
    if (reply.status >= 500 || !reply.answer) return unreadable(txnid);
    const body = reply.answer as Record<string, unknown>;
    if (!commandOk(reply.answer)) return modificationFailure(commandCode(reply.answer), reply.answer.msg ?? 'PayU refused the cancellation', txnid, body);
    const after = await read(account, txnid, 'void');
    return after.kind === 'VOIDED' ? { kind: 'SUCCESS', raw: { code: 'cancelled', message: reply.answer.msg ?? 'Cancelled', gatewayTxnId: txnid, body } } : { kind: 'PENDING', raw: { code: 'queued', message: reply.answer.msg ?? 'Cancel Request Queued', gatewayTxnId: txnid, body } };
  }

  function refundOutcomeOf(record: PayuActionRecord, txnid: string): RefundOutcome {
    const status = (record.status ?? '').toLowerCase();
    const raw = { code: status || 'queued', message: `PayU refund ${status || 'queued'}`, gatewayTxnId: txnid, body: storableResult(record as Record<string, unknown>) };
    if (status === 'success') return { kind: 'SUCCESS', raw, arn: record.bank_arn ? String(record.bank_arn) : null, gatewayRefundId: record.request_id };
    if (status === 'failure' || status === 'failed' || status === 'cancelled') return { kind: 'FAILURE', raw, unified: unifiedError('INVALID_STATE'), gatewayRefundId: record.request_id };
    return { kind: 'PENDING', raw, gatewayRefundId: record.request_id };
  }

  async function actionStatus(account: ConnectorAccount, var1: string, byPayuId: boolean): Promise<PayuActionRecord[] | null> {
    const reply = await command(account, 'refundStatus', 'check_action_status', { var1, ...(byPayuId ? { var2: 'payuid' } : {}) });
    if (reply.status >= 500 || !reply.answer) return null;
    return actionRecords(reply.answer);
  }

  return {
    name: GATEWAY,
    statusTable: PAYU_STATUS_TABLE,
    classifyUnlisted: classifyUnlistedPayu,
    capabilities: { paymentMethodTypes: payuDefinition.capabilities.paymentMethodTypes, currencies: payuDefinition.capabilities.currencies },

    async authorize(account, request) {
      const plan = planPayment(request, credentials(account));
      if (plan.kind === 'REFUSED') return failedFromRow(plan.code, plan.message, PAYU_STATUS_TABLE[plan.code] ?? PAYU_STATUS_TABLE.invalid_request!);
      if (plan.kind === 'S2S') return authorizeServerToServer(account, plan.form, plan.flow, request.card);
      return {
        kind: 'PENDING_AUTHENTICATION',
        raw: { code: 'redirect', message: 'The shopper\'s browser posts this form to PayU', gatewayTxnId: plan.form.txnid! },
        authentication: { method: 'POST', url: `${baseUrl}/_payment`, params: plan.form },
      };
    },

    // The browser came back with PayU's result: trust it only with a valid reverse hash, and only as far as verify_payment agrees.
    async completeAuthentication(account, txnid, params) {
      const { key, salt } = credentials(account);
      const signed = params.key === key && params.txnid === txnid && reverseHashValid(params, salt);
      const verified = await verify(account, txnid, 'completeAuthentication');
      if ('outcome' in verified) return verified.outcome;
      const outcome = outcomeOfResult(verified.entry, txnid);
      if (!signed) {
        // A forged or garbled return changes nothing by itself: only PayU's own final word counts.
        const final = outcome.kind === 'CHARGED' || outcome.kind === 'AUTHORIZED' || outcome.kind === 'VOIDED' || (outcome.kind === 'FAILED' && outcome.raw.code !== 'NOT_FOUND');
        if (final) return outcome;
        return { kind: 'UNKNOWN', raw: { code: 'REVERSE_HASH_MISMATCH', message: 'The return from PayU is not signed with this account\'s salt: not trusted; the status sync settles the payment', gatewayTxnId: txnid } };
      }
      // Signed: the amount PayU reports must be the one it signed.
      if ((outcome.kind === 'CHARGED' || outcome.kind === 'AUTHORIZED') && params.amount && verified.entry.amt !== undefined && fromPayuAmount(String(verified.entry.amt), 'INR') !== fromPayuAmount(params.amount, 'INR')) {
        return { kind: 'UNKNOWN', raw: { code: 'AMOUNT_MISMATCH', message: 'PayU reports another amount than the signed return', gatewayTxnId: txnid } };
      }
      return outcome;
    },

    syncStatus: (account, reference) => read(account, payuTxnId(reference), 'syncStatus'),

    capture: (account, txnid, amount, currency, key) => capture(account, txnid, amount, currency, key),
    void: (account, txnid, key) => voidPayment(account, txnid, key),

    async refund(account, request): Promise<RefundOutcome> {
      const txnid = request.gatewayTxnId;
      const token = payuToken(request.idempotencyKey);
      try {
        const payment = await paymentOf(account, txnid, 'refund');
        if ('error' in payment) return { kind: 'PENDING', raw: { code: 'UNKNOWN', message: 'PayU could not be asked for the payment: retry the refund', gatewayTxnId: txnid } };
        if ('failure' in payment) return { kind: 'FAILURE', raw: { code: payment.failure, message: payment.message, gatewayTxnId: txnid }, unified: unifiedError('TRANSACTION_NOT_FOUND') };
        // cancel_refund_transaction on an authorisation would cancel it: refunds are for captured payments.
        if (payment.unmapped !== 'captured') return { kind: 'FAILURE', raw: { code: '111', message: `Only a captured payment can be refunded; PayU shows it ${payment.unmapped || payment.status}`, gatewayTxnId: txnid }, unified: unifiedError('INVALID_STATE') };
        // A refund asked before under this token (our retry): report it instead of asking again.
        const earlier = await actionStatus(account, payment.mihpayid, true);
        const mine = earlier?.find((record) => record.token === token && (record.action ?? 'refund') === 'refund');
        if (mine) return refundOutcomeOf(mine, txnid);
        const reply = await command(account, 'refund', 'cancel_refund_transaction', { var1: payment.mihpayid, var2: token, var3: toPayuAmount(request.amount, request.currency) });
        if (reply.status >= 500 || !reply.answer) return { kind: 'PENDING', raw: { code: reply.status >= 500 ? `HTTP_${reply.status}` : 'UNREADABLE', message: 'PayU\'s answer to the refund could not be read: retry the refund', gatewayTxnId: txnid } };
        const body = reply.answer as Record<string, unknown>;
        if (!commandOk(reply.answer)) {
          const code = commandCode(reply.answer);
          const entry = payuFailure(code);
          return { kind: 'FAILURE', raw: { code, message: reply.answer.msg ?? 'PayU refused the refund', gatewayTxnId: txnid, body }, unified: { code: entry.unifiedCode ?? 'INVALID_REQUEST', message: entry.unifiedMessage ?? entry.message, category: entry.category ?? 'BUSINESS_ERROR' } };
        }
        const requestId = String(reply.answer.request_id ?? '');
        // "Refund Request Queued": its state is check_action_status's.
        const records = requestId ? await actionStatus(account, requestId, false) : null;
        const record = records?.find((r) => r.request_id === requestId);
        if (record) return refundOutcomeOf(record, txnid);
        return { kind: 'PENDING', raw: { code: 'queued', message: reply.answer.msg ?? 'Refund Request Queued', gatewayTxnId: txnid, body }, gatewayRefundId: requestId || null };
      } catch (error) {
        if (error instanceof TransportError) return refundTransportOutcome(error, txnid);
        throw error;
      }
    },

    async parseWebhook(account, request) {
      const { key, salt } = credentials(account);
      const callback = readPayuCallback(request);
      if (callback.kind === 'OTHER') return { kind: 'IGNORED', reason: callback.reason };
      if (callback.kind === 'PAYMENT') return parsePayuPaymentCallback(callback.fields, key, salt);
      // A refund callback is unsigned: believe only what check_action_status says about its request id.
      if (callback.key !== null && callback.key !== key) throw new ConnectorError('PayU refund callback is for another merchant key', GATEWAY, 'SIGNATURE');
      let records: PayuActionRecord[] | null;
      try {
        records = await actionStatus(account, callback.requestId, false);
      } catch (error) {
        if (error instanceof TransportError) throw new ConnectorError('PayU could not confirm the refund callback now', GATEWAY, 'PROTOCOL');
        throw error;
      }
      const record = records?.find((r) => r.request_id === callback.requestId);
      if (!record) throw new ConnectorError('PayU does not confirm this refund callback', GATEWAY, 'SIGNATURE');
      const txnid = String(record.merchantTxnId ?? record.txnid ?? '');
      const outcome = refundOutcomeOf(record, txnid);
      return { kind: 'REFUND', gatewayRefundId: record.request_id, refundId: record.token ?? callback.token ?? record.request_id, outcome, eventId: `payu-refund:${record.request_id}:${record.status ?? ''}` };
    },
  };
}

export const payuDefinition: ConnectorDefinition = {
  gateway: 'PAYU',
  gatewayId: GATEWAY_IDS.PAYU,
  displayName: 'PayU India',
  defaultBaseUrl: 'https://test.payu.in',
  capabilities: {
    paymentMethodTypes: ['CARD', 'UPI', 'NB', 'WALLET'],
    cardBrands: ['VISA', 'MASTERCARD', 'MAESTRO', 'RUPAY', 'AMEX', 'DINERS'],
    currencies: ['INR'],
    countries: ['IN'],
    // Pre-authorisation (pre_authorize=1, capture_transaction) exists for cards only, and must be enabled by PayU on the account.
    captureModes: ['AUTO', 'MANUAL'],
    partialCapture: true,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: true,
    webhooks: true,
    asynchronousModifications: true,
  },
  credentials: [
    { name: 'merchant_key', label: 'Merchant key', required: true, secret: false, pattern: /^[A-Za-z0-9]{4,20}$/, patternReason: 'must be the PayU merchant key (letters and digits, e.g. gtKFFx)', description: 'PayU Dashboard > Developers (or Payment Gateway > Key & Salt); sent as the key field of every request' },
    { name: 'merchant_salt', label: 'Merchant salt', required: true, secret: true, pattern: /^\S{8,128}$/, patternReason: 'must be the PayU salt (version 1 salt, 8 characters or more, no spaces)', description: 'PayU Dashboard > Developers: the salt that keys every request hash and verifies every answer\'s reverse hash; never sent' },
    { name: 'raw_card_data_enabled', label: 'Seamless card flow enabled', required: false, secret: false, pattern: /^(true|false)$/, patternReason: 'must be true or false', description: 'true only for PCI DSS merchants PayU has enabled for server-to-server (seamless) card payments; otherwise cards go through PayU\'s hosted page' },
  ],
  authentication: 'merchant key as the key field; sha512 request hash keyed with the salt (_payment: key|txnid|amount|productinfo|firstname|email|udf1..udf5||||||SALT; commands: key|command|var1|SALT); answers and callbacks carry a reverse hash we verify',
  statusTable: PAYU_STATUS_TABLE,
  proof: 'emulator that validates every form and command against a JSON Schema written from docs.payu.in and checks the hashes; hash formulas locked by PayU\'s published worked example and Python hashlib; documented sample answers parsed; conformance suite (redirect-first)',
  docs: 'docs/connectors/payu.md',
  create: (context) => createPayuConnector(context),
};
