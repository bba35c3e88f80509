// A local, stateful stand-in for PayU India (PayU Biz), for tests and the offline demo.
// - POST /_payment: the form is validated against ./contract (violations recorded), the request
//   hash checked with the account's salt; a wrong hash or a txnid PayU has seen is refused the way
//   PayU's docs describe ("Transaction failed due to incorrectly calculated hash parameter.",
//   "duplicate" txnid; https://docs.payu.in/docs/error-handling). Without txn_s2s_flow it serves the
//   hosted page (cards, or the bank page for pg=NB, the wallet page for pg=CASH) where the shopper
//   chooses success or failure; with txn_s2s_flow=1 (cards) it answers JSON with an acsTemplate that
//   posts to the bank page; with txn_s2s_flow=4 (UPI collect / intent) it answers pending, settled
//   later (settleUpi, or upiSettleAfterMs). Every result goes back to surl/furl as a self-submitting
//   HTML form with the reverse hash, and to the registered webhook URLs as a form-encoded callback.
// - POST /merchant/postservice.php?form=2: verify_payment, check_payment, capture_transaction,
//   cancel_refund_transaction (void of an auth, refund of a capture), check_action_status.
// - Any documented error code on demand (declineNext), command refusals, stalls, 5xx, down.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator } from '../kit.ts';
import { payuViolations, type PayuSchemaName } from './contract.ts';

type Fields = Record<string, string>;

export interface PayuEmulatorOptions {
  port?: number;
  host?: string;
  /** merchant key -> salt. Default: the test account of the connector's fixtures. */
  accounts?: Readonly<Record<string, string>>;
  /** Keys whose results carry additional_charges (reverse hash with the additional-charges prefix). */
  additionalCharges?: Readonly<Record<string, string>>;
  /** Settle UPI payments by themselves after this long (demo); tests call settleUpi. */
  upiSettleAfterMs?: number;
  /** Keep refunds queued (check_action_status says queued) until settleRefunds(). */
  holdRefunds?: boolean;
}

export interface PayuPaymentState {
  mihpayid: string;
  key: string;
  form: Fields;
  txnid: string;
  amount: string;
  mode: string;
  bankcode: string;
  preAuth: boolean;
  s2s: string | null;
  status: 'initiated' | 'pending' | 'success' | 'failure';
  unmappedstatus: string;
  error: string;
  errorMessage: string;
  bankRefNum: string;
  cardnum: string;
  capturedPaise: number;
  refundedPaise: number;
  actions: PayuActionState[];
  addedon: string;
}

export interface PayuActionState {
  request_id: string;
  token: string;
  action: 'refund' | 'capture' | 'cancel';
  amt: string;
  status: 'queued' | 'success' | 'failure';
  mihpayid: string;
  bank_ref_num: string;
  bank_arn: string | null;
}

export interface PayuCallbackEvent {
  txnid: string;
  fields: Fields;
}

export interface PayuEmulator {
  url: string;
  port: number;
  /** Every request, card fields masked. */
  requests: Array<{ method: string; path: string; fields: Fields }>;
  /** Contract violations of the requests received (a conforming client leaves this empty). */
  violations: Array<{ path: string; schema: PayuSchemaName; problems: Array<{ path: string; reason: string }> }>;
  /** Every server-to-server callback produced, newest last. */
  events: PayuCallbackEvent[];
  payment(txnid: string): PayuPaymentState | undefined;
  chargeCount(): number;
  /** The next payment decided fails with this PayU error code (E308, E307, ...); null: succeed. */
  declineNext(code: string | null): void;
  /** The next command answers status 0 with this error code and message. */
  commandErrorNext(errorCode: string, message: string): void;
  settleUpi(txnid: string, result: 'success' | 'failure', errorCode?: string): void;
  settleRefunds(status?: 'success' | 'failure'): void;
  /** The signed callback PayU would post for this payment's current state. */
  callbackFor(txnid: string): { headers: Record<string, string>; rawBody: string };
  /** A refund status callback (JSON, as PayU sends it) for one refund request. */
  refundCallbackFor(requestId: string): { headers: Record<string, string>; rawBody: string };
  addWebhookEndpoint(key: string, url: string): void;
  stallNext(ms: number, count?: number, path?: string): void;
  failNext(status: number, count?: number, path?: string): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export const PAYU_TEST_KEY = 'gtKFFx';
export const PAYU_TEST_SALT = 'eCwWELxi4Yb3Wa9wQ1Vp';

const sha512 = (text: string) => createHash('sha512').update(text, 'utf8').digest('hex');
const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const toPaise = (amount: string): number => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};
const toRupees = (paise: number): string => `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;

const ERROR_TEXT: Record<string, string> = {
  E000: 'No Error',
  E348: 'Transaction declined by the issuer',
  E341: 'Transaction failed due to invalid merchant',
  E310: 'Card has been classified as lost and has been blocked.',
  E307: 'Transaction declined with do not honor',
  E1903: 'Authorization failed at Bank',
  E207: 'Bank denied transaction on the card.',
  E715: 'Invalid amount sent to the bank',
  E1632: 'Transaction declined due to either incorrect cvv/expiry or card validation failure',
  E305: 'The transaction failed due to invalid or absent card number.',
  E345: 'Transaction declined due to technical failure',
  E308: 'Transaction Failed at bank end.',
  E907: 'Wrong payment method selected.',
  E1620: 'Payment Method Enforced and wrong method selected',
  E4684: 'VPA is not available for transaction',
  E4316: 'WITHDRAWAL STOPPED OWING TO DEATH OF ACCOUNT HOLDER',
  E4317: 'WITHDRAWAL STOPPED OWING TO INSOLVENCY OF ACCOUNT',
  E4318: 'WITHDRAWAL STOPPED OWING TO LUNACY OF ACCOUNT HOLD',
};

export async function startPayuEmulator(options: PayuEmulatorOptions = {}): Promise<PayuEmulator> {
  const accounts: Record<string, string> = { ...(options.accounts ?? { [PAYU_TEST_KEY]: PAYU_TEST_SALT }) };
  const payments = new Map<string, PayuPaymentState>(); // key \0 txnid
  const byMihpayid = new Map<string, PayuPaymentState>();
  const actions = new Map<string, PayuActionState>();
  const requests: PayuEmulator['requests'] = [];
  const violations: PayuEmulator['violations'] = [];
  const events: PayuCallbackEvent[] = [];
  const endpoints = new Map<string, string[]>();
  const faults = createFaults();
  let declineNext: string | null = null;
  let commandError: { code: string; message: string } | null = null;
  let sequence = 0;
  let baseUrl = '';

  const newMihpayid = () => `4039937${String(Date.now()).slice(-7)}${String(++sequence).padStart(4, '0')}`;
  const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

  /** PayU's reverse hash, written here independently of the connector's implementation. */
  function reverseHashOf(fields: Fields, salt: string): string {
    const order = ['udf5', 'udf4', 'udf3', 'udf2', 'udf1', 'email', 'firstname', 'productinfo', 'amount', 'txnid', 'key'];
    let text = `${salt}|${fields.status ?? ''}||||||${order.map((name) => fields[name] ?? '').join('|')}`;
    if (fields.additional_charges) text = `${fields.additional_charges}|${text}`;
    return sha512(text);
  }
  const requestHashOf = (f: Fields, salt: string) =>
    sha512(`${f.key}|${f.txnid}|${f.amount}|${f.productinfo}|${f.firstname}|${f.email}|${f.udf1 ?? ''}|${f.udf2 ?? ''}|${f.udf3 ?? ''}|${f.udf4 ?? ''}|${f.udf5 ?? ''}||||||${salt}`);

  /** The fields PayU posts back to surl/furl and to the callback URL. */
  function resultFields(p: PayuPaymentState): Fields {
    const f = p.form;
    const fields: Fields = {
      mihpayid: p.mihpayid,
      mode: p.mode,
      status: p.status === 'initiated' ? 'pending' : p.status,
      unmappedstatus: p.unmappedstatus,
      key: p.key,
      txnid: p.txnid,
      amount: p.amount,
      discount: '0.00',
      net_amount_debit: p.status === 'success' ? p.amount : '0',
      addedon: p.addedon,
      productinfo: f.productinfo ?? '',
      firstname: f.firstname ?? '',
      lastname: f.lastname ?? '',
      address1: '',
      address2: '',
      city: '',
      state: '',
      country: '',
      zipcode: '',
      email: f.email ?? '',
      phone: f.phone ?? '',
      udf1: f.udf1 ?? '',
      udf2: f.udf2 ?? '',
      udf3: f.udf3 ?? '',
      udf4: f.udf4 ?? '',
      udf5: f.udf5 ?? '',
      udf6: '',
      udf7: '',
      udf8: '',
      udf9: '',
      udf10: '',
      field1: '',
      field2: '',
      field3: '',
      field4: '',
      field5: '',
      field6: '',
      field7: p.status === 'success' ? 'AUTHPOSITIVE' : '',
      field8: '',
      field9: p.errorMessage,
      payment_source: 'payu',
      PG_TYPE: `${p.mode}-PG`,
      bank_ref_num: p.bankRefNum,
      bankcode: p.bankcode,
      error: p.error,
      error_Message: p.errorMessage,
      ...(p.cardnum ? { cardnum: p.cardnum, name_on_card: f.ccname ?? '' } : {}),
    };
    const charges = options.additionalCharges?.[p.key];
    if (charges) fields.additional_charges = charges;
    fields.hash = reverseHashOf(fields, accounts[p.key]!);
    return fields;
  }

  function callback(p: PayuPaymentState): void {
    const fields = resultFields(p);
    events.push({ txnid: p.txnid, fields });
    for (const url of endpoints.get(p.key) ?? []) {
      setTimeout(() => void fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }).catch(() => undefined), 5);
    }
  }

  function decide(p: PayuPaymentState, wanted: 'success' | 'failure' | 'cancel', code?: string): void {
    const forced = declineNext;
    declineNext = null;
    if (forced && wanted === 'success') {
      wanted = 'failure';
      code = forced;
    }
    if (wanted === 'success') {
      p.status = 'success';
      p.unmappedstatus = p.preAuth ? 'auth' : 'captured';
      p.error = 'E000';
      p.errorMessage = 'No Error';
      p.bankRefNum = String(100000000000 + sequence * 7919);
      p.capturedPaise = p.preAuth ? 0 : toPaise(p.amount);
    } else if (wanted === 'cancel') {
      p.status = 'failure';
      p.unmappedstatus = 'userCancelled';
      p.error = 'E000';
      p.errorMessage = 'Transaction cancelled by user';
    } else {
      p.status = 'failure';
      p.unmappedstatus = 'failed';
      p.error = code ?? 'E308';
      p.errorMessage = ERROR_TEXT[p.error] ?? 'Transaction failed';
    }
    callback(p);
  }

  const selfSubmitting = (action: string, fields: Fields) =>
    `<!doctype html><html><body onload="document.forms[0].submit()"><form action="${escapeHtml(action)}" method="post" name="payment_post">${Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('')}</form></body></html>`;
  const errorPage = (message: string) => `<!doctype html><html><body><h1>Error</h1><p class="error">${escapeHtml(message)}</p></body></html>`;

  function payPage(p: PayuPaymentState): string {
    const what = p.mode === 'NB' ? `Bank ${p.bankcode} netbanking` : p.mode === 'CASH' ? `Wallet ${p.bankcode}` : p.s2s ? 'Bank authentication (OTP)' : 'PayU checkout: enter your card';
    return (
      `<!doctype html><html><body><h1>${escapeHtml(what)}</h1><p>Pay ${escapeHtml(p.amount)} INR (${escapeHtml(p.txnid)})</p>` +
      `<form action="${baseUrl}/__emulator/pay/${p.mihpayid}" method="post"><select name="result"><option value="success">Success</option><option value="failure">Failure</option><option value="cancel">Cancel</option></select><button>Pay</button></form></body></html>`
    );
  }

  const s2sFailure = (message: string, txnid: string, statusCode: string | null = null) => ({
    metaData: { message, referenceId: randomBytes(16).toString('hex'), statusCode, txnId: txnid, txnStatus: 'failed', unmappedStatus: 'failed' },
    result: null,
  });

  function payment(fields: Fields): { status: number; type: 'html' | 'json'; body: string } {
    const s2s = fields.txn_s2s_flow ?? null;
    const reply = (html: string, json: unknown) => (s2s ? { status: 200, type: 'json' as const, body: JSON.stringify(json) } : { status: 200, type: 'html' as const, body: html });
    const salt = fields.key ? accounts[fields.key] : undefined;
    if (!salt) return reply(errorPage('Sorry, some problem occurred. Invalid key.'), s2sFailure('Invalid key', fields.txnid ?? ''));
    const problems = payuViolations('payment', fields);
    if (problems.length)
      return reply(
        errorPage(`Mandatory Parameters Missing or invalid: ${problems.map((p) => p.path).join(', ')}`),
        s2sFailure(`Mandatory Parameters Missing or invalid: ${problems[0]!.path} ${problems[0]!.reason}`, fields.txnid ?? ''),
      );
    if (fields.hash !== requestHashOf(fields, salt))
      return reply(errorPage('Transaction failed due to incorrectly calculated hash parameter.'), s2sFailure('Transaction failed due to incorrectly calculated hash parameter.', fields.txnid!));
    const id = `${fields.key}\u0000${fields.txnid}`;
    if (payments.has(id))
      return reply(
        errorPage('Error: duplicate Order ID. The transaction ID (txnid) has been used previously.'),
        s2sFailure('Duplicate Transaction ID: the txnid has been used previously', fields.txnid!),
      );
    const pg = fields.pg ?? 'CC';
    const card = fields.ccnum ?? '';
    const p: PayuPaymentState = {
      mihpayid: newMihpayid(),
      key: fields.key!,
      form: { ...fields, ccnum: '', ccvv: '' },
      txnid: fields.txnid!,
      amount: toRupees(toPaise(fields.amount!)),
      mode: pg,
      bankcode: fields.bankcode ?? (pg === 'CC' ? 'CC' : ''),
      preAuth: fields.pre_authorize === '1',
      s2s,
      status: 'initiated',
      unmappedstatus: 'initiated',
      error: '',
      errorMessage: '',
      bankRefNum: '',
      cardnum: card ? `${card.slice(0, 6)}XXXXXX${card.slice(-4)}` : '',
      capturedPaise: 0,
      refundedPaise: 0,
      actions: [],
      addedon: now(),
    };
    payments.set(id, p);
    byMihpayid.set(p.mihpayid, p);
    if (!s2s) return { status: 200, type: 'html', body: payPage(p) };
    p.status = 'pending';
    p.unmappedstatus = 'pending';
    const meta = { message: null, referenceId: randomBytes(16).toString('hex'), statusCode: null, txnId: p.txnid, txnStatus: 'pending', unmappedStatus: 'pending' };
    if (pg === 'UPI') {
      if (options.upiSettleAfterMs !== undefined) setTimeout(() => p.status === 'pending' && decide(p, 'success'), options.upiSettleAfterMs).unref();
      const result: Record<string, string> = { paymentId: p.mihpayid, merchantName: 'Junction Test Merchant', merchantVpa: 'junction.payu@hdfcbank', amount: p.amount };
      if (fields.bankcode === 'INTENT') {
        result.intentURIData = `pa=junction.payu@hdfcbank&pn=Junction%20Test%20Merchant&tr=${p.mihpayid}&tid=PPPL${p.mihpayid}&mc=5411&am=${p.amount}&cu=INR&tn=${encodeURIComponent(p.txnid)}`;
      } else {
        result.otpPostUrl = `${baseUrl}/__emulator/upi/${p.mihpayid}`;
      }
      return { status: 200, type: 'json', body: JSON.stringify({ metaData: meta, result }) };
    }
    // Cards: the bank page the shopper must visit; the template posts a reference, never the card.
    const template = `<html><body onload="document.forms[0].submit()"><form action="${baseUrl}/__emulator/pay/${p.mihpayid}" method="post"><input type="hidden" name="payu_ref" value="${meta.referenceId}"><input type="hidden" name="txnid" value="${escapeHtml(p.txnid)}"></form></body></html>`;
    return {
      status: 200,
      type: 'json',
      body: JSON.stringify({
        metaData: { ...meta, txnStatus: 'Enrolled' },
        result: { otpPostUrl: `${baseUrl}/__emulator/pay/${p.mihpayid}`, acsTemplate: Buffer.from(template).toString('base64') },
        binData: { issuingBank: 'HDFC', category: card.startsWith('4') ? 'creditcard' : 'debitcard', isDomestic: true },
      }),
    };
  }

  // ---- command API ----
  function verifyEntry(p: PayuPaymentState): Fields {
    const r = resultFields(p);
    return {
      mihpayid: p.mihpayid,
      request_id: '',
      bank_ref_num: p.bankRefNum,
      amt: p.amount,
      transaction_amount: p.amount,
      txnid: p.txnid,
      additional_charges: r.additional_charges ?? '0.00',
      productinfo: r.productinfo!,
      firstname: r.firstname!,
      bankcode: p.bankcode,
      udf1: r.udf1!,
      udf2: r.udf2!,
      udf3: '',
      udf4: '',
      udf5: '',
      field9: p.errorMessage,
      error_code: p.error,
      addedon: p.addedon,
      payment_source: 'payu',
      card_type: p.mode === 'CC' || p.mode === 'DC' ? 'VISA' : '',
      error_Message: p.errorMessage,
      net_amount_debit: r.net_amount_debit!,
      disc: '0.00',
      mode: p.mode,
      PG_TYPE: `${p.mode}-PG`,
      card_no: p.cardnum,
      name_on_card: p.form.ccname ?? '',
      status: r.status!,
      unmappedstatus: p.unmappedstatus,
    };
  }

  const actionView = (a: PayuActionState) => ({ ...a });

  function command(fields: Fields): unknown {
    const salt = accounts[fields.key ?? ''];
    const problems = payuViolations('command', fields);
    if (problems.length) return { status: 0, msg: `Invalid request: ${problems[0]!.path} ${problems[0]!.reason}` };
    if (!salt || fields.hash !== sha512(`${fields.key}|${fields.command}|${fields.var1}|${salt}`)) return { status: 0, msg: 'Invalid Hash.' };
    const key = fields.key!;
    if (commandError && fields.command !== 'verify_payment' && fields.command !== 'check_action_status') {
      const error = commandError;
      commandError = null;
      return { status: 0, msg: error.message, error_code: error.code };
    }
    switch (fields.command) {
      case 'verify_payment': {
        const ids = fields.var1!.split('|');
        const details: Record<string, unknown> = {};
        let found = 0;
        for (const txnid of ids) {
          const p = payments.get(`${key}\u0000${txnid}`);
          if (p) found++;
          details[txnid] = p ? verifyEntry(p) : { mihpayid: 'Not Found', status: 'Not Found' };
        }
        return { status: found > 0 ? 1 : 0, msg: `${found} out of ${ids.length} Transactions Fetched Successfully`, transaction_details: details };
      }
      case 'check_payment': {
        const p = byMihpayid.get(fields.var1!);
        return p && p.key === key ? { status: 1, msg: 'Transaction Fetched Successfully', transaction_details: verifyEntry(p) } : { status: 0, msg: 'Transaction not found' };
      }
      case 'capture_transaction': {
        const p = byMihpayid.get(fields.var1!);
        if (!p || p.key !== key) return { status: 0, msg: 'Transaction Not Found', error_code: '116' };
        if (p.actions.some((a) => a.token === fields.var2)) return { status: 0, msg: 'Token already exists.', error_code: '106' };
        if (p.preAuth && p.unmappedstatus === 'captured') return { status: 0, msg: 'Capture already successful for this transaction', error_code: '301' };
        if (!p.preAuth || p.unmappedstatus !== 'auth') return { status: 0, msg: 'Invalid transaction status', error_code: '111' };
        const paise = toPaise(fields.var3!);
        if (paise > toPaise(p.amount)) return { status: 0, msg: 'Amount greater than maximum capturable amount', error_code: '303' };
        const action: PayuActionState = {
          request_id: String(800000000 + ++sequence),
          token: fields.var2!,
          action: 'capture',
          amt: toRupees(paise),
          status: 'success',
          mihpayid: p.mihpayid,
          bank_ref_num: p.bankRefNum,
          bank_arn: null,
        };
        p.actions.push(action);
        actions.set(action.request_id, action);
        p.unmappedstatus = 'captured';
        p.capturedPaise = paise;
        callback(p);
        return { status: 1, msg: 'Capture Request Queued', request_id: action.request_id, bank_ref_num: p.bankRefNum };
      }
      case 'cancel_refund_transaction': {
        const p = byMihpayid.get(fields.var1!);
        if (!p || p.key !== key) return { status: 0, msg: 'Transaction Not Found', error_code: '116' };
        if (p.actions.some((a) => a.token === fields.var2)) return { status: 0, msg: 'Token already exists.', error_code: '106' };
        const paise = toPaise(fields.var3!);
        if (p.unmappedstatus === 'auth') {
          const action: PayuActionState = {
            request_id: String(800000000 + ++sequence),
            token: fields.var2!,
            action: 'cancel',
            amt: toRupees(paise),
            status: 'success',
            mihpayid: p.mihpayid,
            bank_ref_num: p.bankRefNum,
            bank_arn: null,
          };
          p.actions.push(action);
          actions.set(action.request_id, action);
          p.unmappedstatus = 'cancelled';
          p.status = 'failure';
          return { status: 1, msg: 'Cancel Request Queued', request_id: action.request_id, bank_ref_num: p.bankRefNum, mihpayid: p.mihpayid };
        }
        if (p.unmappedstatus !== 'captured') return { status: 0, msg: 'Invalid transaction status', error_code: '111' };
        if (paise <= 0 || paise > p.capturedPaise - p.refundedPaise) return { status: 0, msg: 'Refund amount is greater than the amount left to refund' };
        p.refundedPaise += paise;
        const action: PayuActionState = {
          request_id: String(800000000 + ++sequence),
          token: fields.var2!,
          action: 'refund',
          amt: toRupees(paise),
          status: options.holdRefunds ? 'queued' : 'success',
          mihpayid: p.mihpayid,
          bank_ref_num: p.bankRefNum,
          bank_arn: options.holdRefunds ? null : String(700000000000 + sequence),
        };
        p.actions.push(action);
        actions.set(action.request_id, action);
        return { status: 1, msg: 'Refund Request Queued', request_id: action.request_id, bank_ref_num: p.bankRefNum, mihpayid: p.mihpayid, error_code: 102 };
      }
      case 'check_action_status': {
        if (fields.var2 === 'payuid') {
          const p = byMihpayid.get(fields.var1!);
          if (!p || p.key !== key || p.actions.length === 0) return { status: 0, msg: 'No action status found' };
          return {
            status: 1,
            msg: `${p.actions.length} Transactions Fetched Successfully`,
            transaction_details: { [p.mihpayid]: Object.fromEntries(p.actions.map((a) => [a.request_id, actionView(a)])) },
          };
        }
        const a = actions.get(fields.var1!);
        if (!a || byMihpayid.get(a.mihpayid)?.key !== key) return { status: 0, msg: 'No action status found' };
        return { status: 1, msg: '1 out of 1 Transactions Fetched Successfully', transaction_details: { [a.request_id]: { [a.request_id]: actionView(a) } } };
      }
      default:
        return { status: 0, msg: `Command ${fields.command} is not emulated` };
    }
  }

  const mask = (fields: Fields): Fields => ({ ...fields, ...(fields.ccnum ? { ccnum: `${fields.ccnum.slice(0, 6)}XXXXXX${fields.ccnum.slice(-4)}` } : {}), ...(fields.ccvv ? { ccvv: '***' } : {}) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const fields: Fields = Object.fromEntries(new URLSearchParams(raw));
    const send = (status: number, type: 'html' | 'json', body: string) => res.writeHead(status, { 'content-type': type === 'json' ? 'application/json' : 'text/html; charset=utf-8' }).end(body);

    // The shopper's pages (hosted checkout, bank page, wallet page): not part of PayU's API.
    let m: RegExpExecArray | null;
    if ((m = /^\/__emulator\/pay\/(\d+)$/.exec(path))) {
      const p = byMihpayid.get(m[1]!);
      if (!p) return void send(404, 'html', errorPage('Unknown transaction'));
      if (p.status === 'success' || p.status === 'failure') return void send(200, 'html', errorPage('This transaction is already complete'));
      const choice = fields.result ?? url.searchParams.get('result');
      if (!choice) return void send(200, 'html', payPage(p));
      decide(p, choice === 'failure' ? 'failure' : choice === 'cancel' ? 'cancel' : 'success', fields.error ?? url.searchParams.get('error') ?? undefined);
      const back = resultFields(p);
      return void send(200, 'html', selfSubmitting((p.status as string) === 'success' ? p.form.surl! : p.form.furl!, back));
    }

    requests.push({ method: req.method ?? 'GET', path: `${path}${url.search}`, fields: mask(fields) });
    const failure = faults.takeFailure(path);
    if (failure !== null) return void send(failure, 'html', errorPage('Service Unavailable'));
    let status = 404;
    let type: 'html' | 'json' = 'json';
    let body = JSON.stringify({ status: 0, msg: 'Not found' });
    if (req.method === 'POST' && path === '/_payment') {
      const problems = payuViolations('payment', fields);
      if (problems.length) violations.push({ path, schema: 'payment', problems });
      ({ status, type, body } = payment(fields));
    } else if (req.method === 'POST' && (path === '/merchant/postservice.php' || path === '/merchant/postservice')) {
      if (url.searchParams.get('form') !== '2') violations.push({ path, schema: 'command', problems: [{ path: '?form', reason: 'must be 2 (JSON answers)' }] });
      const problems = payuViolations('command', fields);
      if (problems.length) violations.push({ path, schema: 'command', problems });
      status = 200;
      body = JSON.stringify(command(fields));
    }
    await faults.stall(path);
    send(status, type, body);
  }

  const server = await serveEmulator(handle, { port: options.port, host: options.host });
  baseUrl = server.origin;

  const find = (txnid: string) => [...payments.values()].find((p) => p.txnid === txnid);
  return {
    url: baseUrl,
    port: server.port,
    requests,
    violations,
    events,
    payment: find,
    chargeCount: () => [...payments.values()].filter((p) => p.status === 'success').length,
    declineNext: (code) => {
      declineNext = code;
    },
    commandErrorNext: (code, message) => {
      commandError = { code, message };
    },
    settleUpi(txnid, result, errorCode) {
      const p = find(txnid);
      if (p?.mode !== 'UPI' || p.status !== 'pending') throw new Error(`no pending UPI payment ${txnid}`);
      decide(p, result, errorCode);
    },
    settleRefunds(status = 'success') {
      for (const a of actions.values())
        if (a.action === 'refund' && a.status === 'queued') {
          a.status = status;
          if (status === 'success') a.bank_arn = String(700000000000 + ++sequence);
        }
    },
    callbackFor(txnid) {
      const p = find(txnid);
      if (!p) throw new Error(`no payment ${txnid}`);
      return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: new URLSearchParams(resultFields(p)).toString() };
    },
    refundCallbackFor(requestId) {
      const a = actions.get(requestId);
      if (!a) throw new Error(`no refund ${requestId}`);
      const p = byMihpayid.get(a.mihpayid)!;
      return {
        headers: { 'content-type': 'application/json' },
        rawBody: JSON.stringify({
          additionalValue1: null,
          bank_arn: a.bank_arn,
          refund_mode: 'Back to source',
          bank_ref_num: a.bank_ref_num,
          key: p.key,
          amt: a.amt,
          remark: null,
          status: a.status,
          token: a.token,
          mihpayid: a.mihpayid,
          request_id: a.request_id,
          merchantTxnId: p.txnid,
          additionalValue2: null,
          action: 'refund',
        }),
      };
    },
    addWebhookEndpoint(key, url) {
      endpoints.set(key, [...(endpoints.get(key) ?? []), url]);
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}
