// PayPal's answers -> our meaning. Two families of raw codes:
// - the `issue` of an error's `details[0]` (`{name, message, debug_id, details[{issue, description}]}`),
//   as each operation we call documents them in PayPal's OpenAPI documents (checkout_orders_v2.json
//   v2.13, payments_payment_v2.json v2.5: the `details.items.anyOf` of each 400/401/403/404/409/422
//   answer; see https://developer.paypal.com/api/rest/reference/orders/v2/errors/);
// - the card processor's `processor_response.response_code` of a DECLINED capture or a DENIED
//   authorization. The documents list the codes (schema `processor_response`) without meanings; the
//   names below are PayPal's (https://developer.paypal.com/api/rest/reference/orders/v2/ ->
//   processor_response.response_code: "0500 - DO_NOT_HONOR", "5120 - INSUFFICIENT_FUNDS", ...).
// Soft/hard and retryable are our reading of each name: a shopper's or issuer's decision never counts
// against PayPal; PayPal's or the merchant account's own failures (configuration, processor errors)
// do; a code that another gateway could accept (a brand or currency this account cannot take) is
// retryable. Every documented issue of the operations we call has a row (a test checks it against
// the vendored documents); an unlisted code takes a rule (paypalFailure).
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row } from '../kit/status-rows.ts';
import type { UnifiedErrorCode } from '../unified-errors.ts';
import { REQUEST_ISSUES } from './request-issues.ts';

/** The issuer or shopper said no; a later attempt (or another card) may succeed. */
const soft = (message: string, unified: UnifiedErrorCode = 'GENERIC_DECLINE') => row(message, unified, 'SOFT_DECLINE', true, false);
/** The issuer or shopper said no for good: never retried elsewhere. */
const hard = (message: string, unified: UnifiedErrorCode = 'GENERIC_DECLINE') => row(message, unified, 'HARD_DECLINE', false, false);
/** This PayPal account cannot take this payment, another gateway may (a brand, a currency, a country). */
const elsewhere = (message: string, unified: UnifiedErrorCode = 'RESTRICTED_CARD') => row(message, unified, 'SOFT_DECLINE', true, false);
/** PayPal's or the merchant account's own failure: lowers its health, another gateway may try. */
const technical = (message: string) => row(message, 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true);
/** 3-D Secure, PIN or payer approval not passed. */
const auth = (message: string, unified: UnifiedErrorCode = 'AUTHENTICATION_FAILED') => row(message, unified, 'AUTHENTICATION_FAILED', false, false);
/** Our request was not acceptable to PayPal. */
const invalid = (message: string, unified: UnifiedErrorCode = 'INVALID_REQUEST') => row(message, unified, 'VALIDATION_ERROR', false, false);
/** Not allowed in the payment's state at PayPal (captures, voids, refunds). */
const state = (message: string) => row(message, 'INVALID_STATE', 'VALIDATION_ERROR', false, false);

/** Card processor response codes (processor_response.response_code). */
const PROCESSOR: Record<string, GatewayStatusEntry> = {
  '00N7': hard('CVV2 failure: the card security code is wrong', 'CVV_MISMATCH'),
  '0100': soft('REFERRAL: the shopper must call the issuer', 'DO_NOT_HONOUR'),
  '0390': hard('ACCOUNT_NOT_FOUND', 'INVALID_CARD_NUMBER'),
  '0500': soft('DO_NOT_HONOR', 'DO_NOT_HONOUR'),
  '0580': hard('UNAUTHORIZED_TRANSACTION', 'RESTRICTED_CARD'),
  '0800': technical('BAD_RESPONSE_REVERSAL_REQUIRED'),
  '0880': technical('CRYPTOGRAPHIC_FAILURE'),
  '0890': auth('UNACCEPTABLE_PIN'),
  '0960': technical('SYSTEM_MALFUNCTION'),
  '0R00': hard('CANCELLED_PAYMENT'),
  '1000': soft('PARTIAL_AUTHORIZATION: the issuer approved only part of the amount'),
  '10BR': soft('ISSUER_REJECTED', 'DO_NOT_HONOUR'),
  '1300': invalid('INVALID_DATA_FORMAT'),
  '1310': hard('INVALID_AMOUNT', 'INVALID_AMOUNT'),
  '1312': hard('INVALID_TRANSACTION_CARD_ISSUER_ACQUIRER', 'RESTRICTED_CARD'),
  '1317': invalid('INVALID_CAPTURE_DATE'),
  '1320': elsewhere('INVALID_CURRENCY_CODE', 'INVALID_REQUEST'),
  '1330': hard('INVALID_ACCOUNT', 'INVALID_CARD_NUMBER'),
  '1335': hard('INVALID_ACCOUNT_RECURRING', 'INVALID_CARD_NUMBER'),
  '1340': technical('INVALID_TERMINAL'),
  '1350': technical('INVALID_MERCHANT'),
  '1352': hard('RESTRICTED_OR_INACTIVE_ACCOUNT', 'RESTRICTED_CARD'),
  '1360': technical('BAD_PROCESSING_CODE'),
  '1370': technical('INVALID_MCC'),
  '1380': hard('INVALID_EXPIRATION', 'CARD_EXPIRED'),
  '1382': hard('INVALID_CARD_VERIFICATION_VALUE', 'CVV_MISMATCH'),
  '1384': invalid('INVALID_LIFE_CYCLE_OF_TRANSACTION'),
  '1390': invalid('INVALID_ORDER'),
  '1393': soft('TRANSACTION_CANNOT_BE_COMPLETED', 'DO_NOT_HONOUR'),
  '5100': soft('GENERIC_DECLINE'),
  '5110': hard('CVV2_FAILURE', 'CVV_MISMATCH'),
  // The shopper may top up, but another gateway cannot help: not retried, never PayPal's fault.
  '5120': row('INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS', 'SOFT_DECLINE', false, false),
  '5130': auth('INVALID_PIN'),
  '5135': auth('DECLINED_PIN_TRY_EXCEEDED'),
  '5140': hard('CARD_CLOSED', 'RESTRICTED_CARD'),
  '5150': hard('PICKUP_CARD_SPECIAL_CONDITIONS', 'LOST_OR_STOLEN_CARD'),
  '5160': hard('UNAUTHORIZED_USER', 'RESTRICTED_CARD'),
  '5170': hard('AVS_FAILURE: the billing address does not match'),
  '5180': hard('INVALID_OR_RESTRICTED_CARD', 'RESTRICTED_CARD'),
  '5190': soft('SOFT_AVS'),
  // A second attempt could be a second charge: never retried elsewhere.
  '5200': hard('DUPLICATE_TRANSACTION'),
  '5210': soft('INVALID_TRANSACTION', 'RESTRICTED_CARD'),
  '5400': hard('EXPIRED_CARD', 'CARD_EXPIRED'),
  '5500': auth('INCORRECT_PIN_REENTER'),
  // Strong customer authentication is needed: another attempt with 3-D Secure may pass.
  '5650': row('DECLINED_SCA_REQUIRED', 'AUTHENTICATION_FAILED', 'SOFT_DECLINE', true, false),
  '5700': hard('TRANSACTION_NOT_PERMITTED', 'RESTRICTED_CARD'),
  '5710': row('TX_ATTEMPTS_EXCEED_LIMIT', 'LIMIT_EXCEEDED', 'SOFT_DECLINE', false, false),
  '5800': technical('REVERSAL_REJECTED'),
  '5900': soft('INVALID_ISSUE', 'DO_NOT_HONOUR'),
  '5910': hard('ISSUER_NOT_AVAILABLE_NOT_RETRIABLE', 'ISSUER_UNAVAILABLE'),
  '5920': soft('ISSUER_NOT_AVAILABLE_RETRIABLE', 'ISSUER_UNAVAILABLE'),
  '5930': hard('CARD_NOT_ACTIVATED', 'RESTRICTED_CARD'),
  '5950': hard('DECLINED_DUE_TO_UPDATED_ACCOUNT: the card details changed'),
  '6300': hard('ACCOUNT_NOT_ON_FILE', 'INVALID_CARD_NUMBER'),
  // An approval without capture where a capture was asked: not a charge.
  '7600': soft('APPROVED_NON_CAPTURE: approved, but not captured'),
  '7700': auth('ERROR_3DS'),
  '7710': auth('AUTHENTICATION_FAILED'),
  '7800': hard('BIN_ERROR', 'INVALID_CARD_NUMBER'),
  '7900': auth('PIN_ERROR'),
  '8000': technical('PROCESSOR_SYSTEM_ERROR'),
  '8010': technical('HOST_KEY_ERROR'),
  '8020': technical('CONFIGURATION_ERROR'),
  '8030': elsewhere('UNSUPPORTED_OPERATION', 'INVALID_REQUEST'),
  '8100': technical('FATAL_COMMUNICATION_ERROR'),
  '8110': technical('RETRIABLE_COMMUNICATION_ERROR'),
  '8220': technical('SYSTEM_UNAVAILABLE'),
  '9100': soft('DECLINED_PLEASE_RETRY'),
  '9500': hard('SUSPECTED_FRAUD', 'LOST_OR_STOLEN_CARD'),
  '9510': hard('SECURITY_VIOLATION', 'RESTRICTED_CARD'),
  '9520': hard('LOST_OR_STOLEN', 'LOST_OR_STOLEN_CARD'),
  '9530': soft('HOLD_CALL_CENTER', 'DO_NOT_HONOUR'),
  '9540': hard('REFUSED_CARD', 'RESTRICTED_CARD'),
  '9600': soft('UNRECOGNIZED_RESPONSE_CODE'),
  PCNR: auth('CONTINGENCIES_NOT_RESOLVED'),
  PCVV: hard('CVV_FAILURE', 'CVV_MISMATCH'),
  PP06: hard('ACCOUNT_CLOSED', 'RESTRICTED_CARD'),
  PPRN: hard('REATTEMPT_NOT_PERMITTED'),
  PPAD: hard('BILLING_ADDRESS'),
  PPAB: hard('ACCOUNT_BLOCKED_BY_ISSUER', 'RESTRICTED_CARD'),
  PPAE: elsewhere('AMEX_DISABLED'),
  PPAG: elsewhere('ADULT_GAMING_UNSUPPORTED'),
  PPAI: hard('AMOUNT_INCOMPATIBLE', 'INVALID_AMOUNT'),
  PPAR: soft('AUTH_RESULT'),
  PPAU: technical('MCC_CODE'),
  PPAV: hard('ARC_AVS'),
  PPAX: soft('AMOUNT_EXCEEDED', 'LIMIT_EXCEEDED'),
  PPBG: hard('BAD_GAMING', 'RESTRICTED_CARD'),
  PPC2: hard('ARC_CVV', 'CVV_MISMATCH'),
  PPCE: technical('CE_REGISTRATION_INCOMPLETE'),
  PPCO: elsewhere('COUNTRY'),
  PPCR: technical('CREDIT_ERROR'),
  PPCT: elsewhere('CARD_TYPE_UNSUPPORTED'),
  PPCU: elsewhere('CURRENCY_USED_INVALID', 'INVALID_REQUEST'),
  PPD3: auth('SECURE_ERROR_3DS'),
  PPDC: invalid('DCC_UNSUPPORTED'),
  PPDI: elsewhere('DINERS_REJECT'),
  PPDV: soft('AUTH_MESSAGE'),
  PPDT: soft('DECLINE_THRESHOLD_BREACH'),
  PPEF: hard('EXPIRED_FUNDING_INSTRUMENT', 'CARD_EXPIRED'),
  PPEL: soft('EXCEEDS_FREQUENCY_LIMIT', 'LIMIT_EXCEEDED'),
  PPER: technical('INTERNAL_SYSTEM_ERROR'),
  PPEX: hard('EXPIRY_DATE', 'CARD_EXPIRED'),
  PPFE: invalid('FUNDING_SOURCE_ALREADY_EXISTS'),
  PPFI: hard('INVALID_FUNDING_INSTRUMENT', 'INVALID_CARD_NUMBER'),
  PPFR: hard('RESTRICTED_FUNDING_INSTRUMENT', 'RESTRICTED_CARD'),
  PPFV: invalid('FIELD_VALIDATION_FAILED'),
  PPGR: technical('GAMING_REFUND_ERROR'),
  PPH1: technical('H1_ERROR'),
  PPIF: invalid('IDEMPOTENCY_FAILURE'),
  PPII: invalid('INVALID_INPUT_FAILURE'),
  PPIM: invalid('ID_MISMATCH'),
  PPIT: technical('INVALID_TRACE_ID'),
  PPLR: state('LATE_REVERSAL'),
  PPLS: technical('LARGE_STATUS_CODE'),
  PPMB: technical('MISSING_BUSINESS_RULE_OR_DATA'),
  PPMC: elsewhere('BLOCKED_MASTERCARD'),
  PPMD: technical('DEPRECATED'),
  PPNC: invalid('NOT_SUPPORTED_NRC'),
  PPNL: soft('EXCEEDS_NETWORK_FREQUENCY_LIMIT', 'LIMIT_EXCEEDED'),
  PPNM: technical('NO_MID_FOUND'),
  PPNT: technical('NETWORK_ERROR'),
  PPPH: invalid('NO_PHONE_FOR_DCC_TRANSACTION'),
  PPPI: technical('INVALID_PRODUCT'),
  PPPM: elsewhere('INVALID_PAYMENT_METHOD'),
  PPQC: elsewhere('QUASI_CASH_UNSUPPORTED'),
  PPRE: state('UNSUPPORT_REFUND_ON_PENDING_BC'),
  PPRF: state('INVALID_PARENT_TRANSACTION_STATUS'),
  PPRR: technical('MERCHANT_NOT_REGISTERED'),
  PPS0: technical('BANKAUTH_ROW_MISMATCH'),
  PPS1: state('BANKAUTH_ROW_SETTLED'),
  PPS2: state('BANKAUTH_ROW_VOIDED'),
  PPS3: state('BANKAUTH_EXPIRED'),
  PPS4: invalid('CURRENCY_MISMATCH'),
  PPS5: invalid('CREDITCARD_MISMATCH'),
  PPS6: invalid('AMOUNT_MISMATCH', 'INVALID_AMOUNT'),
  PPSC: hard('ARC_SCORE', 'RESTRICTED_CARD'),
  PPSD: soft('STATUS_DESCRIPTION'),
  PPSE: elsewhere('AMEX_DENIED'),
  PPTE: invalid('VERIFICATION_TOKEN_EXPIRED'),
  PPTF: technical('INVALID_TRACE_REFERENCE'),
  PPTI: invalid('INVALID_TRANSACTION_ID'),
  PPTR: invalid('VERIFICATION_TOKEN_REVOKED'),
  PPTT: elsewhere('TRANSACTION_TYPE_UNSUPPORTED', 'INVALID_REQUEST'),
  PPTV: invalid('INVALID_VERIFICATION_TOKEN'),
  PPUA: technical('USER_NOT_AUTHORIZED'),
  PPUC: elsewhere('CURRENCY_CODE_UNSUPPORTED', 'INVALID_REQUEST'),
  PPUE: invalid('UNSUPPORT_ENTITY'),
  PPUI: invalid('UNSUPPORT_INSTALLMENT'),
  PPUP: invalid('UNSUPPORT_POS_FLAG'),
  PPUR: invalid('UNSUPPORTED_REVERSAL'),
  PPVC: invalid('VALIDATE_CURRENCY'),
  PPVE: invalid('VALIDATION_ERROR'),
  PPVT: invalid('VIRTUAL_TERMINAL_UNSUPPORTED'),
};

/** Error `issue`s that decide something (declines, states, configuration). */
const ISSUES: Record<string, GatewayStatusEntry> = {
  // The payer's or the instrument's decision.
  INSTRUMENT_DECLINED: soft('The instrument was declined by the processor or bank, or cannot be used for this payment'),
  PAYMENT_SOURCE_DECLINED_BY_PROCESSOR: soft('The processor declined the payment source'),
  PAYMENT_SOURCE_CANNOT_BE_USED: soft('The payment source cannot be used for this payment'),
  PAYMENT_SOURCE_INFO_CANNOT_BE_VERIFIED: hard('The payment source information could not be verified'),
  REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: soft('The payer must choose another funding source at PayPal'),
  ALIAS_DECLINED_BY_PROCESSOR: soft('The processor declined the alias'),
  DECLINED_DUE_TO_RELATED_TXN: hard('Declined because of a related declined transaction'),
  TRANSACTION_REFUSED: hard('PayPal refused the transaction'),
  PAYER_CANNOT_PAY: hard('This payer cannot pay this payee (account settings)', 'RESTRICTED_CARD'),
  PAYER_ACCOUNT_LOCKED_OR_CLOSED: hard("The payer's PayPal account is locked or closed", 'RESTRICTED_CARD'),
  PAYER_ACCOUNT_RESTRICTED: hard("The payer's PayPal account is restricted", 'RESTRICTED_CARD'),
  COMPLIANCE_VIOLATION: hard('The transaction may violate compliance rules', 'RESTRICTED_CARD'),
  TRANSACTION_BLOCKED_BY_PAYEE: hard("The merchant's own risk settings blocked the transaction", 'RESTRICTED_CARD'),
  PAYEE_BLOCKED_TRANSACTION: hard("The merchant's fraud settings blocked the transaction", 'RESTRICTED_CARD'),
  TRANSACTION_LIMIT_EXCEEDED: row("The payment exceeds the payer's transaction limit", 'LIMIT_EXCEEDED', 'SOFT_DECLINE', false, false),
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: hard('Too many payment attempts on this order', 'LIMIT_EXCEEDED'),
  CARD_EXPIRED: hard('The card is expired', 'CARD_EXPIRED'),
  REFERENCED_CARD_EXPIRED: hard('The referenced card is expired', 'CARD_EXPIRED'),
  INVALID_EXPIRY_DATE: hard('The card expiry date is invalid', 'CARD_EXPIRED'),
  INVALID_SECURITY_CODE_LENGTH: hard('The card security code has the wrong length', 'CVV_MISMATCH'),
  CARD_NUMBER_REQUIRED: invalid('The card number is required', 'INVALID_CARD_NUMBER'),
  CARD_EXPIRY_REQUIRED: invalid('The card expiry is required'),
  // Approval and authentication.
  PAYER_ACTION_REQUIRED: auth('The payer must complete an action at PayPal (approval or 3-D Secure) first'),
  ORDER_NOT_APPROVED: auth('The payer has not approved the order', 'USER_DROPPED'),
  CONSENT_NEEDED: auth("The payer's consent is needed", 'USER_DROPPED'),
  ORDER_EXPIRED: auth('The order expired before it was completed', 'USER_DROPPED'),
  // This PayPal account cannot take it; another gateway may.
  CARD_BRAND_NOT_SUPPORTED: elsewhere('This account does not take this card brand'),
  DOMESTIC_TRANSACTION_REQUIRED: elsewhere('PayPal requires payer and payee in the same country here'),
  UNSUPPORTED_INTENT_FOR_PAYMENT_SOURCE: elsewhere('This payment source does not support the intent', 'INVALID_REQUEST'),
  PAYMENT_TYPE_NOT_SUPPORTED_FOR_INTENT: elsewhere('This payment type does not support the intent', 'INVALID_REQUEST'),
  PAYMENT_SOURCE_NOT_SUPPORTED: elsewhere('This payment source is not supported', 'INVALID_REQUEST'),
  // The merchant's PayPal account (configuration): counts against this account.
  NOT_ENABLED_FOR_CARD_PROCESSING: technical('The PayPal account is not enabled for card processing'),
  PAYEE_NOT_ENABLED_FOR_CARD_PROCESSING: technical('The payee is not enabled for card processing'),
  NOT_ENABLED_FOR_BANK_PROCESSING: technical('The PayPal account is not enabled for bank processing'),
  PAYEE_NOT_ENABLED_FOR_BANK_PROCESSING: technical('The payee is not enabled for bank processing'),
  AUTH_CAPTURE_NOT_ENABLED: technical('The PayPal account is not enabled for authorize-then-capture'),
  PAYEE_ACCOUNT_INVALID: technical('The payee account is invalid'),
  PAYEE_ACCOUNT_LOCKED_OR_CLOSED: technical("The merchant's PayPal account is locked or closed"),
  PAYEE_ACCOUNT_RESTRICTED: technical("The merchant's PayPal account is restricted"),
  TRANSACTION_RECEIVING_LIMIT_EXCEEDED: technical("The merchant's PayPal account exceeded its receiving limit"),
  PERMISSION_DENIED: technical('The credentials have no permission for this operation'),
  PERMISSION_DENIED_FOR_DONATION_ITEMS: technical('The credentials have no permission for donation items'),
  INVALID_ACCOUNT_STATUS: technical('Account validations failed for this PayPal account'),
  NOT_ELIGIBLE_FOR_TOKEN_PROCESSING: technical('The account is not eligible for token processing'),
  NOT_ENABLED_FOR_APPLE_PAY: technical('The account is not enabled for Apple Pay'),
  NOT_ENABLED_FOR_GOOGLE_PAY: technical('The account is not enabled for Google Pay'),
  NOT_ENABLED_TO_VAULT_PAYMENT_SOURCE: technical('The account is not enabled to vault this payment source'),
  // A second payment could follow: never retried elsewhere. Our invoice_id is our txn id, so a duplicate means
  // PayPal already took a payment for this attempt (status sync or webhook will tell).
  DUPLICATE_INVOICE_ID: invalid('PayPal already has a payment with this invoice id (our txn id)', 'INVALID_STATE'),
  // State of the order, authorization, capture or refund.
  ORDER_ALREADY_CAPTURED: state('The order is already captured'),
  ORDER_ALREADY_AUTHORIZED: state('The order is already authorized'),
  ORDER_COMPLETED_OR_VOIDED: state('The order is already completed or voided'),
  ORDER_COMPLETION_IN_PROGRESS: state('The order is being completed'),
  ORDER_CANNOT_BE_SAVED: state('The order cannot be saved'),
  ACTION_DOES_NOT_MATCH_INTENT: state('The order was created with the other intent'),
  AUTHORIZATION_EXPIRED: state('The authorization has expired'),
  AUTHORIZATION_VOIDED: state('The authorization was voided'),
  AUTHORIZATION_DENIED: state('The authorization was denied'),
  AUTHORIZATION_ALREADY_CAPTURED: state('The authorization is already captured'),
  MAX_CAPTURE_COUNT_EXCEEDED: state('The authorization cannot be captured again'),
  MAX_AUTHORIZATION_COUNT_EXCEEDED: state('The order cannot be authorized again'),
  MAX_CAPTURE_AMOUNT_EXCEEDED: invalid('The capture exceeds the amount PayPal allows for this authorization', 'INVALID_AMOUNT'),
  AUTHORIZATION_AMOUNT_EXCEEDED: invalid('The authorization exceeds the order amount', 'INVALID_AMOUNT'),
  PREVIOUSLY_CAPTURED: state('The authorization was captured: it cannot be voided'),
  PREVIOUSLY_VOIDED: state('The authorization is already voided'),
  CANNOT_BE_VOIDED: state('The authorization cannot be voided'),
  CAPTURE_FULLY_REFUNDED: state('The capture is already fully refunded'),
  REFUND_AMOUNT_EXCEEDED: invalid('The refund exceeds the amount left to refund', 'INVALID_AMOUNT'),
  REFUND_AMOUNT_TOO_LOW: invalid('The refund amount is too low', 'INVALID_AMOUNT'),
  REFUND_NOT_ALLOWED: state('PayPal does not allow a refund of this capture'),
  REFUND_TIME_LIMIT_EXCEEDED: state('The capture is too old to be refunded'),
  PARTIAL_REFUND_NOT_ALLOWED: state('This capture takes no partial refund'),
  MAX_NUMBER_OF_REFUNDS_EXCEEDED: state('The capture cannot be refunded again'),
  PENDING_CAPTURE: state('The capture is still pending: refund it once completed'),
  REFUND_FAILED_INSUFFICIENT_FUNDS: technical("The merchant's PayPal balance cannot cover the refund"),
  REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK: state('The capture has a chargeback'),
  TRANSACTION_DISPUTED: state('The capture is disputed'),
  REFUND_IS_RESTRICTED: state('Refunds are restricted for this capture'),
  PREVIOUS_REQUEST_IN_PROGRESS: row('A previous request for this resource is still being processed', 'TRANSACTION_PENDING', 'TECHNICAL_ERROR', false, false),
  INVALID_RESOURCE_ID: row('PayPal does not know this resource id', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  IDENTIFIER_NOT_FOUND: row('PayPal does not know this identifier', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  // Amounts and currencies.
  INVALID_CURRENCY_CODE: elsewhere('PayPal does not take this currency', 'INVALID_REQUEST'),
  CURRENCY_MISMATCH: invalid("The currency does not match the payment's"),
  AUTH_CAPTURE_CURRENCY_MISMATCH: invalid("The capture currency does not match the authorization's"),
  AUTHORIZATION_CURRENCY_MISMATCH: invalid("The authorization currency does not match the order's"),
  REFUND_CAPTURE_CURRENCY_MISMATCH: invalid("The refund currency does not match the capture's"),
  CANNOT_BE_ZERO_OR_NEGATIVE: invalid('The amount must be greater than zero', 'INVALID_AMOUNT'),
  CANNOT_BE_NEGATIVE: invalid('The amount must not be negative', 'INVALID_AMOUNT'),
  DECIMAL_PRECISION: invalid('The amount has more decimals than the currency takes', 'INVALID_AMOUNT'),
  DECIMALS_NOT_SUPPORTED: invalid('The currency takes no decimals', 'INVALID_AMOUNT'),
  MAX_VALUE_EXCEEDED: invalid("The amount exceeds PayPal's maximum", 'INVALID_AMOUNT'),
  AMOUNT_MISMATCH: invalid('The amount does not match its breakdown', 'INVALID_AMOUNT'),
  AMOUNT_CANNOT_BE_SPECIFIED: invalid('No amount may be given here', 'INVALID_AMOUNT'),
};

export const PAYPAL_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  ...PROCESSOR,
  ...Object.fromEntries(REQUEST_ISSUES.map((issue) => [issue, invalid(`PayPal refused the request (${issue})`)])),
  ...ISSUES,

  // Error names without a detail issue (the `name` of the error body) and HTTP statuses.
  INVALID_REQUEST: invalid('PayPal refused the request as not well-formed'),
  UNPROCESSABLE_ENTITY: invalid('PayPal refused the request (business validation)'),
  RESOURCE_NOT_FOUND: row('PayPal does not know this resource', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  NOT_AUTHORIZED: technical('The credentials are not authorized for this operation'),
  AUTHENTICATION_FAILURE: technical('PayPal refused the access token'),
  invalid_client: technical('PayPal refused the client id and secret (OAuth2 invalid_client)'),
  oauth_token_unavailable: technical('No OAuth2 access token from PayPal: nothing else was sent'),
  RATE_LIMIT_REACHED: technical('Too many requests to PayPal'),
  INTERNAL_SERVER_ERROR: technical('PayPal had an internal error'),
  SERVICE_UNAVAILABLE: technical('PayPal is unavailable'),

  // What the connector decides itself.
  APPROVAL_NOT_COMPLETED: auth('The payer left PayPal without approving the payment (cancelled or abandoned)', 'USER_DROPPED'),
  LIABILITY_SHIFT_NO: auth('3-D Secure did not authenticate the cardholder (liability_shift NO): PayPal advises not to continue'),
  LIABILITY_SHIFT_UNKNOWN: auth('3-D Secure could not be completed (liability_shift UNKNOWN): PayPal advises asking the cardholder to retry'),
  raw_card_data_not_enabled: row('The account is not enabled to send full card details to PayPal', 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false),
  payment_method_not_supported: row('PayPal takes cards and the PayPal wallet here', 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false),
  amount_not_representable: row('The amount cannot be expressed in this currency at PayPal (no decimals for HUF, JPY, TWD)', 'INVALID_AMOUNT', 'VALIDATION_ERROR', true, false),
  nothing_to_capture: state('The PayPal order holds no authorization to capture or void'),
  nothing_to_refund: state('The PayPal order holds no completed capture to refund'),
  capture_exceeds_authorization: invalid('The capture would exceed the authorized amount', 'INVALID_AMOUNT'),
  CONNECTION_REFUSED: row('PayPal could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A raw code's row: its own, or the rule for unlisted codes (processor-style codes soft, other issues our request). */
export function paypalFailure(code: string): GatewayStatusEntry {
  const known = PAYPAL_STATUS_TABLE[code];
  if (known) return known;
  if (/^[0-9A-Z]{4}$/.test(code)) return soft(`Card processor response ${code}`);
  return invalid(`PayPal refused the request (${code})`);
}
