// Razorpay's answers -> our meaning. A failed payment carries `error_code` (BAD_REQUEST_ERROR,
// GATEWAY_ERROR or SERVER_ERROR) and `error_reason`; the raw code we store is the reason, the most
// precise of the two. Every reason Razorpay documents has its row here
// (https://razorpay.com/docs/payments/payment-gateway/rainy-day/errors/error-reasons/, the card and
// UPI pages under https://razorpay.com/docs/errors/payments/, and the sample of
// https://razorpay.com/docs/errors/). A reason this table does not list is stored as
// `<CODE>:<reason>` and takes its error code's row (razorpayFailure / classifyUnlisted):
// - BAD_REQUEST_ERROR: the request, the shopper or the issuer said no; never retried elsewhere;
// - GATEWAY_ERROR: the bank or network behind Razorpay failed; another gateway may succeed;
// - SERVER_ERROR: Razorpay itself failed; retryable, and counted against the gateway.
// A shopper's or issuer's decision never counts against the gateway; Razorpay's own failures do.
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row, hardDecline as hard, softDecline as soft } from '../kit/status-rows.ts';
import type { UnifiedErrorCode } from '../unified-errors.ts';

/** Authentication (OTP, PIN, 3-D Secure) failed or was abandoned. */
const auth = (message: string, unified: UnifiedErrorCode = 'AUTHENTICATION_FAILED') => row(message, unified, 'AUTHENTICATION_FAILED', false, false);
/** Razorpay's or its partner bank's failure before anything was charged: try elsewhere, and count it. */
const tech = (message: string) => row(message, 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true);
/** Our request was wrong (never better elsewhere). */
const invalid = (message: string, unified: UnifiedErrorCode = 'INVALID_REQUEST') => row(message, unified, 'VALIDATION_ERROR', false, false);
/** The merchant's Razorpay account is not set up for this (method, bank, currency): another gateway may take it. */
const notEnabled = (message: string) => row(message, 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false);
/** Not a failure yet: the payment may still complete (late authorisation). */
const pending = (message: string) => row(message, 'TRANSACTION_PENDING', 'SOFT_DECLINE', false, false);

export const RAZORPAY_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  // Error codes (error.code): the row of a reason this table does not list.
  BAD_REQUEST_ERROR: invalid('Razorpay refused the request or the payment (BAD_REQUEST_ERROR)'),
  GATEWAY_ERROR: row('The bank or network behind Razorpay failed (GATEWAY_ERROR)', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  SERVER_ERROR: tech('Razorpay had a server error (SERVER_ERROR)'),

  // Error reasons (error.reason, payment.error_reason), as documented.
  amount_less_than_minimum_amount: invalid('The amount is below the minimum the bank accepts', 'INVALID_AMOUNT'),
  authentication_failed: auth('3-D Secure or OTP authentication failed'),
  authorisation_declined_by_psp: soft("The shopper's UPI app declined the authorisation", 'DO_NOT_HONOUR'),
  bank_account_invalid: hard('The bank account is not valid', 'RESTRICTED_CARD'),
  bank_account_validation_failed: hard('The bank account details could not be verified', 'RESTRICTED_CARD'),
  bank_cutoff_in_progress: soft('The bank is in its core banking cutoff', 'ISSUER_UNAVAILABLE'),
  bank_not_available: soft('The bank is unavailable (downtime)', 'ISSUER_UNAVAILABLE'),
  bank_not_enabled: notEnabled('This bank is not enabled on the Razorpay account'),
  bank_technical_error: soft("The shopper's bank had a technical error", 'ISSUER_UNAVAILABLE'),
  beneficiary_account_does_not_exist: tech("The merchant's beneficiary account at Razorpay does not exist"),
  beneficiary_account_dormant: tech("The merchant's beneficiary account at Razorpay is dormant"),
  capture_failed: tech('The bank authorised the payment but the gateway could not capture it'),
  card_declined: soft('The issuer declined the card', 'GENERIC_DECLINE'),
  card_disabled_for_online_payments: hard('The card is not enabled for online payments', 'RESTRICTED_CARD'),
  card_expired: hard('The card has expired', 'CARD_EXPIRED'),
  card_network_not_enabled: notEnabled('This card network is not enabled on the Razorpay account'),
  card_not_enrolled: row('The card is not enrolled for 3-D Secure', 'AUTHENTICATION_FAILED', 'HARD_DECLINE', false, false),
  card_number_invalid: hard('The card number is invalid', 'INVALID_CARD_NUMBER'),
  card_type_invalid: hard('This card type cannot be used for this payment', 'RESTRICTED_CARD'),
  collect_on_mcc_blocked: invalid('UPI collect is blocked for the merchant category (use intent)'),
  collect_request_pending: pending('The UPI collect request is still pending with the shopper'),
  compliance_violation: hard('The payment failed a compliance check', 'RESTRICTED_CARD'),
  credit_failed: soft('The beneficiary bank did not accept the credit', 'DO_NOT_HONOUR'),
  credit_limit_exceeded: hard('The credit limit was exceeded', 'LIMIT_EXCEEDED'),
  credit_limit_expired: hard('The credit limit has expired', 'RESTRICTED_CARD'),
  credit_limit_inactive: hard('The credit limit is inactive', 'RESTRICTED_CARD'),
  credit_limit_not_approved: hard('The credit limit is not approved', 'RESTRICTED_CARD'),
  credit_not_permitted: soft('The beneficiary bank did not permit the credit', 'DO_NOT_HONOUR'),
  debit_declined: hard("The shopper's bank declined the debit", 'DO_NOT_HONOUR'),
  debit_instrument_blocked: hard('The card or account is blocked', 'RESTRICTED_CARD'),
  debit_instrument_inactive: hard('The card or account is inactive', 'RESTRICTED_CARD'),
  deemed_transaction: pending('The bank does not know the outcome yet (deemed transaction)'),
  duplicate_refund_id: invalid('A refund with this id was already made'),
  duplicate_request: invalid('A payment with the same parameters was already sent'),
  duplicate_rrn_found: tech('A payment with the same RRN exists (temporary)'),
  emi_greater_than_max_amount: hard('The EMI amount is above the allowed maximum', 'LIMIT_EXCEEDED'),
  emi_plan_unavailable: hard('The EMI plan is not available', 'RESTRICTED_CARD'),
  funds_blocked_by_mandate: hard('The funds are blocked by a mandate', 'INSUFFICIENT_FUNDS'),
  gateway_technical_error: tech('The gateway behind Razorpay had a technical error'),
  incorrect_atm_pin: auth('The ATM PIN is incorrect'),
  incorrect_card_details: hard('The card details are incorrect', 'INVALID_CARD_NUMBER'),
  incorrect_card_expiry_date: hard('The card expiry date is incorrect', 'CARD_EXPIRED'),
  incorrect_cardholder_name: hard('The cardholder name is incorrect', 'INVALID_REQUEST'),
  incorrect_cvv: hard('The card security code is incorrect', 'CVV_MISMATCH'),
  incorrect_otp: auth('The OTP is incorrect'),
  incorrect_pin: auth('The PIN is incorrect'),
  input_validation_failed: invalid('Razorpay rejected the request as invalid'),
  insufficient_funds: hard('Insufficient funds', 'INSUFFICIENT_FUNDS'),
  international_transaction_not_allowed: notEnabled('International payments are not enabled on the Razorpay account'),
  invalid_amount: invalid('The amount or currency is invalid', 'INVALID_AMOUNT'),
  invalid_currency: notEnabled('The currency is not enabled on the Razorpay account'),
  invalid_device: hard("The shopper's device is not bound to the UPI account", 'RESTRICTED_CARD'),
  invalid_email: invalid('The email address is invalid'),
  invalid_mobile_number: hard('The mobile number is not registered with the wallet', 'INVALID_REQUEST'),
  invalid_order_id: invalid('The Razorpay order id is missing or invalid'),
  invalid_otp: auth('The OTP is incorrect'),
  invalid_request: invalid('Razorpay rejected the request'),
  invalid_response_from_gateway: tech('The gateway behind Razorpay answered something invalid'),
  invalid_user_details: hard('The shopper does not exist at the provider', 'INVALID_REQUEST'),
  invalid_vpa: hard('The UPI id is invalid or not registered', 'INVALID_REQUEST'),
  issuer_technical_error: soft('The issuer had a technical error', 'ISSUER_UNAVAILABLE'),
  live_mode_not_enabled: tech('Live mode is not enabled on the Razorpay account'),
  mandate_creation_declined: soft('The UPI mandate was declined', 'GENERIC_DECLINE'),
  mandate_creation_expired: auth('The UPI mandate request expired', 'USER_DROPPED'),
  mandate_creation_failed: soft('The UPI mandate could not be created', 'GENERIC_DECLINE'),
  mandate_creation_timeout: soft('The UPI mandate creation timed out', 'ISSUER_UNAVAILABLE'),
  merchant_not_activated: tech('The merchant is not activated with the gateway'),
  mismatch_in_transaction_details: invalid('The transaction details do not match'),
  mobile_number_invalid: hard('The mobile number is not mapped to the bank account', 'INVALID_REQUEST'),
  order_already_paid: invalid('The Razorpay order is already paid', 'INVALID_STATE'),
  order_amount_mismatch: invalid('The payment amount differs from the order amount', 'INVALID_AMOUNT'),
  order_payment_method_mismatch: invalid('The payment method differs from the order method'),
  otp_attempts_exceeded: auth('Too many wrong OTPs'),
  otp_expired: auth('The OTP expired'),
  payment_amount_tampered: invalid('The payment amount was tampered with', 'INVALID_AMOUNT'),
  payment_cancelled: auth('The shopper cancelled the payment', 'USER_DROPPED'),
  payment_collect_request_expired: auth('The shopper did not approve the UPI collect request in time', 'USER_DROPPED'),
  payment_declined: soft('The issuer or gateway declined the payment', 'DO_NOT_HONOUR'),
  payment_declined_due_to_high_traffic: soft('The bank could not serve the payment (high traffic)', 'ISSUER_UNAVAILABLE'),
  payment_failed: soft('The bank or wallet failed the payment without a reason', 'GENERIC_DECLINE'),
  payment_method_not_enabled: notEnabled('This payment method is not enabled on the Razorpay account'),
  payment_pending: pending('The bank marked the payment pending (late authorisation possible)'),
  payment_pending_approval: pending('The payment awaits approval'),
  payment_risk_check_failed: hard('The payment was declined by a risk check', 'RESTRICTED_CARD'),
  payment_session_expired: auth('The payment session expired before the shopper completed it', 'USER_DROPPED'),
  payment_timed_out: auth('The shopper did not complete the payment in time', 'USER_DROPPED'),
  pin_attempts_exceeded: auth('Too many wrong PINs'),
  pin_not_set: auth('No UPI PIN is set for the account'),
  psp_app_not_available: soft("The shopper's UPI app is unavailable", 'ISSUER_UNAVAILABLE'),
  psp_app_not_supported: soft("The shopper's UPI app is not supported", 'RESTRICTED_CARD'),
  psp_not_available: soft('The UPI PSP is unavailable', 'ISSUER_UNAVAILABLE'),
  psp_not_registered: soft('The UPI PSP is not registered on the device', 'RESTRICTED_CARD'),
  record_not_found: soft('The bank has no record of the payment', 'GENERIC_DECLINE'),
  recurring_payment_not_enabled: notEnabled('Recurring payments are not enabled on the Razorpay account'),
  refund_limit_crossed: invalid('The refund amount limit was crossed', 'INVALID_AMOUNT'),
  reqauth_mandate_not_acknowledged: soft('The UPI PSP did not acknowledge the mandate', 'ISSUER_UNAVAILABLE'),
  request_timed_out: tech('The request timed out at the gateway'),
  server_error: tech('Razorpay had a server error'),
  transaction_daily_count_exceeded: hard('The daily transaction count was exceeded', 'LIMIT_EXCEEDED'),
  transaction_daily_limit_exceeded: hard('The daily transaction limit was exceeded', 'LIMIT_EXCEEDED'),
  transaction_frequency_limit_exceeded: hard('The UPI transaction frequency limit was exceeded', 'LIMIT_EXCEEDED'),
  transaction_limit_exceeded: hard('The card or account limit was exceeded', 'LIMIT_EXCEEDED'),
  transaction_on_vpa_restricted: hard('Payments on this UPI id are restricted', 'RESTRICTED_CARD'),
  upi_app_technical_error: soft("The shopper's UPI app had a technical error", 'ISSUER_UNAVAILABLE'),
  upi_autopay_not_supported_on_psp: soft('UPI Autopay is not supported on this app', 'RESTRICTED_CARD'),
  upi_collect_not_enabled: notEnabled('UPI collect is not enabled on the Razorpay account'),
  upi_intent_not_enabled: notEnabled('UPI intent is not enabled on the Razorpay account'),
  user_not_eligible: hard('The shopper is not eligible', 'RESTRICTED_CARD'),
  user_not_registered_for_netbanking: hard('The account is not registered for netbanking', 'RESTRICTED_CARD'),
  verification_failed: tech('The status verification with the bank failed (temporary)'),
  vpa_resolution_failed: soft('The UPI network could not resolve the UPI id', 'ISSUER_UNAVAILABLE'),

  // Ours: refusals before anything is sent, and transport outcomes.
  authentication_error: tech('Razorpay refused the key id or key secret'),
  raw_card_data_not_enabled: notEnabled('The Razorpay account is not enabled for raw card data (S2S)'),
  unsupported_bank: notEnabled('Razorpay has no netbanking code for this bank in our table'),
  unsupported_wallet: notEnabled('Razorpay has no wallet code for this wallet in our table'),
  unsupported_payment_method: notEnabled('This payment method cannot be sent to Razorpay'),
  currency_not_supported: notEnabled('Razorpay takes this payment method in INR only'),
  order_not_created: tech('Razorpay did not create the order: nothing was charged'),
  payment_not_found: invalid('Razorpay has no payment for this transaction', 'TRANSACTION_NOT_FOUND'),
  not_capturable: invalid('The payment is not in a state that allows this operation', 'INVALID_STATE'),
  CONNECTION_REFUSED: row('Razorpay could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A usable reason: Razorpay sends "NA" (or nothing) when it has none. */
function meaningful(reason: string | null | undefined): reason is string {
  return typeof reason === 'string' && reason !== '' && reason.toUpperCase() !== 'NA';
}

/**
 * The raw code we store for an error: the reason when the table lists it; `<CODE>:<reason>` for a
 * reason it does not (classified by its code); the code alone when there is no reason.
 */
export function razorpayRawCode(code: string | null | undefined, reason: string | null | undefined): string {
  const errorCode = code && code !== '' ? code : 'BAD_REQUEST_ERROR';
  if (!meaningful(reason)) return errorCode;
  const normalised = reason.trim().replace(/\s+/g, '_');
  return RAZORPAY_STATUS_TABLE[normalised] ? normalised : `${errorCode}:${normalised}`;
}

/** The row for a raw code (listed, or `<CODE>:<reason>` taking its code's row). */
export function razorpayFailure(rawCode: string): GatewayStatusEntry {
  const listed = RAZORPAY_STATUS_TABLE[rawCode];
  if (listed) return listed;
  const unlisted = classifyRazorpayUnlisted(rawCode);
  return unlisted ?? RAZORPAY_STATUS_TABLE.BAD_REQUEST_ERROR!;
}

/** `<CODE>:<reason>`: the code's row, naming the reason. Anything else has no rule. */
export function classifyRazorpayUnlisted(rawCode: string): GatewayStatusEntry | undefined {
  const match = /^(BAD_REQUEST_ERROR|GATEWAY_ERROR|SERVER_ERROR):([A-Za-z0-9_]+)$/.exec(rawCode);
  if (!match) return undefined;
  const base = RAZORPAY_STATUS_TABLE[match[1]!]!;
  return { ...base, message: `${base.message}: ${match[2]}` };
}
