// Braintree's answers -> our meaning. Three kinds of raw code:
// - processor response codes (`processor-response-code` of a transaction), from Braintree's
//   "Processor Responses: Authorization" page
//   (https://developer.paypal.com/braintree/docs/reference/general/processor-responses/authorization-responses/):
//   1000-1005 approved; 2000-2999 declines, each labelled Soft or Hard by Braintree; 3000 the
//   processor's network is unavailable (a technical failure at Braintree's side). Rows keep
//   Braintree's soft/hard label; an unlisted 2xxx takes the "2101-2999 Processor Declined" row
//   (soft), an unlisted 3xxx the 3000 row (braintreeFailure).
// - gateway rejections (`status` gateway_rejected with `gateway-rejection-reason`: Braintree's own
//   fraud and risk rules, AVS/CVV rules, 3-D Secure rules, duplicate checking), as
//   `gateway_rejected:<reason>` (reasons from the SDK's Transaction.GatewayRejectionReason);
// - validation errors (`<api-error-response>` error codes, 81xxx/91xxx/93xxx/915xxx, from the SDK's
//   validation_error_codes.js and https://developer.paypal.com/braintree/docs/reference/general/validation-errors/all),
//   and our transport outcomes.
// A shopper's or issuer's decision never counts against Braintree; Braintree failing (3000, 5xx,
// a merchant account Braintree refuses) does.
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row, hardDecline as hard, softDecline as soft } from '../kit/status-rows.ts';
import type { UnifiedErrorCode } from '../unified-errors.ts';

/** The merchant's Braintree account or processor set-up is wrong: another gateway may succeed, and Braintree's health suffers. */
const setup = (message: string) => row(message, 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true);
/** Braintree refused the request's data (a validation error): nothing was processed. */
const invalid = (message: string, unified: UnifiedErrorCode = 'INVALID_REQUEST', retryable = false) => row(message, unified, 'VALIDATION_ERROR', retryable, false);

export const BRAINTREE_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  // ---- processor declines (Braintree's Soft / Hard label kept) ----
  '2000': soft('Do Not Honor', 'DO_NOT_HONOUR'),
  // Soft for Braintree (the shopper may top up), but another gateway will not change the balance.
  '2001': row('Insufficient Funds', 'INSUFFICIENT_FUNDS', 'SOFT_DECLINE', false, false),
  '2002': soft('Limit Exceeded', 'LIMIT_EXCEEDED'),
  '2003': soft("Cardholder's Activity Limit Exceeded", 'LIMIT_EXCEEDED'),
  '2004': hard('Expired Card', 'CARD_EXPIRED'),
  '2005': hard('Invalid Credit Card Number', 'INVALID_CARD_NUMBER'),
  '2006': hard('Invalid Expiration Date', 'CARD_EXPIRED'),
  '2007': hard('No Account', 'INVALID_CARD_NUMBER'),
  '2008': hard('Card Account Length Error', 'INVALID_CARD_NUMBER'),
  '2009': hard('No Such Issuer', 'INVALID_CARD_NUMBER'),
  '2010': hard('Card Issuer Declined CVV', 'CVV_MISMATCH'),
  '2011': hard('Voice Authorization Required', 'DO_NOT_HONOUR'),
  '2012': hard('Processor Declined - Possible Lost Card', 'LOST_OR_STOLEN_CARD'),
  '2013': hard('Processor Declined - Possible Stolen Card', 'LOST_OR_STOLEN_CARD'),
  '2014': hard('Processor Declined - Fraud Suspected', 'LOST_OR_STOLEN_CARD'),
  '2015': hard('Transaction Not Allowed', 'RESTRICTED_CARD'),
  // Soft for Braintree, but an earlier payment of the same card and amount exists: never try it elsewhere.
  '2016': row('Duplicate Transaction', 'INVALID_REQUEST', 'SOFT_DECLINE', false, false),
  '2017': hard('Cardholder Stopped Billing', 'RESTRICTED_CARD'),
  '2018': hard('Cardholder Stopped All Billing', 'RESTRICTED_CARD'),
  '2019': hard('Invalid Transaction', 'RESTRICTED_CARD'),
  '2020': hard('Violation', 'RESTRICTED_CARD'),
  '2021': hard('Security Violation', 'RESTRICTED_CARD'),
  '2022': hard('Declined - Updated Cardholder Available', 'CARD_EXPIRED'),
  '2023': setup('Processor Does Not Support This Feature'),
  // The account does not take this brand: another gateway may.
  '2024': row('Card Type Not Enabled', 'RESTRICTED_CARD', 'HARD_DECLINE', true, false),
  '2025': setup('Set Up Error - Merchant'),
  '2026': setup('Invalid Merchant ID'),
  '2027': hard('Set Up Error - Amount', 'INVALID_AMOUNT'),
  '2028': setup('Set Up Error - Hierarchy'),
  '2029': hard('Set Up Error - Card', 'RESTRICTED_CARD'),
  '2030': setup('Set Up Error - Terminal'),
  '2031': hard('Encryption Error', 'GENERIC_DECLINE'),
  '2032': hard('Surcharge Not Permitted', 'RESTRICTED_CARD'),
  '2033': hard('Inconsistent Data', 'GENERIC_DECLINE'),
  '2034': soft('No Action Taken', 'GENERIC_DECLINE'),
  '2035': soft('Partial Approval For Amount In Group III Version', 'GENERIC_DECLINE'),
  '2036': hard('Authorization could not be found', 'INVALID_STATE'),
  '2037': hard('Already Reversed', 'INVALID_STATE'),
  '2038': soft('Processor Declined', 'GENERIC_DECLINE'),
  '2039': hard('Invalid Authorization Code', 'GENERIC_DECLINE'),
  '2040': setup('Invalid Store'),
  '2041': hard('Declined - Call For Approval', 'DO_NOT_HONOUR'),
  '2042': setup('Invalid Client ID'),
  '2043': hard('Error - Do Not Retry, Call Issuer', 'DO_NOT_HONOUR'),
  '2044': hard('Declined - Call Issuer', 'DO_NOT_HONOUR'),
  '2045': setup('Invalid Merchant Number'),
  '2046': soft('Declined', 'GENERIC_DECLINE'),
  '2047': hard('Call Issuer. Pick Up Card', 'LOST_OR_STOLEN_CARD'),
  '2048': soft('Invalid Amount', 'INVALID_AMOUNT'),
  '2049': hard('Invalid SKU Number', 'INVALID_REQUEST'),
  '2050': hard('Invalid Credit Plan', 'RESTRICTED_CARD'),
  '2051': hard('Credit Card Number does not match method of payment', 'INVALID_CARD_NUMBER'),
  '2053': hard('Card reported as lost or stolen', 'LOST_OR_STOLEN_CARD'),
  '2054': hard('Reversal amount does not match authorization amount', 'INVALID_AMOUNT'),
  '2055': hard('Invalid Transaction Division Number', 'INVALID_REQUEST'),
  '2056': hard('Transaction amount exceeds the transaction division limit', 'LIMIT_EXCEEDED'),
  '2057': soft('Issuer or Cardholder has put a restriction on the card', 'RESTRICTED_CARD'),
  '2058': hard('Merchant not Mastercard SecureCode enabled', 'AUTHENTICATION_FAILED'),
  '2059': hard('Address Verification Failed', 'GENERIC_DECLINE'),
  '2060': hard('Address Verification and Card Security Code Failed', 'CVV_MISMATCH'),
  '2061': hard('Invalid Transaction Data', 'INVALID_REQUEST'),
  '2062': soft('Invalid Tax Amount', 'INVALID_AMOUNT'),
  '2064': hard('Invalid Currency Code', 'INVALID_REQUEST'),
  '2067': hard('Authorization Expired', 'INVALID_STATE'),
  '2099': row('Cardholder Authentication Required', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', true, false),
  // 2100-2108: the current page's later additions [labels from Braintree's page as remembered: inferred, see docs/connectors/braintree.md].
  '2101': soft('Additional authorization required', 'DO_NOT_HONOUR'),
  '2102': hard('Incorrect PIN', 'AUTHENTICATION_FAILED'),
  '2103': hard('PIN try exceeded', 'AUTHENTICATION_FAILED'),
  '2104': hard('Offline Issuer Declined', 'DO_NOT_HONOUR'),
  '2105': hard('Cannot Update/Cancel', 'INVALID_STATE'),
  '2106': hard('Cannot Authorize at this time (Policy)', 'RESTRICTED_CARD'),
  '2108': hard('Closed Card', 'RESTRICTED_CARD'),
  // The processor's network failed before any decision: Braintree's fault, safe to try elsewhere.
  '3000': row('Processor Network Unavailable - Try Again', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),

  // ---- gateway rejections: Braintree's own rules, configured by the merchant ----
  'gateway_rejected:avs': hard('Gateway rejected: the billing address did not pass the AVS rules', 'GENERIC_DECLINE'),
  'gateway_rejected:cvv': hard('Gateway rejected: the CVV did not pass the CVV rules', 'CVV_MISMATCH'),
  'gateway_rejected:avs_and_cvv': hard('Gateway rejected: neither the address nor the CVV passed', 'CVV_MISMATCH'),
  'gateway_rejected:fraud': hard("Gateway rejected: Braintree's fraud tools blocked the payment", 'RESTRICTED_CARD'),
  'gateway_rejected:risk_threshold': hard("Gateway rejected: the payment exceeds the account's risk threshold", 'RESTRICTED_CARD'),
  // The same card and amount within the duplicate window: the first payment exists; never try again elsewhere.
  'gateway_rejected:duplicate': hard('Gateway rejected: duplicate transaction checking matched an earlier payment', 'INVALID_REQUEST'),
  'gateway_rejected:three_d_secure': row('Gateway rejected: 3-D Secure authentication failed or was required and missing', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  'gateway_rejected:token_issuance': row('Gateway rejected: the network token could not be issued', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  'gateway_rejected:application_incomplete': setup('Gateway rejected: the merchant account application is incomplete'),
  // The transaction `status` failed: an error at the processor (usually with a 3000 response).
  failed: row('The transaction failed at the processor', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  settlement_declined: hard('The processor declined the settlement', 'GENERIC_DECLINE'),

  // ---- validation errors (<api-error-response>) ----
  '81501': invalid('Amount cannot be negative', 'INVALID_AMOUNT'),
  '81502': invalid('Amount is required', 'INVALID_AMOUNT'),
  '81503': invalid('Amount is an invalid format', 'INVALID_AMOUNT'),
  '81528': invalid('Amount is too large', 'INVALID_AMOUNT'),
  '81531': invalid('Amount must be greater than zero', 'INVALID_AMOUNT'),
  '815193': invalid('Amount not supported by processor', 'INVALID_AMOUNT', true),
  '91501': invalid('Order ID is too long'),
  '91504': invalid('Transaction can only be voided if status is authorized, submitted_for_settlement, or settlement_pending', 'INVALID_STATE'),
  '91505': invalid('Cannot refund a credit', 'INVALID_STATE'),
  '91506': invalid('Cannot refund a transaction unless it is settled or settling', 'INVALID_STATE'),
  '91507': invalid('Cannot submit for settlement unless status is authorized', 'INVALID_STATE'),
  '91508': invalid('Cannot determine payment method'),
  '91512': invalid('Transaction has already been completely refunded', 'INVALID_STATE'),
  '91513': setup('Merchant account ID is invalid'),
  '91514': setup('Merchant account is suspended'),
  '91521': invalid('Refund amount is too large', 'INVALID_AMOUNT'),
  '91522': invalid('Settlement amount is too large', 'INVALID_AMOUNT'),
  '91523': invalid('Transaction type is invalid'),
  '91524': invalid('Transaction type is required'),
  '91547': setup('Merchant account does not support refunds'),
  '91564': invalid('Payment method nonce has already been consumed'),
  '91565': invalid('Unknown payment method nonce'),
  '91566': invalid('Payment method nonce is locked'),
  '91567': row('The merchant account does not accept this card type', 'RESTRICTED_CARD', 'HARD_DECLINE', true, false),
  '91574': invalid('Cannot refund a transaction that is settling with a partial amount', 'INVALID_STATE'),
  '91577': invalid('The merchant account does not support this payment instrument', 'INVALID_REQUEST', true),
  '81571': row('3-D Secure authentication failed', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  '915196': invalid('3-D Secure authentication id is invalid'),
  '915102': invalid('The processor does not support partial settlement', 'INVALID_STATE'),
  '81714': invalid('Credit card number is required', 'INVALID_CARD_NUMBER'),
  '81715': invalid('Credit card number is invalid', 'INVALID_CARD_NUMBER'),
  '81716': invalid('Credit card number must be 12-19 digits', 'INVALID_CARD_NUMBER'),
  '81717': invalid('Credit card number is not an accepted test number', 'INVALID_CARD_NUMBER'),
  '81707': invalid('CVV must be 4 digits for American Express and 3 digits for other card types', 'CVV_MISMATCH'),
  '81709': invalid('Expiration date is required', 'CARD_EXPIRED'),
  '81710': invalid('Expiration date is invalid', 'CARD_EXPIRED'),
  '81736': invalid('CVV verification failed', 'CVV_MISMATCH'),

  // ---- HTTP and our own refusals ----
  HTTP_400: invalid('Braintree refused the request as malformed'),
  HTTP_401: row('Braintree refused the API keys (401 Authentication Error)', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  HTTP_403: row('The API keys may not do this (403 Authorization Error)', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  HTTP_404: invalid('Braintree does not know this transaction or merchant', 'TRANSACTION_NOT_FOUND'),
  HTTP_426: row('Braintree requires a newer API version (426 Upgrade Required)', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  HTTP_429: row('Braintree rate limited the request (429)', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  merchant_not_found: setup("Braintree does not know this merchant id (404 on the merchant's path)"),
  transaction_not_found: invalid('Braintree has no transaction with this order id: it was never created', 'TRANSACTION_NOT_FOUND'),
  raw_card_data_not_enabled: invalid('The account is not enabled to send full card details to Braintree', 'INVALID_REQUEST', true),
  three_d_secure_nonce_required: invalid("3-D Secure runs in Braintree's client SDK: the payment needs a 3-D Secure verified nonce (gateway_token)", 'AUTHENTICATION_FAILED', true),
  unsupported_payment_method: invalid('Braintree takes cards here: no card and no payment method nonce', 'INVALID_REQUEST', true),
  currency_mismatch: invalid('The Braintree merchant account charges in another currency: the authorisation was voided', 'INVALID_REQUEST', true),
  CONNECTION_REFUSED: row('Braintree could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A raw code's row: its own, or its range's (2xxx soft processor decline, 3xxx processor network, 8xxxx/9xxxx validation). */
export function braintreeFailure(code: string): GatewayStatusEntry {
  const known = BRAINTREE_STATUS_TABLE[code];
  if (known) return known;
  if (/^2\d{3}$/.test(code)) return soft(`Processor Declined (${code})`, 'GENERIC_DECLINE');
  if (/^3\d{3}$/.test(code)) return { ...BRAINTREE_STATUS_TABLE['3000']!, message: `Processor network error (${code})` };
  if (/^[89]\d{4,5}$/.test(code)) return invalid(`Braintree validation error ${code}`);
  if (code.startsWith('gateway_rejected:')) return hard(`Gateway rejected (${code.slice('gateway_rejected:'.length)})`, 'GENERIC_DECLINE');
  return soft(`Declined (${code})`, 'GENERIC_DECLINE');
}

/** The rule for codes the table does not list: only processor response codes and validation codes have one. */
export function classifyUnlistedBraintree(code: string): GatewayStatusEntry | undefined {
  return /^(2\d{3}|3\d{3}|[89]\d{4,5})$/.test(code) ? braintreeFailure(code) : undefined;
}
