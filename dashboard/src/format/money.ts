// The dashboard's one money formatter. Amounts are integer minor units (or the API's decimal
// strings, read digit by digit): never floats. Intl.NumberFormat gives the currency's symbol and
// the locale's grouping (Indian grouping for INR: ₹5,34,473.00) and is fed an exact decimal string.

import { exponentOf } from '../../../src/core/currencies.ts';

/** Decimal places of the currency's minor unit, from the server's own ISO 4217 table (src/core/currencies.ts); 2 for an unknown code. */
export function currencyExponent(currency: string): number {
  return exponentOf(currency) ?? 2;
}

/** The locale whose grouping a currency is shown with (Indian lakh/crore grouping for INR). */
function currencyLocale(currency: string): string {
  return currency.toUpperCase() === 'INR' ? 'en-IN' : 'en-US';
}

const formatters = new Map<string, Intl.NumberFormat | null>();

function formatterFor(currency: string): Intl.NumberFormat | null {
  const code = currency.toUpperCase();
  let nf = formatters.get(code);
  if (nf === undefined) {
    const digits = currencyExponent(code);
    try {
      nf = new Intl.NumberFormat(currencyLocale(code), { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      nf = null; // not an ISO 4217 code: shown as "<decimal> <code>"
    }
    formatters.set(code, nf);
  }
  return nf;
}

/** Integer minor units as an exact decimal string: 53447300n, INR → "534473.00". */
export function minorToDecimal(minor: number | bigint, currency: string): string | null {
  return minorToDecimalAt(minor, currencyExponent(currency));
}

/** The same at `exponent` decimal places (0: the minor units themselves). */
export function minorToDecimalAt(minor: number | bigint, exponent: number): string | null {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) return null;
  const value = BigInt(minor);
  const digits = (value < 0n ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${value < 0n ? '-' : ''}${whole}${fraction}`;
}

/** A decimal string in a currency ("5344.7", "1000") as integer minor units, or null when it is not one. */
export function decimalToMinor(text: string, currency: string): bigint | null {
  return decimalToMinorAt(text, currencyExponent(currency));
}

/** The same at `exponent` decimal places: null when the text has more (trailing zeros aside). */
export function decimalToMinorAt(text: string, exponent: number): bigint | null {
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return null;
  const value = BigInt(`${m[2]}${fraction.padEnd(exponent, '0')}`);
  return m[1] ? -value : value;
}

/** Integer minor units with the currency's symbol and grouping: 53447300, "INR" → "₹5,34,473.00"; 1000, "JPY" → "¥1,000". */
export function formatMoney(minor: number | bigint | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined || !currency) return '–';
  const decimal = minorToDecimal(minor, currency);
  if (decimal === null) return '–';
  const nf = formatterFor(currency);
  // Intl.NumberFormat formats a decimal string exactly (no conversion to a float).
  return nf ? (nf.format as unknown as (value: string) => string)(decimal) : `${decimal} ${currency}`;
}

/** The API's decimal amount string (or a number of major units as the API sent it) formatted like formatMoney. */
export function formatDecimalMoney(amount: string | number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '' || !currency) return '–';
  const minor = decimalToMinor(String(amount), currency);
  return minor === null ? `${String(amount)} ${currency}` : formatMoney(minor, currency);
}
