// Conditions compiled into predicates: each leaf a closure over a pre-resolved accessor and
// pre-parsed values (Sets for membership, numbers for ranges); groups ordered cheapest first.
// No eval / new Function: merchant-authored data never becomes code.

import { binOf, fullBin, lookupDimension, parseTimeOfDay } from '../../dimensions.ts';
import type { AmountValue, Condition, LeafCondition, RoutingPayment, ScalarValue } from '../../types.ts';
import { isLeaf } from './interpret-rules.ts';

/**
 * Per-decision scratch: upper-cased enum values, computed at most once per dimension per
 * decision however many rules test them.
 */
export interface MatchContext {
  p: RoutingPayment;
  u: (string | null | undefined)[];
}
export type Predicate = (ctx: MatchContext) => boolean;

const TRUE: Predicate = () => true;
const FALSE: Predicate = () => false;

export function isAmountValue(v: unknown): v is AmountValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v;
}

/** Compilation state shared by the leaves of one rule set: slot numbers of enum dimensions. */
export class Slots {
  private readonly byName = new Map<string, number>();
  of(name: string): number {
    let s = this.byName.get(name);
    if (s === undefined) {
      s = this.byName.size;
      this.byName.set(name, s);
    }
    return s;
  }
  get size(): number {
    return this.byName.size;
  }
}

/** Reader of the upper-cased value of an enum dimension, cached in the context. */
export function upperReader(slot: number, read: (p: RoutingPayment) => unknown): (ctx: MatchContext) => string | null {
  return (ctx) => {
    let u = ctx.u[slot];
    if (u === undefined) {
      const x = read(ctx.p);
      u = x === null ? null : String(x).toUpperCase();
      ctx.u[slot] = u;
    }
    return u;
  };
}

function compileBinLeaf(op: LeafCondition['operator'], list: ScalarValue[]): Predicate {
  const strs = list.map(String);
  if (op === 'equal' || op === 'not_equal' || op === 'in' || op === 'not_in') {
    const six = new Set(strs.filter((s) => s.length === 6));
    const eight = new Set(strs.filter((s) => s.length === 8));
    const hit = (c: NonNullable<RoutingPayment['card']>): boolean => (six.size > 0 && six.has(c.bin)) || (eight.size > 0 && c.extendedBin !== null && eight.has(c.extendedBin));
    const negative = op === 'not_equal' || op === 'not_in';
    return negative ? ({ p }) => p.card === null || !hit(p.card) : ({ p }) => p.card !== null && hit(p.card);
  }
  if (op === 'starts_with') {
    return ({ p }) => {
      const b = fullBin(p);
      if (b === null) return false;
      for (let i = 0; i < strs.length; i++) if (b.startsWith(strs[i])) return true;
      return false;
    };
  }
  if (op === 'between') {
    const len = strs[0].length;
    const lo = Number(strs[0]);
    const hi = Number(strs[1]);
    return ({ p }) => {
      const b = binOf(p, len);
      if (b === null) return false;
      const n = Number(b);
      return n >= lo && n <= hi;
    };
  }
  return FALSE;
}

function compileOrdered(op: LeafCondition['operator'], read: (p: RoutingPayment) => number | null, bounds: number[]): Predicate {
  const [a, b] = bounds;
  switch (op) {
    case 'less_than':
      return ({ p }) => {
        const x = read(p);
        return x !== null && x < a;
      };
    case 'less_than_equal':
      return ({ p }) => {
        const x = read(p);
        return x !== null && x <= a;
      };
    case 'greater_than':
      return ({ p }) => {
        const x = read(p);
        return x !== null && x > a;
      };
    case 'greater_than_equal':
      return ({ p }) => {
        const x = read(p);
        return x !== null && x >= a;
      };
    case 'between':
      return ({ p }) => {
        const x = read(p);
        return x !== null && x >= a && x <= b;
      };
    case 'equal':
      return ({ p }) => read(p) === a;
    case 'not_equal':
      return ({ p }) => {
        const x = read(p);
        return x === null || x !== a;
      };
    default:
      return FALSE;
  }
}

const readAmount = (p: RoutingPayment): number => p.amount;

function compileLeaf(leaf: LeafCondition, slots: Slots): Predicate {
  const dim = lookupDimension(leaf.dimension);
  if (!dim) return FALSE;
  const op = leaf.operator;
  const list: ScalarValue[] = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  const read = dim.read;

  switch (dim.kind) {
    case 'bin':
      return compileBinLeaf(op, list);
    case 'amount': {
      // Pinned to a currency: the leaf only holds for payments in that currency.
      const pinned = list.find(isAmountValue);
      const bounds = list.map((x) => (isAmountValue(x) ? x.amount : (x as number)));
      const cmp = compileOrdered(op, readAmount, bounds);
      if (!pinned) return cmp;
      const currency = pinned.currency.toUpperCase();
      if (list.some((x) => !isAmountValue(x) || x.currency.toUpperCase() !== currency)) return FALSE;
      const cur = upperReader(slots.of('currency'), (p) => p.currency);
      return (ctx) => cur(ctx) === currency && cmp(ctx);
    }
    case 'time': {
      const t = list.map((x) => parseTimeOfDay(x) ?? NaN);
      if (op === 'between' && t[0] > t[1]) {
        const [from, to] = t;
        return ({ p }) => {
          const x = read(p) as number;
          return x >= from || x <= to;
        };
      }
      return compileOrdered(op, read as (p: RoutingPayment) => number | null, t);
    }
    case 'number': {
      if (op === 'in' || op === 'not_in') {
        const set = new Set<unknown>(list);
        return op === 'in'
          ? ({ p }) => {
              const x = read(p);
              return x !== null && set.has(x);
            }
          : ({ p }) => {
              const x = read(p);
              return x === null || !set.has(x);
            };
      }
      return compileOrdered(op, read as (p: RoutingPayment) => number | null, list as number[]);
    }
    case 'boolean': {
      const want = leaf.value;
      return op === 'equal' ? ({ p }) => read(p) === want : ({ p }) => read(p) !== want;
    }
    case 'enum': {
      const up = upperReader(slots.of(dim.name), read);
      if (op === 'starts_with') return FALSE; // not allowed for enums (validation rejects it)
      if (list.length === 1 && (op === 'equal' || op === 'not_equal')) {
        const want = String(list[0]).toUpperCase();
        return op === 'equal' ? (ctx) => up(ctx) === want : (ctx) => up(ctx) !== want;
      }
      const set = new Set(list.map((x) => String(x).toUpperCase()));
      if (op === 'equal' || op === 'in')
        return (ctx) => {
          const u = up(ctx);
          return u !== null && set.has(u);
        };
      if (op === 'not_equal' || op === 'not_in')
        return (ctx) => {
          const u = up(ctx);
          return u === null || !set.has(u);
        };
      return FALSE;
    }
    case 'string': {
      if (op === 'starts_with') {
        const prefixes = list.map(String);
        return ({ p }) => {
          const x = read(p);
          if (x === null) return false;
          const s = x as string;
          for (let i = 0; i < prefixes.length; i++) if (s.startsWith(prefixes[i])) return true;
          return false;
        };
      }
      // A non-string expected value can never equal a string actual.
      const strs = list.filter((x): x is string => typeof x === 'string');
      if (strs.length === 1 && list.length === 1 && (op === 'equal' || op === 'not_equal')) {
        const want = strs[0];
        return op === 'equal' ? ({ p }) => read(p) === want : ({ p }) => read(p) !== want;
      }
      const set = new Set<unknown>(strs);
      if (op === 'equal' || op === 'in')
        return ({ p }) => {
          const x = read(p);
          return x !== null && set.has(x);
        };
      if (op === 'not_equal' || op === 'not_in')
        return ({ p }) => {
          const x = read(p);
          return x === null || !set.has(x);
        };
      return FALSE;
    }
  }
}

/**
 * Rough evaluation cost of a condition, used to test cheap leaves first inside all/any (the
 * predicates are pure, so the order does not change the result, only the time to reach it).
 */
function cost(c: Condition): number {
  if (!isLeaf(c)) return 10;
  const kind = lookupDimension(c.dimension)?.kind;
  if (kind === 'amount' || kind === 'number' || kind === 'boolean' || kind === 'time') return 1;
  if (kind === 'enum' || kind === 'string') return c.operator === 'equal' || c.operator === 'not_equal' ? 2 : 3;
  return 4;
}

export function compileNode(c: Condition, slots: Slots): Predicate {
  if (isLeaf(c)) return compileLeaf(c, slots);
  const all = 'all' in c;
  const children = (all ? (c as { all: Condition[] }).all : (c as { any: Condition[] }).any).map((x, i) => ({ x, i, k: cost(x) })).sort((a, b) => a.k - b.k || a.i - b.i);
  const parts = children.map(({ x }) => compileNode(x, slots));
  if (parts.length === 0) return all ? TRUE : FALSE;
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [a, b] = parts;
    return all ? (ctx) => a(ctx) && b(ctx) : (ctx) => a(ctx) || b(ctx);
  }
  if (parts.length === 3) {
    const [a, b, d] = parts;
    return all ? (ctx) => a(ctx) && b(ctx) && d(ctx) : (ctx) => a(ctx) || b(ctx) || d(ctx);
  }
  const n = parts.length;
  return all
    ? (ctx) => {
        for (let i = 0; i < n; i++) if (!parts[i](ctx)) return false;
        return true;
      }
    : (ctx) => {
        for (let i = 0; i < n; i++) if (parts[i](ctx)) return true;
        return false;
      };
}

/** A single condition compiled on its own (tests, previews). */
export function compileCondition(c: Condition): (p: RoutingPayment) => boolean {
  const slots = new Slots();
  const pred = compileNode(c, slots);
  return (p) => pred({ p, u: [] });
}
