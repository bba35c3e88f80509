// The reference interpreter: walks the rule tree for every payment with the plainest code we
// could write. It is the oracle the compiled evaluator is property-tested against, and the
// engine behind explain's trace. Speed is not its job.

import { binOf, fullBin, lookupDimension, parseTimeOfDay, type Actual } from '../../dimensions.ts';
import type { AmountValue, Condition, LeafCondition, Rule, RoutingPayment, ScalarValue } from '../../types.ts';

export interface LeafTrace {
  path: string;
  dimension: string;
  operator: string;
  expected: unknown;
  actual: Actual;
  result: boolean;
  note?: string;
}

export interface ConditionTrace {
  path: string;
  result: boolean;
  /** For a leaf: the leaf; for all/any: the children that were evaluated. */
  leaf?: LeafTrace;
  children?: ConditionTrace[];
}

function isAmountValue(v: unknown): v is AmountValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v;
}

function upper(v: unknown): string {
  return String(v).toUpperCase();
}

/** Evaluates one leaf. Missing values: negative operators (not_equal, not_in) hold, all others fail. */
export function evaluateLeaf(leaf: LeafCondition, p: RoutingPayment): { result: boolean; actual: Actual; note?: string } {
  const dim = lookupDimension(leaf.dimension);
  if (!dim) return { result: false, actual: null, note: 'unknown dimension' };
  const op = leaf.operator;
  const v = leaf.value;
  const list: ScalarValue[] = Array.isArray(v) ? v : [v];

  if (dim.kind === 'bin') {
    if (!p.card) return { result: op === 'not_equal' || op === 'not_in', actual: null, note: 'no card' };
    const actual = fullBin(p);
    const equalsOne = (x: ScalarValue): boolean => typeof x === 'string' && binOf(p, x.length) === x;
    if (op === 'equal') return { result: equalsOne(v as ScalarValue), actual };
    if (op === 'not_equal') return { result: !equalsOne(v as ScalarValue), actual };
    if (op === 'in') return { result: list.some(equalsOne), actual };
    if (op === 'not_in') return { result: !list.some(equalsOne), actual };
    if (op === 'starts_with') return { result: list.some((x) => actual?.startsWith(String(x))), actual };
    if (op === 'between') {
      const lo = String(list[0]);
      const hi = String(list[1]);
      const b = binOf(p, lo.length);
      if (b === null) return { result: false, actual, note: `no ${lo.length}-digit BIN` };
      return { result: Number(b) >= Number(lo) && Number(b) <= Number(hi), actual: b };
    }
    return { result: false, actual, note: 'operator not supported' };
  }

  const actual = dim.read(p);

  if (dim.kind === 'amount') {
    const amountOf = (x: ScalarValue): number | null => {
      if (typeof x === 'number') return x;
      if (isAmountValue(x)) return upper(x.currency) === upper(p.currency) ? x.amount : null;
      return null;
    };
    const bounds = list.map(amountOf);
    if (bounds.some((b) => b === null)) return { result: false, actual, note: 'currency differs' };
    const a = actual as number;
    const b0 = bounds[0] as number;
    switch (op) {
      case 'equal':
        return { result: a === b0, actual };
      case 'not_equal':
        return { result: a !== b0, actual };
      case 'less_than':
        return { result: a < b0, actual };
      case 'less_than_equal':
        return { result: a <= b0, actual };
      case 'greater_than':
        return { result: a > b0, actual };
      case 'greater_than_equal':
        return { result: a >= b0, actual };
      case 'between':
        return { result: a >= b0 && a <= (bounds[1] as number), actual };
      default:
        return { result: false, actual, note: 'operator not supported' };
    }
  }

  if (actual === null) return { result: op === 'not_equal' || op === 'not_in', actual, note: 'value absent' };

  if (dim.kind === 'time') {
    const a = actual as number;
    const t = list.map(parseTimeOfDay) as number[];
    switch (op) {
      case 'less_than':
        return { result: a < t[0], actual };
      case 'less_than_equal':
        return { result: a <= t[0], actual };
      case 'greater_than':
        return { result: a > t[0], actual };
      case 'greater_than_equal':
        return { result: a >= t[0], actual };
      case 'between':
        // A window that ends before it starts crosses midnight (22:00..06:00).
        return { result: t[0] <= t[1] ? a >= t[0] && a <= t[1] : a >= t[0] || a <= t[1], actual };
      default:
        return { result: false, actual, note: 'operator not supported' };
    }
  }

  const same = (x: ScalarValue): boolean => {
    if (dim.kind === 'enum') return upper(actual) === upper(x);
    return actual === x;
  };
  switch (op) {
    case 'equal':
      return { result: same(v as ScalarValue), actual };
    case 'not_equal':
      return { result: !same(v as ScalarValue), actual };
    case 'in':
      return { result: list.some(same), actual };
    case 'not_in':
      return { result: !list.some(same), actual };
    case 'starts_with':
      return { result: list.some((x) => String(actual).startsWith(String(x))), actual };
    case 'less_than':
      return { result: (actual as number) < (v as number), actual };
    case 'less_than_equal':
      return { result: (actual as number) <= (v as number), actual };
    case 'greater_than':
      return { result: (actual as number) > (v as number), actual };
    case 'greater_than_equal':
      return { result: (actual as number) >= (v as number), actual };
    case 'between':
      return { result: (actual as number) >= (list[0] as number) && (actual as number) <= (list[1] as number), actual };
  }
  return { result: false, actual, note: 'operator not supported' };
}

export function isLeaf(c: Condition): c is LeafCondition {
  return 'dimension' in c;
}

/** Evaluates a condition tree. An empty `all` is true, an empty `any` is false. */
export function interpretCondition(c: Condition, p: RoutingPayment): boolean {
  if (isLeaf(c)) return evaluateLeaf(c, p).result;
  if ('all' in c) return c.all.every((child) => interpretCondition(child, p));
  return c.any.some((child) => interpretCondition(child, p));
}

/** Like interpretCondition, but records every evaluated node (short-circuit order respected). */
export function traceCondition(c: Condition, p: RoutingPayment, path: string): ConditionTrace {
  if (isLeaf(c)) {
    const r = evaluateLeaf(c, p);
    const leaf: LeafTrace = { path, dimension: c.dimension, operator: c.operator, expected: c.value, actual: r.actual, result: r.result };
    if (r.note) leaf.note = r.note;
    return { path, result: r.result, leaf };
  }
  const children: ConditionTrace[] = [];
  if ('all' in c) {
    for (let i = 0; i < c.all.length; i++) {
      const t = traceCondition(c.all[i], p, `${path}.all[${i}]`);
      children.push(t);
      if (!t.result) return { path, result: false, children };
    }
    return { path, result: true, children };
  }
  for (let i = 0; i < c.any.length; i++) {
    const t = traceCondition(c.any[i], p, `${path}.any[${i}]`);
    children.push(t);
    if (t.result) return { path, result: true, children };
  }
  return { path, result: false, children };
}

/** Index of the first rule whose condition holds, or -1. */
export function interpretRules(rules: readonly Rule[], p: RoutingPayment): number {
  for (let i = 0; i < rules.length; i++) {
    if (interpretCondition(rules[i].condition, p)) return i;
  }
  return -1;
}
