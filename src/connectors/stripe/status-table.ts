// Stripe's answers -> our meaning. Raw codes are Stripe's `decline_code` for card declines
// (https://docs.stripe.com/declines/codes) and `error.code` otherwise (https://docs.stripe.com/error-codes),
// plus a few of our own for transport outcomes. Which declines are hard follows Stripe's "next
// steps" column and its advice codes (https://docs.stripe.com/declines/card#retrying-issuer-declines):
// a shopper's or issuer's decision never counts against the gateway; only Stripe's own failures do.
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row, hardDecline as hard, softDecline as soft } from '../kit/status-rows.ts';

export const STRIPE_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  // Card decline codes (error.type = card_error, error.code = card_declined, error.decline_code = ...).
  authentication_required: row('The card requires authentication (3-D Secure)', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  approve_with_id: soft('The payment cannot be authorised; try again', 'DO_NOT_HONOUR'),
  call_issuer: hard('The card was declined; the shopper must call the issuer', 'DO_NOT_HONOUR'),
  card_not_supported: hard('The card does not support this kind of purchase', 'RESTRICTED_CARD'),
  card_velocity_exceeded: hard('The card balance, credit limit or transaction amount limit was exceeded', 'LIMIT_EXCEEDED'),
  currency_not_supported: hard('The card does not support this currency', 'RESTRICTED_CARD'),
  do_not_honor: soft('The issuer declined the payment (do not honour)', 'DO_NOT_HONOUR'),
  do_not_try_again: hard('The issuer declined the payment: do not try again', 'DO_NOT_HONOUR'),
  duplicate_transaction: hard('A payment with the same amount and card was just made', 'INVALID_REQUEST'),
  expired_card: hard('The card has expired', 'CARD_EXPIRED'),
  fraudulent: hard('The payment was declined as fraudulent', 'LOST_OR_STOLEN_CARD'),
  generic_decline: soft('The card was declined for an unknown reason', 'GENERIC_DECLINE'),
  incorrect_number: hard('The card number is incorrect', 'INVALID_CARD_NUMBER'),
  incorrect_cvc: hard('The card security code is incorrect', 'CVV_MISMATCH'),
  incorrect_pin: hard('The PIN is incorrect', 'AUTHENTICATION_FAILED'),
  incorrect_zip: hard('The postal code is incorrect', 'INVALID_REQUEST'),
  insufficient_funds: hard('The card has insufficient funds', 'INSUFFICIENT_FUNDS'),
  invalid_account: hard('The card or its account is invalid', 'RESTRICTED_CARD'),
  invalid_amount: hard('The amount is invalid or too large', 'INVALID_AMOUNT'),
  invalid_cvc: hard('The card security code is invalid', 'CVV_MISMATCH'),
  invalid_expiry_month: hard('The expiry month is invalid', 'CARD_EXPIRED'),
  invalid_expiry_year: hard('The expiry year is invalid', 'CARD_EXPIRED'),
  invalid_number: hard('The card number is invalid', 'INVALID_CARD_NUMBER'),
  invalid_pin: hard('The PIN is invalid', 'AUTHENTICATION_FAILED'),
  issuer_not_available: soft('The issuer could not be reached', 'ISSUER_UNAVAILABLE'),
  lost_card: hard('The card was reported lost', 'LOST_OR_STOLEN_CARD'),
  merchant_blacklist: hard('The payment matches a block list of the merchant', 'RESTRICTED_CARD'),
  new_account_information_available: hard('The card or its account is invalid (new account information available)', 'RESTRICTED_CARD'),
  no_action_taken: hard('The card was declined for an unknown reason', 'DO_NOT_HONOUR'),
  not_permitted: hard('The payment is not permitted', 'RESTRICTED_CARD'),
  offline_pin_required: hard('The card requires a PIN', 'AUTHENTICATION_FAILED'),
  online_or_offline_pin_required: hard('The card requires a PIN', 'AUTHENTICATION_FAILED'),
  pickup_card: hard('The card cannot be used (reported lost or stolen)', 'LOST_OR_STOLEN_CARD'),
  pin_try_exceeded: hard('Too many PIN attempts', 'AUTHENTICATION_FAILED'),
  processing_error: row('An error occurred while processing the card', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  reenter_transaction: soft('The issuer could not process the payment; try again', 'ISSUER_UNAVAILABLE'),
  restricted_card: hard('The card is restricted (possibly reported lost or stolen)', 'RESTRICTED_CARD'),
  revocation_of_all_authorizations: hard('The shopper revoked all authorisations', 'RESTRICTED_CARD'),
  revocation_of_authorization: hard('The shopper revoked this authorisation', 'RESTRICTED_CARD'),
  security_violation: hard('The card was declined for a security reason', 'RESTRICTED_CARD'),
  service_not_allowed: hard('The card does not allow this service', 'RESTRICTED_CARD'),
  stolen_card: hard('The card was reported stolen', 'LOST_OR_STOLEN_CARD'),
  stop_payment_order: hard('The shopper asked the issuer to stop this payment', 'RESTRICTED_CARD'),
  testmode_decline: hard('A Stripe test card number was used in live mode', 'INVALID_CARD_NUMBER'),
  transaction_not_allowed: hard('The card does not allow this transaction', 'RESTRICTED_CARD'),
  try_again_later: soft('The issuer asks to try again later', 'ISSUER_UNAVAILABLE'),
  withdrawal_count_limit_exceeded: hard('The card exceeded its withdrawal count limit', 'LIMIT_EXCEEDED'),

  // API error codes (error.code) outside card declines.
  card_declined: soft('The card was declined', 'GENERIC_DECLINE'),
  expired_payment_method: hard('The payment method has expired', 'CARD_EXPIRED'),
  payment_intent_authentication_failure: row('3-D Secure authentication failed', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  payment_intent_unexpected_state: row('The payment is not in a state that allows this operation', 'INVALID_STATE', 'VALIDATION_ERROR', false, false),
  charge_already_captured: row('The payment was already captured', 'INVALID_STATE', 'VALIDATION_ERROR', false, false),
  charge_already_refunded: row('The payment was already fully refunded', 'INVALID_STATE', 'VALIDATION_ERROR', false, false),
  charge_expired_for_capture: row('The authorisation expired before it was captured', 'INVALID_STATE', 'VALIDATION_ERROR', false, false),
  amount_too_large: row('The amount is larger than allowed', 'INVALID_AMOUNT', 'VALIDATION_ERROR', false, false),
  amount_too_small: row('The amount is smaller than Stripe allows', 'INVALID_AMOUNT', 'VALIDATION_ERROR', false, false),
  parameter_invalid_integer: row('Stripe rejected a parameter as invalid', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  parameter_missing: row('Stripe rejected the request: a parameter is missing', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  parameter_unknown: row('Stripe rejected the request: an unknown parameter', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  resource_missing: row('Stripe does not know this object', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  idempotency_error: row('The idempotency key was reused with other parameters', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  idempotency_key_in_use: row('Another request with this idempotency key is in flight', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', false, true),
  invalid_request_error: row('Stripe rejected the request as invalid', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  authentication_error: row('Stripe refused the API key', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  rate_limit: row('Too many requests to Stripe', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  payment_method_not_created: row('Stripe did not create the PaymentMethod for the card: nothing was charged', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  unsupported_parameter: row('The Stripe account is not enabled for raw card numbers', 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false),
  raw_card_data_not_enabled: row('The account is not enabled to send raw card numbers to Stripe', 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false),

  // Transport outcomes (ours).
  CONNECTION_REFUSED: row('Stripe could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A decline's row: the advice code can only make it harder (Stripe: do_not_try_again is final). */
export function stripeFailure(rawCode: string, adviceCode: string | null): GatewayStatusEntry {
  const entry = STRIPE_STATUS_TABLE[rawCode] ?? row(`Stripe declined the payment (${rawCode})`, 'GENERIC_DECLINE', 'SOFT_DECLINE', true, false);
  if (adviceCode === 'do_not_try_again' && entry.failureClass === 'SOFT_DECLINE') return { ...entry, failureClass: 'HARD_DECLINE', retryable: false };
  return entry;
}
