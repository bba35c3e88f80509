// Juspay's `payment.sdk_params` for a UPI intent (txn_type UPI_PAY): the fields a merchant's app
// builds the intent URI or a dynamic QR from (https://docs.juspay.io/api-reference/docs/express-checkout/upi-intent-payment):
// `merchant_vpa` (pa), `merchant_name` (pn), `tr`, `tid` (absent when the gateway gives none),
// `mcc` (mc), `amount` (am), `currency` (cu), `tn`. Gateways hand back a `upi://pay?...` link;
// its query carries exactly these, so they are read from it here, once for every connector. The
// link itself stays as `intent_uri` for clients that want it whole.

const FIELDS: ReadonlyArray<readonly [query: string, sdkParam: string]> = [
  ['pa', 'merchant_vpa'],
  ['pn', 'merchant_name'],
  ['tr', 'tr'],
  ['tid', 'tid'],
  ['mc', 'mcc'],
  ['am', 'amount'],
  ['cu', 'currency'],
  ['tn', 'tn'],
];

/** The connector's sdk params with Juspay's UPI intent fields added from its `intent_uri`, when it has a upi:// one. */
export function juspaySdkParams(sdkParams: Readonly<Record<string, string>>): Record<string, string> {
  const uri = sdkParams.intent_uri;
  if (!uri || !/^upi:\/\/pay\?/i.test(uri)) return { ...sdkParams };
  const query = new URLSearchParams(uri.slice(uri.indexOf('?') + 1));
  const derived: Record<string, string> = {};
  for (const [name, field] of FIELDS) {
    const value = query.get(name);
    if (value !== null && value !== '') derived[field] = value;
  }
  return { ...derived, ...sdkParams };
}
