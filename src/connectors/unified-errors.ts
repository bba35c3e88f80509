// Our unified error catalogue for failed payments, refunds and captures. Every connector's
// status table maps the gateway's raw codes to one of these, so merchants never depend on a
// gateway's own codes. docs/unified-errors.md mirrors this table (a test keeps them in sync).
import type { UnifiedError } from '../core/ports/connector.ts';

import type { UnifiedFailureCategory } from '../core/ports/connector.ts';

export interface UnifiedErrorDefinition {
  message: string;
  category: UnifiedFailureCategory;
}

export const UNIFIED_ERRORS = {
  INSUFFICIENT_FUNDS: { message: 'Insufficient funds in the account', category: 'PAYMENT_FAILURE' },
  DO_NOT_HONOUR: { message: 'The issuer declined the payment (do not honour)', category: 'PAYMENT_FAILURE' },
  LIMIT_EXCEEDED: { message: 'The card or account limit was exceeded', category: 'PAYMENT_FAILURE' },
  RESTRICTED_CARD: { message: 'The card is restricted for this kind of payment', category: 'BUSINESS_ERROR' },
  LOST_OR_STOLEN_CARD: { message: 'The card was reported lost or stolen', category: 'PAYMENT_FAILURE' },
  ISSUER_UNAVAILABLE: { message: 'The issuing bank is unavailable', category: 'GATEWAY_ERROR' },
  GATEWAY_TECHNICAL_ERROR: { message: 'The gateway had a technical error', category: 'TECHNICAL_ERROR' },
  GATEWAY_DOWN: { message: 'The gateway is unavailable', category: 'GATEWAY_ERROR' },
  AUTHENTICATION_FAILED: { message: 'Authentication of the payment failed', category: 'USER_ERROR' },
  CARD_EXPIRED: { message: 'The card has expired', category: 'USER_ERROR' },
  INVALID_CARD_NUMBER: { message: 'The card number is invalid', category: 'VALIDATION_ERROR' },
  CVV_MISMATCH: { message: 'The card security code is incorrect', category: 'USER_ERROR' },
  USER_DROPPED: { message: 'The shopper did not complete the payment', category: 'USER_DROPPED' },
  INVALID_REQUEST: { message: 'The gateway rejected the request as invalid', category: 'GATEWAY_VALIDATION_ERROR' },
  INVALID_AMOUNT: { message: 'The amount is not allowed for this operation', category: 'BUSINESS_ERROR' },
  INVALID_STATE: { message: 'The operation is not allowed in the payment state at the gateway', category: 'BUSINESS_ERROR' },
  TRANSACTION_NOT_FOUND: { message: 'The gateway does not know this transaction', category: 'NOT_FOUND' },
  TRANSACTION_PENDING: { message: 'The payment is pending at the gateway', category: 'TXN_PENDING' },
  TIMEOUT_UNKNOWN: { message: 'The gateway did not answer in time: the outcome is unknown', category: 'UNKNOWN' },
  GENERIC_DECLINE: { message: 'The payment was declined', category: 'GENERIC_ERROR' },
  UNKNOWN_ERROR: { message: 'The gateway returned an unrecognised answer', category: 'UNKNOWN' },
  // Declines by Junction's risk checks (JUSPAY_DECLINED, no gateway called): see docs/risk.md.
  RISK_BLOCKLISTED: { message: 'Declined by risk checks: a detail of the payment is on the blocklist', category: 'BUSINESS_ERROR' },
  RISK_VELOCITY_EXCEEDED: { message: 'Declined by risk checks: too many attempts or too much amount in a time window', category: 'BUSINESS_ERROR' },
  RISK_COUNTRY_MISMATCH: { message: 'Declined by risk checks: the card issuer country does not match the billing or IP country', category: 'BUSINESS_ERROR' },
  RISK_AMOUNT_LIMIT: { message: 'Declined by risk checks: the amount is outside the limits for this method and currency', category: 'BUSINESS_ERROR' },
  RISK_CARD_TESTING: { message: 'Declined by risk checks: the source is blocked after repeated small declined attempts', category: 'BUSINESS_ERROR' },
  RISK_RULE: { message: "Declined by risk checks: a merchant's risk rule", category: 'BUSINESS_ERROR' },
  RISK_PROVIDER_DECLINED: { message: 'Declined by the risk provider, or the provider did not answer and the merchant fails closed', category: 'BUSINESS_ERROR' },
} as const satisfies Record<string, UnifiedErrorDefinition>;

export type UnifiedErrorCode = keyof typeof UNIFIED_ERRORS;

/** The `UnifiedError` value a connector outcome carries. */
export function unifiedError(code: UnifiedErrorCode): UnifiedError {
  const definition: UnifiedErrorDefinition = UNIFIED_ERRORS[code];
  return { code, message: definition.message, category: definition.category };
}
