// PayU India's answers -> our meaning. A failed payment names its reason in `error` (E-codes;
// https://docs.payu.in/docs/error-codes and the issuer decline list
// https://docs.payu.in/reference/issuer-decline-error-codes), and always in `unmappedstatus`
// (PayU's internal state: captured, auth, pending, bounced, dropped, failed, userCancelled, ...;
// https://docs.payu.in/docs/addl_info-payment-apis). The raw code we keep is the E-code when PayU
// gave one other than E000, otherwise the unmappedstatus. Also the command APIs' error codes
// (capture/cancel: https://docs.payu.in/reference/error-codes-pre-authorize-payment), our own
// refusals before sending anything, and our transport outcomes.
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row, hardDecline as hard, softDecline as soft } from '../kit/status-rows.ts';
import type { UnifiedErrorCode } from '../unified-errors.ts';

const invalid = (message: string, unified: UnifiedErrorCode = 'INVALID_REQUEST') => row(message, unified, 'VALIDATION_ERROR', false, false);

export const PAYU_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  // Issuer declines (docs.payu.in "Issuer Decline Error Codes": ISO response code -> PayU E-code).
  E348: soft('Transaction declined by the issuer (refer to card issuer)', 'DO_NOT_HONOUR'),
  E341: row('Transaction failed due to invalid merchant', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  E310: hard('Card has been classified as lost and has been blocked (pick up card)', 'LOST_OR_STOLEN_CARD'),
  E307: soft('Transaction declined with do not honor', 'DO_NOT_HONOUR'),
  E1903: soft('Authorization failed at bank', 'GENERIC_DECLINE'),
  E207: soft('Bank denied transaction on the card (invalid transaction)', 'RESTRICTED_CARD'),
  E715: hard('Invalid amount sent to the bank', 'INVALID_AMOUNT'),
  E1632: hard('Transaction declined due to either incorrect cvv/expiry or card validation failure', 'CVV_MISMATCH'),
  E305: hard('The transaction failed due to invalid or absent card number', 'INVALID_CARD_NUMBER'),
  E345: soft('Transaction declined due to technical failure (re-enter transaction)', 'ISSUER_UNAVAILABLE'),
  E308: soft('Transaction failed at bank end (invalid response)', 'ISSUER_UNAVAILABLE'),
  // Other documented errors (docs.payu.in "Error Codes").
  E907: invalid('Wrong payment method selected'),
  E1620: invalid('Payment method enforced and wrong method selected'),
  E4684: hard('VPA is not available for transaction', 'INVALID_REQUEST'),
  E4316: hard('Withdrawal stopped owing to death of account holder', 'RESTRICTED_CARD'),
  E4317: hard('Withdrawal stopped owing to insolvency of account', 'RESTRICTED_CARD'),
  E4318: hard('Withdrawal stopped owing to lunacy of account holder', 'RESTRICTED_CARD'),

  // unmappedstatus values of a payment that did not succeed (used when PayU gave no E-code).
  failed: soft('The payment failed at PayU or the bank', 'GENERIC_DECLINE'),
  bounced: row("The shopper left PayU's page without paying (bounced)", 'USER_DROPPED', 'AUTHENTICATION_FAILED', false, false),
  dropped: row('The shopper dropped the payment at the bank page', 'USER_DROPPED', 'AUTHENTICATION_FAILED', false, false),
  userCancelled: row('The shopper cancelled the payment', 'USER_DROPPED', 'AUTHENTICATION_FAILED', false, false),

  // Command API errors (capture_transaction / cancel_refund_transaction).
  '106': invalid('Token already exists'),
  '111': invalid('Invalid transaction status for this action', 'INVALID_STATE'),
  '116': invalid('Transaction Not Found', 'TRANSACTION_NOT_FOUND'),
  '303': invalid('Amount greater than maximum capturable amount', 'INVALID_AMOUNT'),
  '305': invalid('Amount more than allowed', 'INVALID_AMOUNT'),
  refund_exceeds_captured: invalid('The refund would exceed what is left to refund', 'INVALID_AMOUNT'),

  // PayU refused the request itself (hash, duplicate txnid, parameters) and our own refusals.
  hash_mismatch: row('PayU refused the request hash: the merchant key or salt is wrong', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  invalid_request: invalid('PayU refused the request as invalid'),
  bank_not_supported: invalid('This netbanking bank has no PayU bank code'),
  wallet_not_supported: invalid('This wallet has no PayU bank code'),
  method_not_supported: invalid('PayU takes cards (hosted or seamless), UPI, netbanking and wallets only'),
  currency_not_supported: invalid('PayU India takes INR only', 'INVALID_AMOUNT'),
  NOT_FOUND: invalid('PayU has no transaction with this txnid: it was never submitted', 'TRANSACTION_NOT_FOUND'),
  CONNECTION_REFUSED: row('PayU could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A raw code's row: its own, or the rule for an E-code the table does not list (a bank's decline: soft). */
export function payuFailure(code: string): GatewayStatusEntry {
  const known = PAYU_STATUS_TABLE[code];
  if (known) return known;
  if (/^E\d{3,5}$/.test(code)) return soft(`Declined (${code})`, 'GENERIC_DECLINE');
  return soft(`Declined (${code})`, 'GENERIC_DECLINE');
}

/** The rule for codes the table does not list: only PayU E-codes have one. */
export function classifyUnlistedPayu(code: string): GatewayStatusEntry | undefined {
  return /^E\d{3,5}$/.test(code) ? payuFailure(code) : undefined;
}
