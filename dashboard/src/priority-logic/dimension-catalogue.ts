// The dimensions the rule builder offers, their operators and labels, and amounts in minor units.
// Each dimension's value kind and the operators allowed per kind come from the engine itself
// (src/routing/dimensions.ts), so the builder only offers what the engine accepts; this file adds
// the labels, groups and suggestions.
import { currencyExponent, decimalToMinorAt, minorToDecimalAt } from '../format/money';
import { AUTH_TYPES, CARD_BRANDS, CARD_TYPES, PAYMENT_METHOD_TYPES } from '../../../src/core/payment-methods.ts';
import type { Operator } from './types';
import { OPERATORS_BY_KIND as ENGINE_OPERATORS_BY_KIND, lookupDimension, type ValueKind } from '../../../src/routing/dimensions.ts';

export type { ValueKind };

interface DimensionInfo {
  name: string;
  label: string;
  kind: ValueKind;
  group: string;
  suggestions?: readonly string[];
}

// The engine's vocabularies (src/core/payment-methods.ts), not copies of them.
const PMT = PAYMENT_METHOD_TYPES;
const BRANDS = CARD_BRANDS;
const CURRENCIES = ['INR', 'USD', 'EUR', 'GBP', 'AED', 'SGD', 'AUD', 'CAD', 'JPY'];
const COUNTRIES = ['IN', 'US', 'GB', 'AE', 'SG', 'DE', 'FR', 'AU', 'CA'];

const CATALOGUE: readonly Omit<DimensionInfo, 'kind'>[] = [
  { name: 'payment_method_type', label: 'Payment method type', group: 'Payment', suggestions: PMT },
  { name: 'payment_method', label: 'Payment method', group: 'Payment', suggestions: [...BRANDS, 'GOOGLEPAY', 'PHONEPE', 'PAYTM'] },
  { name: 'auth_type', label: 'Auth type', group: 'Payment', suggestions: AUTH_TYPES },
  { name: 'amount', label: 'Amount', group: 'Payment' },
  { name: 'currency', label: 'Currency', group: 'Payment', suggestions: CURRENCIES },
  { name: 'card_brand', label: 'Card brand (network)', group: 'Card', suggestions: BRANDS },
  { name: 'card_type', label: 'Card type', group: 'Card', suggestions: CARD_TYPES },
  { name: 'card_sub_type', label: 'Card sub-type', group: 'Card' },
  { name: 'card_bin', label: 'Card BIN', group: 'Card' },
  { name: 'card_issuer', label: 'Card issuer (bank)', group: 'Card', suggestions: ['ICICI Bank', 'HDFC Bank', 'State Bank of India', 'Axis Bank', 'Kotak Mahindra Bank'] },
  { name: 'card_issuer_country', label: 'Card issuer country', group: 'Card', suggestions: COUNTRIES },
  { name: 'is_domestic', label: 'Is domestic', group: 'Card' },
  { name: 'upi_app', label: 'UPI app (PSP)', group: 'UPI, wallet, bank', suggestions: ['GOOGLEPAY', 'PHONEPE', 'PAYTM', 'BHIM'] },
  { name: 'upi_txn_type', label: 'UPI transaction type', group: 'UPI, wallet, bank', suggestions: ['COLLECT', 'INTENT', 'UPI_COLLECT', 'UPI_PAY', 'UPI_QR'] },
  { name: 'wallet', label: 'Wallet', group: 'UPI, wallet, bank', suggestions: ['PAYTM', 'MOBIKWIK', 'AMAZONPAY', 'PHONEPE'] },
  { name: 'bank', label: 'Netbanking bank', group: 'UPI, wallet, bank' },
  { name: 'emi', label: 'EMI', group: 'EMI' },
  { name: 'emi_bank', label: 'EMI bank', group: 'EMI' },
  { name: 'emi_tenure', label: 'EMI tenure (months)', group: 'EMI' },
  { name: 'billing_country', label: 'Billing country', group: 'Customer and order', suggestions: COUNTRIES },
  { name: 'shipping_country', label: 'Shipping country', group: 'Customer and order', suggestions: COUNTRIES },
  { name: 'customer_id', label: 'Customer ID', group: 'Customer and order' },
  { name: 'product_id', label: 'Product ID', group: 'Customer and order' },
  { name: 'add_to_locker', label: 'Save card to locker', group: 'Customer and order' },
  { name: 'platform', label: 'Platform', group: 'Customer and order', suggestions: ['WEB', 'ANDROID', 'IOS'] },
  { name: 'time_of_day', label: 'Time of day (UTC)', group: 'Time' },
  ...Array.from({ length: 10 }, (_, i): Omit<DimensionInfo, 'kind'> => ({ name: `udf${i + 1}`, label: `UDF ${i + 1}`, group: 'User-defined fields' })),
  { name: 'metadata', label: 'Order metadata (key)', group: 'User-defined fields' },
];

/** The engine's value kind of a dimension ('metadata' stands for every metadata.<key>). */
function engineKind(name: string): ValueKind {
  const spec = lookupDimension(name === 'metadata' ? 'metadata.key' : name);
  if (!spec) throw new Error(`${name} is not a dimension of the routing engine`);
  return spec.kind;
}

export const DIMENSIONS: readonly DimensionInfo[] = CATALOGUE.map((d) => ({ ...d, kind: engineKind(d.name) }));

const BY_NAME = new Map(DIMENSIONS.map((d) => [d.name, d]));

export function dimensionInfo(name: string): DimensionInfo | undefined {
  return BY_NAME.get(name);
}

/** Operators the engine allows per value kind, in the engine's order. */
const engineOperators = (kind: ValueKind): readonly Operator[] => [...ENGINE_OPERATORS_BY_KIND[kind]];
export const OPERATORS_BY_KIND: Record<ValueKind, readonly Operator[]> = {
  enum: engineOperators('enum'),
  string: engineOperators('string'),
  number: engineOperators('number'),
  boolean: engineOperators('boolean'),
  amount: engineOperators('amount'),
  bin: engineOperators('bin'),
  time: engineOperators('time'),
};

export const OPERATOR_LABELS: Record<Operator, string> = {
  equal: 'equals',
  not_equal: 'does not equal',
  in: 'is one of',
  not_in: 'is not one of',
  less_than: 'is less than',
  less_than_equal: 'is at most',
  greater_than: 'is greater than',
  greater_than_equal: 'is at least',
  between: 'is between',
  starts_with: 'starts with',
};

type ValueShape = 'single' | 'list' | 'range';

export function valueShape(op: Operator): ValueShape {
  if (op === 'in' || op === 'not_in' || op === 'starts_with') return 'list';
  if (op === 'between') return 'range';
  return 'single';
}

// ------------------------------------------------------------------ currencies

// One ISO 4217 table for the service and the dashboard; one minor-unit reader and writer (format/money.ts).
export { currencyExponent };
export const AMOUNT_CURRENCIES = CURRENCIES;

/** "500.50" in INR → 50050; null when not a non-negative decimal with at most the currency's decimals (no currency: whole minor units). */
export function toMinor(text: string, currency: string): number | null {
  if (!/^\d/.test(text.trim())) return null;
  const minor = decimalToMinorAt(text, currency ? currencyExponent(currency) : 0);
  return minor !== null && minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : null;
}

/** 50050 in INR → "500.50" (no currency: the minor units as they are). */
export function fromMinor(minor: number, currency: string): string {
  return minorToDecimalAt(Math.trunc(minor), currency ? currencyExponent(currency) : 0) ?? String(minor);
}
