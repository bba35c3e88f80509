// The dimensions a condition can test: how to read each one from a payment, what kind of value
// it holds and which operators make sense for it. Shared by the validator, the compiler, the
// reference interpreter and the explainer so they cannot disagree on what a dimension means.

import { UDF_KEYS, type Operator, type RoutingPayment } from './types.ts';

/**
 * enum: a code compared case-insensitively (VISA = visa).  string: free text, compared exactly.
 * number, boolean: as is.  amount: minor units, optionally pinned to a currency.
 * bin: card BIN (6 digits) or extended BIN (8).  time: minutes since midnight UTC.
 */
export type ValueKind = 'enum' | 'string' | 'number' | 'boolean' | 'amount' | 'bin' | 'time';

export type Actual = string | number | boolean | null;

export interface DimensionSpec {
  name: string;
  kind: ValueKind;
  read: (p: RoutingPayment) => Actual;
}

const SET_OPS: Operator[] = ['equal', 'not_equal', 'in', 'not_in'];
const ORDER_OPS: Operator[] = ['less_than', 'less_than_equal', 'greater_than', 'greater_than_equal', 'between'];

export const OPERATORS_BY_KIND: Record<ValueKind, ReadonlySet<Operator>> = {
  enum: new Set(SET_OPS),
  string: new Set([...SET_OPS, 'starts_with']),
  number: new Set([...SET_OPS, ...ORDER_OPS]),
  boolean: new Set(['equal', 'not_equal']),
  amount: new Set(['equal', 'not_equal', ...ORDER_OPS]),
  bin: new Set([...SET_OPS, 'starts_with', 'between']),
  time: new Set(ORDER_OPS),
};

const MINUTES_PER_DAY = 24 * 60;

function enumDim(name: string, read: (p: RoutingPayment) => string | null | undefined): DimensionSpec {
  return { name, kind: 'enum', read: (p) => read(p) ?? null };
}
function stringDim(name: string, read: (p: RoutingPayment) => string | null | undefined): DimensionSpec {
  return { name, kind: 'string', read: (p) => read(p) ?? null };
}

const FIXED: DimensionSpec[] = [
  enumDim('payment_method_type', (p) => p.paymentMethodType),
  enumDim('payment_method', (p) => p.paymentMethod),
  enumDim('card_brand', (p) => p.card?.brand),
  enumDim('card_type', (p) => p.card?.type),
  enumDim('card_sub_type', (p) => p.card?.subType),
  { name: 'card_bin', kind: 'bin', read: (p) => (p.card ? p.card.bin : null) },
  enumDim('card_issuer', (p) => p.card?.issuer),
  enumDim('card_issuer_country', (p) => p.card?.issuerCountry),
  { name: 'amount', kind: 'amount', read: (p) => p.amount },
  enumDim('currency', (p) => p.currency),
  enumDim('billing_country', (p) => p.billingCountry),
  enumDim('shipping_country', (p) => p.shippingCountry),
  enumDim('auth_type', (p) => p.authType),
  stringDim('customer_id', (p) => p.customerId),
  stringDim('product_id', (p) => p.productId),
  enumDim('upi_app', (p) => p.upi?.app),
  enumDim('upi_txn_type', (p) => p.upi?.txnType),
  enumDim('wallet', (p) => p.wallet),
  enumDim('bank', (p) => p.bank),
  { name: 'emi', kind: 'boolean', read: (p) => p.emi?.isEmi ?? false },
  enumDim('emi_bank', (p) => p.emi?.bank),
  { name: 'emi_tenure', kind: 'number', read: (p) => p.emi?.tenure ?? null },
  {
    name: 'time_of_day',
    kind: 'time',
    read: (p) => Math.floor((((p.nowMillis % 86_400_000) + 86_400_000) % 86_400_000) / 60_000),
  },
  enumDim('platform', (p) => p.platform),
  { name: 'is_domestic', kind: 'boolean', read: (p) => p.isDomestic ?? null },
  { name: 'add_to_locker', kind: 'boolean', read: (p) => p.addToLocker },
];
for (const key of UDF_KEYS) FIXED.push(stringDim(key, (p) => p.udf[key]));

const BY_NAME = new Map(FIXED.map((d) => [d.name, d]));
export const DIMENSION_NAMES: readonly string[] = [...BY_NAME.keys(), 'metadata.<key>'];

const METADATA_PREFIX = 'metadata.';
const metadataCache = new Map<string, DimensionSpec>();

/** The spec for a dimension name, or undefined when the name is not a dimension. */
export function lookupDimension(name: string): DimensionSpec | undefined {
  const fixed = BY_NAME.get(name);
  if (fixed) return fixed;
  if (name.startsWith(METADATA_PREFIX) && name.length > METADATA_PREFIX.length) {
    let spec = metadataCache.get(name);
    if (!spec) {
      const key = name.slice(METADATA_PREFIX.length);
      spec = {
        name,
        kind: 'string',
        read: (p) => (Object.hasOwn(p.metadata, key) ? p.metadata[key] : null),
      };
      if (metadataCache.size < 10_000) metadataCache.set(name, spec);
    }
    return spec;
  }
  return undefined;
}

/** "HH:MM" or minutes since midnight → minutes, or null when malformed. */
export function parseTimeOfDay(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < MINUTES_PER_DAY ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function isDigits(v: unknown, lengths: readonly number[] = [6, 8]): v is string {
  return typeof v === 'string' && lengths.includes(v.length) && /^\d+$/.test(v);
}

/** The BIN of the given length (6 = bin, 8 = extended bin), or null. */
export function binOf(p: RoutingPayment, length: number): string | null {
  if (!p.card) return null;
  return length === 8 ? p.card.extendedBin : p.card.bin;
}

/** The longest BIN known for the card, for prefix tests. */
export function fullBin(p: RoutingPayment): string | null {
  if (!p.card) return null;
  return p.card.extendedBin ?? p.card.bin;
}
