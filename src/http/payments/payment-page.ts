// The pages the shopper's browser sees: the hosted payment page behind `payment_links.web` (a card
// form that posts to /txns with no API key, as PCI merchants do, and follows the authentication URL
// it answers with), and the return page after authentication.
import { formatAmountString } from '../../core/money.ts';
import type { Order, Txn } from '../../core/payments/types.ts';
import { escapeHtml } from '../html.ts';

export function renderPaymentPage(order: Order): string {
  const amount = `${escapeHtml(order.currency)} ${formatAmountString(order.amount, order.currency)}`;
  const open = ['NEW', 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED', 'JUSPAY_DECLINED', 'PENDING_VBV', 'STARTED'].includes(order.status);
  const data = JSON.stringify({ merchant_id: order.merchantId, order_id: order.orderId }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pay ${amount}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1d2433}
label{display:block;margin:.6rem 0 .2rem;font-size:.9rem}input,select{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
.row{display:flex;gap:.5rem}.row>div{flex:1}button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#2450d8;color:#fff;border:0;border-radius:4px}
#error{color:#b3261e;margin-top:.8rem}</style></head>
<body><h1>Pay ${amount}</h1><p>Order <b>${escapeHtml(order.orderId)}</b> &middot; ${escapeHtml(order.status)}</p>
${
  open
    ? `<form id="pay">
<label for="card_number">Card number</label><input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" value="4111111111111111">
<div class="row"><div><label for="card_exp_month">Month</label><input id="card_exp_month" name="card_exp_month" value="12"></div>
<div><label for="card_exp_year">Year</label><input id="card_exp_year" name="card_exp_year" value="2030"></div>
<div><label for="card_security_code">CVV</label><input id="card_security_code" name="card_security_code" value="123" autocomplete="cc-csc"></div></div>
<label for="auth_type">Authentication</label><select id="auth_type" name="auth_type"><option value="THREE_DS">3-D Secure</option><option value="">None</option></select>
<button type="submit">Pay ${amount}</button><div id="error" role="alert"></div></form>
<script>
const base = ${data};
document.getElementById('pay').addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = Object.fromEntries(new FormData(event.target));
  if (!fields.auth_type) delete fields.auth_type;
  const body = new URLSearchParams({ ...base, payment_method_type: 'CARD', ...fields });
  const response = await fetch('/txns', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const answer = await response.json();
  if (!response.ok) { document.getElementById('error').textContent = answer.error_message || 'Payment failed'; return; }
  location.href = answer.payment.authentication.url;
});
</script>`
    : '<p>This order takes no more payments.</p>'
}
</body></html>`;
}

/** A UPI collect request still waiting for the shopper's approval in their UPI app: the page refreshes itself. */
export function renderUpiWaitingPage(order: Pick<Order, 'orderId'>): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Approve the payment in your UPI app</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1>Approve the payment in your UPI app</h1><p>Order <b>${escapeHtml(order.orderId)}</b>: a collect request was sent to your UPI id. This page moves on by itself once you have approved or declined it.</p></body></html>`;
}

/** The end of a payment for an order without a return URL. */
export function renderReturnPage(order: Pick<Order, 'orderId' | 'status'>, txn: Pick<Txn, 'status'>): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Payment ${escapeHtml(order.status)}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1>Payment ${escapeHtml(order.status)}</h1><p>Order <b>${escapeHtml(order.orderId)}</b>: ${escapeHtml(txn.status)}.</p><p>You may close this window.</p></body></html>`;
}
