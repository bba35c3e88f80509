// The value space of a rule-based logic, cut into finitely many classes per dimension so that every
// leaf condition of the logic (and every gateway account's capability list) gives the same answer
// for all values of a class. A payment is then a choice of one class per dimension, and "which
// payments match" becomes set algebra over class indices (region.ts), exactly.
//
// Classes come from the constants the logic mentions: for an enum, each constant (case-folded), one
// "other" value and "absent"; for free text, each constant, one class per prefix (strings that start
// with it but with no longer prefix of the logic), one "other" and "absent"; for numbers, amounts
// and times, the integer intervals between the constants' cut points; for the BIN, intervals of the
// 8-digit extended BIN and of the 6-digit BIN (a card whose extended BIN is unknown), and "no card".
// Each class carries a representative value; which classes a leaf accepts is decided by running the
// engine's own reference interpreter (interpret-rules.ts) on a payment holding the representative,
// so the analysis cannot drift from what routing does.

import { lookupDimension } from '../dimensions.ts';
import type { AmountValue, Condition, GatewayAccount, LeafCondition, ScalarValue } from '../types.ts';

/** A class's value: what is written into a payment's field (null = absent). */
export type ClassValue = string | number | boolean | null | BinValue;
/** A card's BIN: 6 digits and, when known, the 8-digit extended BIN; null class = no card. */
export interface BinValue {
  bin: string;
  extendedBin: string | null;
}

export interface DimensionClasses {
  name: string;
  values: ClassValue[];
  /** Readable form of each class, for warnings ("VISA", "other", "absent", "1000..4999"). */
  labels: string[];
}

/** Smallest and largest amount (minor units) a payment can carry, for "amounts that cannot occur". */
export const AMOUNT_RANGE = { min: 1, max: Number.MAX_SAFE_INTEGER } as const;
const TENURE_RANGE = { min: 0, max: 1000 } as const;
const MINUTES = { min: 0, max: 24 * 60 - 1 } as const;
const EXT_BIN = { min: 0, max: 99_999_999 } as const;
const SIX_BIN = { min: 0, max: 999_999 } as const;

/** Dimensions that are never absent on a payment. */
const NEVER_ABSENT = new Set(['payment_method_type', 'amount', 'currency', 'emi', 'add_to_locker', 'time_of_day']);
/** The card's fields: absent exactly when there is no card (card_bin's "no card" class). */
export const CARD_DIMENSIONS = new Set(['card_brand', 'card_type', 'card_sub_type', 'card_issuer', 'card_issuer_country']);

interface Constants {
  enums: Set<string>;
  strings: Set<string>;
  prefixes: Set<string>;
  /** Integer cut points: a class starts at each. */
  cuts: Set<number>;
  /** BIN cut points in the 8-digit and the 6-digit space. */
  extCuts: Set<number>;
  sixCuts: Set<number>;
}

function emptyConstants(): Constants {
  return { enums: new Set(), strings: new Set(), prefixes: new Set(), cuts: new Set(), extCuts: new Set(), sixCuts: new Set() };
}

function isAmountValue(v: unknown): v is AmountValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v;
}

/** Every leaf of a condition tree. */
export function leavesOf(c: Condition, out: LeafCondition[] = []): LeafCondition[] {
  if ('dimension' in c) out.push(c);
  else if ('all' in c) for (const x of c.all) leavesOf(x, out);
  else for (const x of c.any) leavesOf(x, out);
  return out;
}

function addNumberCuts(set: Set<number>, x: number): void {
  if (!Number.isFinite(x)) return;
  // Integer domains: "< x", "<= x", "= x" and "between" change answer at ceil(x) and floor(x) + 1.
  set.add(Math.ceil(x));
  set.add(Math.floor(x) + 1);
}

function addBinInterval(c: Constants, digits: string, hiDigits: string = digits, prefix = false): void {
  if (!/^\d+$/.test(digits) || !/^\d+$/.test(hiDigits)) return;
  const len = digits.length;
  const lo = Number(digits);
  const hi = Number(hiDigits);
  // In the 8-digit space a constant of L digits covers [x * 10^(8-L), (x+1) * 10^(8-L) - 1].
  if (len <= 8 && (prefix || len === 6 || len === 8)) {
    const scale = 10 ** (8 - len);
    c.extCuts.add(lo * scale);
    c.extCuts.add((hi + 1) * scale);
  }
  if (len <= 6 && (prefix || len === 6)) {
    const scale = 10 ** (6 - len);
    c.sixCuts.add(lo * scale);
    c.sixCuts.add((hi + 1) * scale);
  }
}

function collectLeaf(byDim: Map<string, Constants>, leaf: LeafCondition): void {
  const spec = lookupDimension(leaf.dimension);
  if (!spec) return;
  const get = (name: string): Constants => {
    let c = byDim.get(name);
    if (!c) byDim.set(name, (c = emptyConstants()));
    return c;
  };
  const c = get(spec.name);
  const values: ScalarValue[] = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  switch (spec.kind) {
    case 'enum':
      for (const v of values) c.enums.add(String(v).toUpperCase());
      break;
    case 'string':
      for (const v of values) (leaf.operator === 'starts_with' ? c.prefixes : c.strings).add(String(v));
      break;
    case 'number':
      for (const v of values) if (typeof v === 'number') addNumberCuts(c.cuts, v);
      break;
    case 'time':
      for (const v of values) {
        const t = typeof v === 'number' ? v : /^(\d\d):(\d\d)$/.exec(String(v));
        const minutes = typeof t === 'number' ? t : t ? Number(t[1]) * 60 + Number(t[2]) : NaN;
        addNumberCuts(c.cuts, minutes);
      }
      break;
    case 'amount':
      for (const v of values) {
        if (typeof v === 'number') addNumberCuts(c.cuts, v);
        else if (isAmountValue(v)) {
          addNumberCuts(c.cuts, v.amount);
          get('currency').enums.add(String(v.currency).toUpperCase());
        }
      }
      break;
    case 'bin':
      if (leaf.operator === 'between') addBinInterval(c, String(values[0]), String(values[1]));
      else for (const v of values) addBinInterval(c, String(v), String(v), leaf.operator === 'starts_with');
      get('card_bin');
      break;
    case 'boolean':
      break;
  }
}

function intervalClasses(name: string, cuts: Set<number>, range: { min: number; max: number }, show: (n: number) => string = String): DimensionClasses {
  const points = [...cuts].filter((x) => x > range.min && x <= range.max).sort((a, b) => a - b);
  const starts = [range.min, ...points];
  const values: ClassValue[] = [];
  const labels: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const lo = starts[i];
    const hi = i + 1 < starts.length ? starts[i + 1] - 1 : range.max;
    values.push(lo);
    labels.push(lo === hi ? show(lo) : `${show(lo)}..${show(hi)}`);
  }
  return { name, values, labels };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function binClasses(c: Constants): DimensionClasses {
  const values: ClassValue[] = [null];
  const labels: string[] = ['no card'];
  const ext = intervalClasses('card_bin', c.extCuts, EXT_BIN, (n) => pad(n, 8));
  for (let i = 0; i < ext.values.length; i++) {
    const e = pad(ext.values[i] as number, 8);
    values.push({ bin: e.slice(0, 6), extendedBin: e });
    labels.push(`extended BIN ${ext.labels[i]}`);
  }
  const six = intervalClasses('card_bin', c.sixCuts, SIX_BIN, (n) => pad(n, 6));
  for (let i = 0; i < six.values.length; i++) {
    values.push({ bin: pad(six.values[i] as number, 6), extendedBin: null });
    labels.push(`BIN ${six.labels[i]} (no extended BIN)`);
  }
  return { name: 'card_bin', values, labels };
}

function enumClasses(name: string, c: Constants, nullable: boolean, closed?: readonly string[]): DimensionClasses {
  if (closed) {
    // A closed vocabulary: its values are the classes, and a constant outside it names no payment.
    const values: ClassValue[] = closed.map((v) => v.toUpperCase());
    const labels = values.map(String);
    if (nullable) {
      values.push(null);
      labels.push('absent');
    }
    return { name, values, labels };
  }
  const values: ClassValue[] = [...c.enums];
  const labels = [...c.enums];
  let other = 'OTHER';
  for (let i = 0; c.enums.has(other); i++) other = `OTHER_${i}`;
  values.push(other);
  labels.push('any other value');
  if (nullable) {
    values.push(null);
    labels.push('absent');
  }
  return { name, values, labels };
}

/** A string that starts with `base`, with no longer prefix of the logic and equal to no constant. */
function freshString(base: string, c: Constants): string | null {
  for (const suffix of ['\u0000', '\u0001~', '~~other~~', '\u{10FFFF}']) {
    const s = base + suffix;
    if (c.strings.has(s)) continue;
    if ([...c.prefixes].some((p) => p.length > base.length && s.startsWith(p))) continue;
    return s;
  }
  return null;
}

function stringClasses(name: string, c: Constants, nullable: boolean): DimensionClasses {
  const values: ClassValue[] = [...c.strings];
  const labels = [...c.strings].map((s) => JSON.stringify(s));
  for (const p of c.prefixes) {
    const s = freshString(p, c);
    if (s !== null) {
      values.push(s);
      labels.push(`starting with ${JSON.stringify(p)}`);
    }
  }
  if (!c.prefixes.has('')) {
    const s = freshString('', c);
    if (s !== null && ![...c.prefixes].some((p) => s.startsWith(p))) {
      values.push(s);
      labels.push('any other value');
    }
  }
  if (nullable) {
    values.push(null);
    labels.push('absent');
  }
  return { name, values, labels };
}

export interface ClassSpace {
  dimensions: DimensionClasses[];
  index: Map<string, number>;
}

/**
 * The classes of every dimension the rules (and, for gateway checks, the accounts' capability
 * lists) read. `extra` adds dimensions that must be present even when no rule reads them;
 * `closed` gives enum dimensions whose values can only be those listed (payment_method_type: what
 * the payment API accepts).
 */
export function buildClassSpace(
  conditions: readonly Condition[],
  accounts: readonly GatewayAccount[],
  extra: readonly string[] = [],
  closed: Readonly<Record<string, readonly string[]>> = {},
): ClassSpace {
  const byDim = new Map<string, Constants>();
  for (const c of conditions) for (const leaf of leavesOf(c)) collectLeaf(byDim, leaf);
  for (const name of extra) if (!byDim.has(name)) byDim.set(name, emptyConstants());
  const add = (name: string, values: readonly string[]): void => {
    const c = byDim.get(name);
    if (c) for (const v of values) c.enums.add(v.toUpperCase());
  };
  for (const a of accounts) {
    add('payment_method_type', a.paymentMethodTypes);
    add('payment_method', a.paymentMethods);
    add('card_brand', a.cardBrands);
    add('currency', a.currencies);
  }
  // A card field read anywhere brings the card's presence (card_bin) along, and the other way round
  // payment_method_type gets CARD, so "a card" and "no card" are both expressible.
  if ([...byDim.keys()].some((d) => CARD_DIMENSIONS.has(d)) && !byDim.has('card_bin')) byDim.set('card_bin', emptyConstants());
  if (byDim.has('card_bin') && byDim.has('payment_method_type')) byDim.get('payment_method_type')!.enums.add('CARD');

  const dimensions: DimensionClasses[] = [];
  for (const [name, c] of [...byDim].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const spec = lookupDimension(name);
    if (!spec) continue;
    const nullable = !NEVER_ABSENT.has(name);
    switch (spec.kind) {
      case 'enum':
        dimensions.push(enumClasses(name, c, nullable, Object.hasOwn(closed, name) ? closed[name] : undefined));
        break;
      case 'string':
        dimensions.push(stringClasses(name, c, nullable));
        break;
      case 'bin':
        dimensions.push(binClasses(c));
        break;
      case 'boolean':
        dimensions.push({ name, values: nullable ? [true, false, null] : [true, false], labels: nullable ? ['true', 'false', 'absent'] : ['true', 'false'] });
        break;
      case 'amount':
        dimensions.push(intervalClasses(name, c.cuts, AMOUNT_RANGE));
        break;
      case 'time':
        dimensions.push(intervalClasses(name, c.cuts, MINUTES, (m) => `${pad(Math.floor(m / 60), 2)}:${pad(m % 60, 2)}`));
        break;
      case 'number': {
        const classes = intervalClasses(name, c.cuts, TENURE_RANGE);
        classes.values.push(null);
        classes.labels.push('absent');
        dimensions.push(classes);
        break;
      }
    }
  }
  return { dimensions, index: new Map(dimensions.map((d, i) => [d.name, i])) };
}
