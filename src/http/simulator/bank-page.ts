// The simulated bank's authentication page: small, self-contained HTML (no scripts, no assets).
import type { BankPageView } from '../../connectors/simulator/simulator.ts';
import { escapeHtml } from '../html.ts';

export function renderBankPage(view: BankPageView): string {
  const id = encodeURIComponent(view.gatewayTxnId);
  const awaiting = view.status === 'REQUIRES_AUTHENTICATION' && view.authentication === null;
  const instrument = view.maskedCard ? `Card ${escapeHtml(view.maskedCard)}` : escapeHtml(view.paymentMethod);
  const actions = awaiting
    ? `<form method="post" action="/simulator/bank/${id}"><input type="hidden" name="result" value="success"><button class="ok" type="submit">Authenticate (success)</button></form>
      <form method="post" action="/simulator/bank/${id}"><input type="hidden" name="result" value="failure"><button class="ko" type="submit">Fail authentication</button></form>`
    : `<p>This payment is no longer waiting for authentication (${escapeHtml(view.authentication ?? view.status)}).</p>
      <form method="post" action="/simulator/bank/${id}"><input type="hidden" name="result" value="failure"><button type="submit">Return to the merchant</button></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulated bank: authenticate payment</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; padding: 2rem; color: #111827; }
  main { max-width: 26rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem 2rem; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  h1 { font-size: 1.2rem; margin-top: 0; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; }
  dt { color: #6b7280; }
  form { display: inline-block; margin: 1rem .5rem 0 0; }
  button { font-size: 1rem; padding: .6rem 1rem; border-radius: 8px; border: 1px solid #d1d5db; cursor: pointer; }
  .ok { background: #059669; color: #fff; border-color: #059669; }
  .ko { background: #fff; color: #b91c1c; border-color: #b91c1c; }
  small { color: #6b7280; display: block; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
  <h1>${escapeHtml(view.gateway)} secure authentication</h1>
  <dl>
    <dt>Merchant</dt><dd>${escapeHtml(view.merchantId)}</dd>
    <dt>Amount</dt><dd>${escapeHtml(view.formattedAmount)} ${escapeHtml(view.currency)}</dd>
    <dt>Pay with</dt><dd>${instrument}</dd>
    <dt>Reference</dt><dd>${escapeHtml(view.gatewayTxnId)}</dd>
  </dl>
  ${actions}
  <small>This is a simulated bank page. No real money moves.</small>
</main>
</body>
</html>`;
}
