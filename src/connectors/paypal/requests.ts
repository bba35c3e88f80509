// PayPal's requests, without I/O: amounts as `{currency_code, value}` (a major-unit decimal string
// computed from our minor units with exact integer arithmetic), the order, capture and refund bodies
// (transformers.ts reads the answers). Shapes from the vendored OpenAPI documents in emulators/paypal/contract.
import { currencyExponent, formatAmountString, minorUnitsOf } from '../../core/money.ts';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import type { PayPalBody, PayPalMoney } from './transformers.ts';

/** Currencies PayPal takes without decimals although ISO 4217 gives them some (https://developer.paypal.com/reference/currency-codes/). */
export const PAYPAL_ZERO_DECIMAL = new Set(['HUF', 'TWD']);

/**
 * Our minor units as PayPal's `value`: the ISO exponent's decimal string ("100.50", "1000" for JPY,
 * "12.345" for a three-decimal currency); for HUF and TWD, which PayPal takes without decimals, the
 * whole units, or null when the amount has a fraction PayPal cannot carry.
 */
export function paypalValue(minor: number, currency: string): string | null {
  if (!Number.isSafeInteger(minor) || minor < 0) return null;
  const exponent = currencyExponent(currency);
  if (PAYPAL_ZERO_DECIMAL.has(currency) && exponent > 0) {
    const unit = 10 ** exponent;
    return minor % unit === 0 ? String(minor / unit) : null;
  }
  return formatAmountString(minor, currency);
}

/** PayPal's `value` back to our minor units of `currency` (exact string arithmetic), or null when it is not a plain decimal. */
export function minorFromPayPal(value: string, currency: string): number | null {
  // PayPal's values carry no surrounding spaces: a padded one is not a plain decimal.
  return value.trim() === value ? minorUnitsOf(value, currency) : null;
}

export function money(minor: number, currency: string): PayPalMoney | null {
  const value = paypalValue(minor, currency);
  return value === null ? null : { currency_code: currency, value };
}

/** Our references are free text; PayPal's reference fields take at most 127 characters. */
const reference = (value: string) => value.slice(0, 127);

export interface OrderRequestOptions {
  rawCardDataEnabled: boolean;
}

/** POST /v2/checkout/orders, or why nothing may be sent (a status table code and a message). */
export function buildOrderRequest(request: AuthorizeRequest, options: OrderRequestOptions): { body: PayPalBody } | { refused: string; message: string } {
  const amount = money(request.amount, request.currency);
  if (!amount)
    return {
      refused: 'amount_not_representable',
      message: `${request.currency} ${formatAmountString(request.amount, request.currency)} cannot be sent to PayPal: it takes ${request.currency} without decimals`,
    };
  let paymentSource: PayPalBody;
  if (request.paymentMethodType === 'WALLET') {
    if (request.wallet?.name !== 'PAYPAL' && request.paymentMethod !== 'PAYPAL')
      return { refused: 'payment_method_not_supported', message: `PayPal takes the PAYPAL wallet only, not ${request.wallet?.name ?? request.paymentMethod}` };
    paymentSource = {
      paypal: {
        experience_context: {
          return_url: request.returnUrl,
          cancel_url: request.returnUrl,
          // The payer pays at PayPal and comes back to a completed payment: no review step of ours, no shipping.
          user_action: 'PAY_NOW',
          shipping_preference: 'NO_SHIPPING',
          payment_method_preference: 'IMMEDIATE_PAYMENT_REQUIRED',
          landing_page: 'NO_PREFERENCE',
        },
        ...(request.customerEmail && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(request.customerEmail) ? { email_address: request.customerEmail } : {}),
      },
    };
  } else if (request.paymentMethodType === 'CARD') {
    if (!request.card) return { refused: 'payment_method_not_supported', message: 'PayPal needs the card details here (no PayPal card token was given)' };
    if (!options.rawCardDataEnabled) {
      return {
        refused: 'raw_card_data_not_enabled',
        message: 'This PayPal account is not enabled for full card details (PCI DSS SAQ D, advanced card processing): set raw_card_data_enabled once PayPal has enabled it',
      };
    }
    const card = request.card;
    const year = card.expYear.length === 2 ? `20${card.expYear}` : card.expYear;
    const threeDs = request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2';
    paymentSource = {
      card: {
        number: card.number,
        expiry: `${year}-${card.expMonth.padStart(2, '0')}`,
        ...(card.cvv ? { security_code: card.cvv } : {}),
        ...(card.holderName ? { name: card.holderName } : {}),
        // 3-D Secure: PayPal's current API takes attributes.verification.method (newer than the vendored
        // 2024-02 document); without it PayPal challenges when the issuer or regulation requires it.
        ...(threeDs ? { attributes: { verification: { method: 'SCA_ALWAYS' } } } : {}),
        experience_context: { return_url: request.returnUrl, cancel_url: request.returnUrl },
      },
    };
  } else {
    return { refused: 'payment_method_not_supported', message: `PayPal takes cards and the PayPal wallet here, not ${request.paymentMethodType}` };
  }
  return {
    body: {
      intent: request.captureMode === 'MANUAL' ? 'AUTHORIZE' : 'CAPTURE',
      purchase_units: [{ reference_id: reference(request.txnId), custom_id: reference(request.txnId), invoice_id: reference(request.txnId), amount }],
      payment_source: paymentSource,
    },
  };
}

/** POST /v2/payments/authorizations/{id}/capture: the amount, and final (we capture once). */
export function buildCaptureRequest(minor: number, currency: string): PayPalBody | null {
  const amount = money(minor, currency);
  return amount ? { amount, final_capture: true } : null;
}

/** POST /v2/payments/captures/{id}/refund; our refund id rides in custom_id so a webhook names it. */
export function buildRefundRequest(minor: number, currency: string, refundId: string): PayPalBody | null {
  const amount = money(minor, currency);
  if (!amount) return null;
  return { amount, ...(/^[A-Za-z0-9\-_.,]{1,127}$/.test(refundId) ? { custom_id: refundId } : {}) };
}
