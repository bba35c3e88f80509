// Checkout.com's answers -> our meaning. Raw codes are the five-digit `response_code`
// (https://www.checkout.com/docs/developer-resources/codes/api-response-codes): 10xxx approved,
// 20xxx soft declines ("subsequent attempts may be successful"), 30xxx hard declines ("the issuer
// or cardholder must rectify"), 4xxxx risk responses (Checkout.com's own fraud engine). Listed codes
// have their own row; any other code takes its range's row (checkoutFailure). Also the API's
// error_codes and our transport outcomes.
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row, hardDecline as hard, softDecline as soft } from '../kit/status-rows.ts';

export const CHECKOUT_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  '20001': soft('Refer to card issuer', 'DO_NOT_HONOUR'),
  '20002': soft('Refer to card issuer - special conditions', 'DO_NOT_HONOUR'),
  '20003': row('Invalid merchant or service provider', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  '20005': soft('Declined - Do not honour', 'DO_NOT_HONOUR'),
  '20006': soft('Error / Invalid request parameters', 'GENERIC_DECLINE'),
  '20012': soft('Invalid transaction', 'RESTRICTED_CARD'),
  '20013': hard('Invalid value/amount', 'INVALID_AMOUNT'),
  '20014': hard('Invalid account number (no such number)', 'INVALID_CARD_NUMBER'),
  '20046': soft('Declined', 'GENERIC_DECLINE'),
  // Insufficient funds is a soft decline for Checkout.com (the shopper may top up), but never the gateway's fault.
  '20051': row('Insufficient funds', 'INSUFFICIENT_FUNDS', 'SOFT_DECLINE', false, false),
  '20054': hard('Expired card', 'CARD_EXPIRED'),
  '20055': row('Incorrect PIN', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  '20057': hard('Transaction not permitted to cardholder', 'RESTRICTED_CARD'),
  '20058': hard('Transaction not permitted to terminal', 'RESTRICTED_CARD'),
  '20059': hard('Suspected fraud', 'LOST_OR_STOLEN_CARD'),
  '20061': soft('Activity amount limit exceeded', 'LIMIT_EXCEEDED'),
  '20062': hard('Restricted card', 'RESTRICTED_CARD'),
  '20063': hard('Security violation', 'RESTRICTED_CARD'),
  '20065': soft('Activity count limit exceeded', 'LIMIT_EXCEEDED'),
  '20068': soft('Response received too late / timeout', 'ISSUER_UNAVAILABLE'),
  '20075': row('Allowable number of PIN tries exceeded', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  '20082': hard('Incorrect CVV', 'CVV_MISMATCH'),
  '20087': hard('Bad track data', 'INVALID_REQUEST'),
  '20091': soft('Issuer unavailable or switch is inoperative', 'ISSUER_UNAVAILABLE'),
  '20096': row('System malfunction', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  '20150': row('Card not 3D Secure enabled', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  '20151': row('Cardholder failed 3DS authentication', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  '20152': row('Initial 3DS transaction not completed within 15 minutes', 'USER_DROPPED', 'AUTHENTICATION_FAILED', false, false),
  '20153': row('3DS system malfunction', 'AUTHENTICATION_FAILED', 'TECHNICAL_ERROR', true, true),
  '20154': row('3DS authentication required', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  '30004': hard('Pick up card (no fraud)', 'LOST_OR_STOLEN_CARD'),
  '30007': hard('Pick up card - special conditions', 'LOST_OR_STOLEN_CARD'),
  '30015': hard('No such issuer', 'INVALID_CARD_NUMBER'),
  '30033': hard('Expired card - pick up', 'CARD_EXPIRED'),
  '30034': hard('Suspected fraud - pick up', 'LOST_OR_STOLEN_CARD'),
  '30038': hard('Allowable PIN tries exceeded - pick up', 'AUTHENTICATION_FAILED'),
  '30041': hard('Lost card - pick up', 'LOST_OR_STOLEN_CARD'),
  '30043': hard('Stolen card - pick up', 'LOST_OR_STOLEN_CARD'),
  '30044': hard('Closed account', 'RESTRICTED_CARD'),
  '40101': hard('Risk blocked transaction', 'RESTRICTED_CARD'),
  '40201': hard('Gateway reject - card number blacklist', 'RESTRICTED_CARD'),

  // API errors (HTTP 4xx error_codes) and HTTP statuses.
  request_invalid: row('Checkout.com rejected the request as invalid', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  action_not_allowed: row('The payment is not in a state that allows this action', 'INVALID_STATE', 'VALIDATION_ERROR', false, false),
  payment_not_found: row('Checkout.com does not know this payment', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  unauthorized: row('Checkout.com refused the secret key', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  raw_card_data_not_enabled: row('The account is not enabled to send full card details to Checkout.com', 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false),
  CONNECTION_REFUSED: row('Checkout.com could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A response code's row: its own, or its range's (20xxx soft, 30xxx hard, 4xxxx risk: hard; 50xxx payouts: hard). */
export function checkoutFailure(code: string): GatewayStatusEntry {
  const known = CHECKOUT_STATUS_TABLE[code];
  if (known) return known;
  if (/^20\d{3}$/.test(code)) return soft(`Declined (${code}): a later attempt may succeed`, 'GENERIC_DECLINE');
  if (/^30\d{3}$/.test(code)) return hard(`Declined (${code}): the issuer or cardholder must act first`, 'DO_NOT_HONOUR');
  if (/^4\d{4}$/.test(code)) return hard(`Risk response (${code})`, 'RESTRICTED_CARD');
  return soft(`Declined (${code})`, 'GENERIC_DECLINE');
}
