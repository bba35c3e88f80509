// Money is an integer count of minor units plus an ISO 4217 currency. The API speaks decimal
// strings ("100.50"); the conversion happens here, once, and never through a float.
import { exponentOf, isCurrency } from './currencies.ts';
import { invalidField } from './errors.ts';

/** Largest amount we accept, in minor units: keeps sums of refunds far inside 2^53. */
export const MAX_MINOR_UNITS = 10_000_000_000_000; // 10^13

/** Decimal places of the currency (ISO 4217, core/currencies.ts); 2 for a code outside the table (stored before it existed). */
export function currencyExponent(currency: string): number {
  return exponentOf(currency) ?? 2;
}

export function parseCurrency(value: unknown, field = 'currency'): string {
  if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value)) {
    throw invalidField(field, 'must be a three-letter ISO 4217 currency code');
  }
  const code = value.toUpperCase();
  if (!isCurrency(code)) throw invalidField(field, `${code} is not an ISO 4217 currency code`);
  return code;
}

/**
 * Parses a decimal amount ("100", "100.5", "100.50", 100.5) into minor units of `currency`.
 * Rejects negatives, exponents, more decimals than the currency has, and absurd sizes.
 */
export function parseAmount(value: unknown, currency: string, field = 'amount', { allowZero = false } = {}): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidField(field, 'must be a finite decimal number');
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw invalidField(field, 'must be a decimal number such as "100.50"');
  }
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!match) {
    if (text.startsWith('-')) throw invalidField(field, 'must not be negative');
    throw invalidField(field, 'must be a decimal number such as "100.50"');
  }
  const whole = match[1]!;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw invalidField(field, `must have at most ${exponent} decimal places for ${currency}`);
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR_UNITS) throw invalidField(field, 'is too large');
  if (minor === 0 && !allowZero) throw invalidField(field, 'must be greater than zero');
  return minor;
}

/** Formats minor units as the API's decimal number (Juspay answers amounts as JSON numbers). */
export function formatAmount(minor: number, currency: string): number {
  return Number(formatAmountString(minor, currency));
}

export function formatAmountString(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * A gateway's plain decimal string ("10", "10.5", "10.00") as minor units of `currency`, exactly;
 * null when it is not a plain non-negative decimal, has more places than the currency (trailing
 * zeros aside), or is too large. For reading gateways' answers, where a bad value is not the
 * caller's input error.
 */
export function minorUnitsOf(text: string | undefined, currency: string): number | null {
  const match = /^\s*(\d{1,15})(?:\.(\d+))?\s*$/.exec(text ?? '');
  if (!match) return null;
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return null;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}
