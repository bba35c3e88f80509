// Adyen's answers -> our meaning. Raw codes are Adyen's refusalReasonCode values
// (https://docs.adyen.com/development-resources/refusal-reasons), `resultCode`s that are not
// refusals, API error codes (ServiceError.errorCode) and our transport outcomes. Which refusals are
// hard follows the reason (a blocked, expired, stolen card or fraud never succeeds elsewhere; an
// issuer or acquirer being unavailable may); a shopper's or issuer's decision never counts against
// Adyen's health, Adyen's own errors do.
import type { GatewayStatusEntry } from '../../core/ports/connector.ts';
import { statusRow as row, hardDecline as hard, softDecline as soft } from '../kit/status-rows.ts';
import type { UnifiedErrorCode } from '../unified-errors.ts';

const auth = (message: string) => row(message, 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false);
const technical = (message: string, unified: UnifiedErrorCode = 'GATEWAY_TECHNICAL_ERROR') => row(message, unified, 'TECHNICAL_ERROR', true, true);

export const ADYEN_STATUS_TABLE: Readonly<Record<string, GatewayStatusEntry>> = {
  // refusalReasonCode (resultCode Refused / Cancelled / Error).
  '2': soft('Refused', 'GENERIC_DECLINE'),
  '3': soft('Referral: the issuer asks for a voice authorisation', 'DO_NOT_HONOUR'),
  '4': technical('Acquirer Error', 'ISSUER_UNAVAILABLE'),
  '5': hard('Blocked Card', 'RESTRICTED_CARD'),
  '6': hard('Expired Card', 'CARD_EXPIRED'),
  '7': hard('Invalid Amount', 'INVALID_AMOUNT'),
  '8': hard('Invalid Card Number', 'INVALID_CARD_NUMBER'),
  '9': soft('Issuer Unavailable', 'ISSUER_UNAVAILABLE'),
  '10': hard('Not supported: the issuer or acquirer does not support this payment', 'RESTRICTED_CARD'),
  '11': auth('3D Not Authenticated'),
  '12': hard('Not enough balance', 'INSUFFICIENT_FUNDS'),
  '14': hard('Acquirer Fraud', 'LOST_OR_STOLEN_CARD'),
  '15': soft('Cancelled', 'GENERIC_DECLINE'),
  '16': row('Shopper Cancelled', 'USER_DROPPED', 'AUTHENTICATION_FAILED', false, false),
  '17': auth('Invalid Pin'),
  '18': auth('Pin tries exceeded'),
  '19': auth('Pin validation not possible'),
  '20': hard('FRAUD', 'LOST_OR_STOLEN_CARD'),
  '21': technical('Not Submitted: the payment was not submitted to the acquirer'),
  '22': hard('FRAUD-CANCELLED', 'LOST_OR_STOLEN_CARD'),
  '23': hard('Transaction Not Permitted', 'RESTRICTED_CARD'),
  '24': hard('CVC Declined', 'CVV_MISMATCH'),
  '25': hard('Restricted Card', 'RESTRICTED_CARD'),
  '26': hard('Revocation Of Auth', 'RESTRICTED_CARD'),
  '27': soft('Declined Non Generic', 'DO_NOT_HONOUR'),
  '28': hard('Withdrawal amount exceeded', 'LIMIT_EXCEEDED'),
  '29': hard('Withdrawal count exceeded', 'LIMIT_EXCEEDED'),
  '31': hard('Issuer Suspected Fraud', 'LOST_OR_STOLEN_CARD'),
  '32': hard('AVS Declined', 'INVALID_REQUEST'),
  '33': auth('Card requires online pin'),
  '34': hard('No checking account available on Card', 'RESTRICTED_CARD'),
  '35': hard('No savings account available on Card', 'RESTRICTED_CARD'),
  '36': auth('Mobile pin required'),
  '37': soft('Contactless fallback', 'DO_NOT_HONOUR'),
  '38': auth('Authentication required'),
  '39': auth('RReq not received from DS'),
  '40': soft('Current AID is in Penalty Box', 'DO_NOT_HONOUR'),
  '41': auth('CVM Required Restart Payment'),
  '42': auth('3DS Authentication Error'),
  '43': auth('Online PIN required'),
  '44': soft('Try another interface', 'DO_NOT_HONOUR'),
  '45': soft('Chip downgrade mode', 'DO_NOT_HONOUR'),
  '46': hard('Transaction blocked by Adyen to prevent excessive retry fees', 'DO_NOT_HONOUR'),

  // resultCode Error without a refusal code, and API errors (ServiceError.errorCode).
  Error: technical('Adyen could not process the payment'),
  '000': technical('Adyen refused the API key (Unauthorized)'),
  '010': technical('The API key may not use this merchant account (Forbidden)'),
  '167': row('Original pspReference required for this operation', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  validation: row('Adyen rejected the request as invalid', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  raw_card_data_not_enabled: row('The account is not enabled to send raw card numbers to Adyen', 'INVALID_REQUEST', 'VALIDATION_ERROR', true, false),
  amount_not_representable: row('Adyen counts this currency in whole units and the amount has a fraction', 'INVALID_AMOUNT', 'VALIDATION_ERROR', true, false),

  // Transport outcomes (ours).
  CONNECTION_REFUSED: row('Adyen could not be reached: nothing was sent', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
};

/** A refusal's row; an unlisted code is a soft generic decline (retryable, never against Adyen). */
export function adyenFailure(code: string): GatewayStatusEntry {
  return ADYEN_STATUS_TABLE[code] ?? row(`Adyen refused the payment (${code})`, 'GENERIC_DECLINE', 'SOFT_DECLINE', true, false);
}
