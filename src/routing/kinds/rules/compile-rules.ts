// The rule compiler: turns a rule list into a tree of closures once, so a decision is a walk
// over pre-resolved accessors with pre-parsed values (Sets for membership, numbers for ranges).
// No eval / new Function: merchant-authored data never becomes code.

import { binOf, fullBin, lookupDimension, parseTimeOfDay } from '../../dimensions.ts';
import type {
  AmountValue,
  CompiledLogic,
  Condition,
  GatewayRef,
  LeafCondition,
  RoutingPayment,
  Rule,
  RulesLogic,
  ScalarValue,
} from '../../types.ts';
import { pinnedValues, validateCondition } from '../../validate.ts';
import { interpretRules as interpretRulesIndex, isLeaf } from './interpret-rules.ts';
import { prepareOutput } from './rule-output.ts';

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

function isAmountValue(v: unknown): v is AmountValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v;
}

/** Compilation state shared by the leaves of one rule set: slot numbers of enum dimensions. */
class Slots {
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
function upperReader(slot: number, read: (p: RoutingPayment) => unknown): (ctx: MatchContext) => string | null {
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
    const hit = (c: NonNullable<RoutingPayment['card']>): boolean =>
      (six.size > 0 && six.has(c.bin)) || (eight.size > 0 && c.extendedBin !== null && eight.has(c.extendedBin));
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
    case 'less_than': return ({ p }) => { const x = read(p); return x !== null && x < a; };
    case 'less_than_equal': return ({ p }) => { const x = read(p); return x !== null && x <= a; };
    case 'greater_than': return ({ p }) => { const x = read(p); return x !== null && x > a; };
    case 'greater_than_equal': return ({ p }) => { const x = read(p); return x !== null && x >= a; };
    case 'between': return ({ p }) => { const x = read(p); return x !== null && x >= a && x <= b; };
    case 'equal': return ({ p }) => read(p) === a;
    case 'not_equal': return ({ p }) => { const x = read(p); return x === null || x !== a; };
    default: return FALSE;
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
        return ({ p }) => { const x = read(p) as number; return x >= from || x <= to; };
      }
      return compileOrdered(op, read as (p: RoutingPayment) => number | null, t);
    }
    case 'number': {
      if (op === 'in' || op === 'not_in') {
        const set = new Set<unknown>(list);
        return op === 'in' ? ({ p }) => { const x = read(p); return x !== null && set.has(x); } : ({ p }) => { const x = read(p); return x === null || !set.has(x); };
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
      if (op === 'equal' || op === 'in') return (ctx) => { const u = up(ctx); return u !== null && set.has(u); };
      if (op === 'not_equal' || op === 'not_in') return (ctx) => { const u = up(ctx); return u === null || !set.has(u); };
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
      if (op === 'equal' || op === 'in') return ({ p }) => { const x = read(p); return x !== null && set.has(x); };
      if (op === 'not_equal' || op === 'not_in') return ({ p }) => { const x = read(p); return x === null || !set.has(x); };
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

function compileNode(c: Condition, slots: Slots): Predicate {
  if (isLeaf(c)) return compileLeaf(c, slots);
  const all = 'all' in c;
  const children = (all ? (c as { all: Condition[] }).all : (c as { any: Condition[] }).any)
    .map((x, i) => ({ x, i, k: cost(x) }))
    .sort((a, b) => a.k - b.k || a.i - b.i);
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
    ? (ctx) => { for (let i = 0; i < n; i++) if (!parts[i](ctx)) return false; return true; }
    : (ctx) => { for (let i = 0; i < n; i++) if (parts[i](ctx)) return true; return false; };
}

/** A single condition compiled on its own (tests, previews). */
export function compileCondition(c: Condition): (p: RoutingPayment) => boolean {
  const slots = new Slots();
  const pred = compileNode(c, slots);
  return (p) => pred({ p, u: [] });
}

// ---------------------------------------------------------------- rule index

/**
 * A first-level index on the most selective enum/string dimension that rules pin with
 * equal / in: each value maps to the (ordered) rules that can possibly match it, plus the rules
 * that do not pin that dimension. It only narrows the candidates; every candidate is still
 * fully evaluated, in rule order, so first-match semantics are unchanged.
 */
interface RuleIndex {
  dimension: string;
  key: (ctx: MatchContext) => string | null;
  byValue: Map<string, Int32Array>;
  wildcard: Int32Array;
}

function leafDimensions(c: Condition, out: Set<string>): void {
  if (isLeaf(c)) out.add(c.dimension);
  else for (const child of 'all' in c ? c.all : c.any) leafDimensions(child, out);
}

function buildIndex(rules: readonly Rule[], slots: Slots): RuleIndex | null {
  const n = rules.length;
  const dims = new Set<string>();
  for (const r of rules) leafDimensions(r.condition, dims);
  let best: { dim: string; pins: (Set<string> | null)[]; cost: number } | null = null;
  for (const d of dims) {
    const spec = lookupDimension(d);
    if (!spec || (spec.kind !== 'enum' && spec.kind !== 'string')) continue;
    const pins = rules.map((r) => pinnedValues(r.condition, d));
    let wild = 0;
    const sizes = new Map<string, number>();
    for (const s of pins) {
      if (s === null) wild++;
      else for (const v of s) sizes.set(v, (sizes.get(v) ?? 0) + 1);
    }
    let sum = 0;
    let sq = 0;
    for (const k of sizes.values()) {
      sum += k;
      sq += k * k;
    }
    // Expected candidates for a payment whose value is drawn like the rules' values.
    const cost = wild + (sum === 0 ? n : sq / sum);
    if (!best || cost < best.cost) best = { dim: d, pins, cost };
  }
  if (!best || best.cost > n / 2) return null;
  const { dim, pins } = best;
  const wildcard: number[] = [];
  const buckets = new Map<string, number[]>();
  pins.forEach((s, i) => {
    if (s === null) wildcard.push(i);
    else for (const v of s) (buckets.get(v) ?? buckets.set(v, []).get(v)!).push(i);
  });
  let cells = 0;
  const byValue = new Map<string, Int32Array>();
  for (const [v, idx] of buckets) {
    const merged = [...new Set([...idx, ...wildcard])].sort((a, b) => a - b);
    cells += merged.length;
    if (cells > 4_000_000) return null; // pathological: index larger than it is worth
    byValue.set(v, Int32Array.from(merged));
  }
  const spec = lookupDimension(dim)!;
  // pinnedValues folds case; the key does too (a superset filter for case-sensitive strings).
  const key =
    spec.kind === 'enum'
      ? upperReader(slots.of(dim), spec.read)
      : (ctx: MatchContext) => {
          const x = spec.read(ctx.p);
          return x === null ? null : String(x).toUpperCase();
        };
  return { dimension: dim, key, byValue, wildcard: Int32Array.from(wildcard) };
}

export interface CompiledRules {
  /** Index of the first matching rule, or -1. */
  match(p: RoutingPayment): number;
  resolve(index: number, p: RoutingPayment): GatewayRef[];
  /** The dimension the rules are indexed on, if any (diagnostics). */
  readonly indexedOn: string | null;
}

export interface CompileRulesOptions {
  /** 'auto' (default) indexes rule sets of 8 or more when it pays; true forces an index when possible. */
  index?: 'auto' | boolean;
}

export function compileRules(rules: readonly Rule[], opts: CompileRulesOptions = {}): CompiledRules {
  const slots = new Slots();
  const preds = rules.map((r) => compileNode(r.condition, slots));
  const outputs = rules.map((r) => prepareOutput(r.output));
  const n = preds.length;
  const mode = opts.index ?? 'auto';
  const index = mode === false || (mode === 'auto' && n < 8) ? null : buildIndex(rules, slots);
  const nSlots = slots.size;
  const newCtx = (p: RoutingPayment): MatchContext => ({ p, u: new Array(nSlots) });
  const resolve = (i: number, p: RoutingPayment) => outputs[i](p);
  if (index === null) {
    return {
      indexedOn: null,
      match(p) {
        const ctx = newCtx(p);
        for (let i = 0; i < n; i++) if (preds[i](ctx)) return i;
        return -1;
      },
      resolve,
    };
  }
  const { key, byValue, wildcard } = index;
  return {
    indexedOn: index.dimension,
    match(p) {
      const ctx = newCtx(p);
      const k = key(ctx);
      const list = k === null ? wildcard : byValue.get(k) ?? wildcard;
      for (let j = 0; j < list.length; j++) {
        const i = list[j];
        if (preds[i](ctx)) return i;
      }
      return -1;
    },
    resolve,
  };
}

/**
 * A rule-based logic: first match wins; no match → the default gateways. Rules that fail
 * validation make the whole logic a COMPILATION_ERROR at evaluation, so the fallback runs.
 */
export function compileRulesLogic(logic: RulesLogic, matcher: 'compiled' | 'interpreted' = 'compiled'): CompiledLogic {
  const compileErrors: string[] = [];
  logic.rules.forEach((r, i) => {
    for (const e of validateCondition(r.condition, `rules[${i}].condition`)) compileErrors.push(`${e.field}: ${e.message}`);
  });
  const compiled = compileRules(logic.rules);
  const defaults = logic.defaultGateways;
  return {
    kind: 'RULES',
    name: logic.name,
    enforce: logic.enforce,
    defaultGateways: defaults,
    compileErrors,
    source: logic,
    evaluate(p) {
      if (compileErrors.length > 0) return { ok: false, reason: 'COMPILATION_ERROR', message: compileErrors.join('; ') };
      const i = matcher === 'compiled' ? compiled.match(p) : interpretRulesIndex(logic.rules, p);
      if (i < 0) return { ok: true, gateways: defaults.slice(), enforced: logic.enforce, outcome: 'NO_RULE_MATCHED' };
      const gateways = compiled.resolve(i, p);
      return { ok: true, gateways, enforced: logic.enforce, outcome: 'RULE_MATCHED', matchedRule: { index: i, name: logic.rules[i].name } };
    },
    dispose() {},
  };
}

