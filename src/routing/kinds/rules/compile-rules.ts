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
import { pinnedValues, structuralErrors } from '../../validate.ts';
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
 * A first-level index that narrows the rules to test: either on the most selective code/text
 * dimension the rules pin with equal / in (value → the rules that can match it), or on amount
 * ranges (amount → the rules whose range contains it). Rules that do not pin the indexed
 * dimension are candidates for every payment. Candidate lists are in rule order and every
 * candidate is still fully evaluated, so first-match semantics are unchanged.
 */
interface RuleIndex {
  dimension: string;
  /** Expected number of candidates per decision (lower is better). */
  cost: number;
  candidates: (ctx: MatchContext) => Int32Array;
}

const MAX_INDEX_CELLS = 4_000_000;

function leafDimensions(c: Condition, out: Set<string>): void {
  if (isLeaf(c)) out.add(c.dimension);
  else for (const child of 'all' in c ? c.all : c.any) leafDimensions(child, out);
}

function mergeOrdered(a: readonly number[], b: readonly number[]): Int32Array {
  return Int32Array.from([...new Set([...a, ...b])].sort((x, y) => x - y));
}

function equalityIndex(rules: readonly Rule[], dim: string, slots: Slots): RuleIndex | null {
  const spec = lookupDimension(dim);
  if (!spec || (spec.kind !== 'enum' && spec.kind !== 'string')) return null;
  const wildcard: number[] = [];
  const buckets = new Map<string, number[]>();
  rules.forEach((r, i) => {
    const s = pinnedValues(r.condition, dim);
    if (s === null) wildcard.push(i);
    else for (const v of s) (buckets.get(v) ?? buckets.set(v, []).get(v)!).push(i);
  });
  let sum = 0;
  let sq = 0;
  for (const b of buckets.values()) {
    sum += b.length;
    sq += b.length * b.length;
  }
  if (sum === 0) return null;
  const byValue = new Map<string, Int32Array>();
  let cells = 0;
  for (const [v, idx] of buckets) {
    const merged = mergeOrdered(idx, wildcard);
    cells += merged.length;
    if (cells > MAX_INDEX_CELLS) return null;
    byValue.set(v, merged);
  }
  const wild = Int32Array.from(wildcard);
  // pinnedValues folds case; the key does too (a superset filter for case-sensitive text).
  const key =
    spec.kind === 'enum'
      ? upperReader(slots.of(dim), spec.read)
      : (ctx: MatchContext) => {
          const x = spec.read(ctx.p);
          return x === null ? null : String(x).toUpperCase();
        };
  return {
    dimension: dim,
    cost: wildcard.length + sq / sum,
    candidates: (ctx) => {
      const k = key(ctx);
      return k === null ? wild : byValue.get(k) ?? wild;
    },
  };
}

type Interval = [number, number];

/** The amount range every payment matching `c` lies in (a necessary condition), or null. */
export function amountInterval(c: Condition): Interval | null {
  if (isLeaf(c)) {
    if (c.dimension !== 'amount') return null;
    const list = Array.isArray(c.value) ? c.value : [c.value];
    const nums = list.map((x) => (typeof x === 'number' ? x : isAmountValue(x) ? x.amount : NaN));
    if (nums.some((x) => !Number.isFinite(x))) return null;
    switch (c.operator) {
      case 'equal': return [nums[0], nums[0]];
      case 'less_than':
      case 'less_than_equal': return [-Infinity, nums[0]];
      case 'greater_than':
      case 'greater_than_equal': return [nums[0], Infinity];
      case 'between': return [nums[0], nums[1]];
      default: return null;
    }
  }
  if ('all' in c) {
    let acc: Interval | null = null;
    for (const child of c.all) {
      const r = amountInterval(child);
      if (r === null) continue;
      acc = acc === null ? r : [Math.max(acc[0], r[0]), Math.min(acc[1], r[1])];
    }
    return acc;
  }
  if (c.any.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const child of c.any) {
    const r = amountInterval(child);
    if (r === null) return null;
    if (r[0] > r[1]) continue; // a branch that can never hold
    lo = Math.min(lo, r[0]);
    hi = Math.max(hi, r[1]);
  }
  return [lo, hi];
}

function amountIndex(rules: readonly Rule[]): RuleIndex | null {
  const ranges = rules.map((r) => amountInterval(r.condition));
  const wildcard: number[] = [];
  const bounds = new Set<number>();
  ranges.forEach((r, i) => {
    if (r === null) wildcard.push(i);
    else {
      if (Number.isFinite(r[0])) bounds.add(r[0]);
      if (Number.isFinite(r[1])) bounds.add(r[1]);
    }
  });
  if (wildcard.length === rules.length) return null;
  const B = Float64Array.from([...bounds].sort((a, b) => a - b));
  const m = B.length;
  // Segment 2j: the open gap below B[j] (above B[j-1]); segment 2j+1: the point B[j].
  const segments: Int32Array[] = [];
  let cells = 0;
  let total = 0;
  for (let k = 0; k <= 2 * m; k++) {
    const j = k >> 1;
    const isPoint = (k & 1) === 1;
    const hits: number[] = [];
    ranges.forEach((r, i) => {
      if (r === null || r[0] > r[1]) return;
      const covers = isPoint
        ? r[0] <= B[j] && B[j] <= r[1]
        : (j === 0 ? r[0] === -Infinity : r[0] <= B[j - 1]) && (j === m ? r[1] === Infinity : r[1] >= B[j]);
      if (covers) hits.push(i);
    });
    const merged = mergeOrdered(hits, wildcard);
    cells += merged.length;
    total += merged.length;
    if (cells > MAX_INDEX_CELLS) return null;
    segments.push(merged);
  }
  return {
    dimension: 'amount',
    cost: total / segments.length,
    candidates: ({ p }) => {
      const x = p.amount;
      let lo = 0;
      let hi = m; // first index with B[index] >= x
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (B[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return segments[lo < m && B[lo] === x ? 2 * lo + 1 : 2 * lo];
    },
  };
}

function buildIndex(rules: readonly Rule[], slots: Slots, only?: string): RuleIndex | null {
  const dims = new Set<string>();
  for (const r of rules) leafDimensions(r.condition, dims);
  let best: RuleIndex | null = null;
  for (const d of dims) {
    if (only !== undefined && d !== only) continue;
    // Throwaway slots while comparing: only the chosen index keeps its reader.
    const candidate = d === 'amount' ? amountIndex(rules) : equalityIndex(rules, d, new Slots());
    if (candidate && (!best || candidate.cost < best.cost)) best = candidate;
  }
  if (!best || (only === undefined && best.cost > rules.length / 2)) return null;
  return best.dimension === 'amount' ? best : equalityIndex(rules, best.dimension, slots);
}

export interface CompiledRules {
  /** Index of the first matching rule, or -1. */
  match(p: RoutingPayment): number;
  resolve(index: number, p: RoutingPayment): GatewayRef[];
  /** The dimension the rules are indexed on, if any (diagnostics). */
  readonly indexedOn: string | null;
}

export interface CompileRulesOptions {
  /** 'auto' (default) indexes rule sets of 8 or more when it pays; true tries to index any set; false never. */
  index?: 'auto' | boolean;
  /** Forces the index onto this dimension when it can be built (tests, diagnostics). */
  indexOn?: string;
}

export function compileRules(rules: readonly Rule[], opts: CompileRulesOptions = {}): CompiledRules {
  const slots = new Slots();
  const preds = rules.map((r) => compileNode(r.condition, slots));
  const outputs = rules.map((r) => prepareOutput(r.output));
  const n = preds.length;
  const mode = opts.index ?? 'auto';
  const index = mode === false || (mode === 'auto' && n < 8 && opts.indexOn === undefined) ? null : buildIndex(rules, slots, opts.indexOn);
  const nSlots = slots.size;
  // One context per compiled matcher, reset per call: matching is synchronous, so calls never
  // overlap, and the hot path allocates nothing.
  const shared: MatchContext = { p: undefined as unknown as RoutingPayment, u: new Array(nSlots) };
  const newCtx = (p: RoutingPayment): MatchContext => {
    shared.p = p;
    if (nSlots > 0) shared.u.fill(undefined);
    return shared;
  };
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
  const candidates = index.candidates;
  return {
    indexedOn: index.dimension,
    match(p) {
      const ctx = newCtx(p);
      const list = candidates(ctx);
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
  const compileErrors = structuralErrors(logic);
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

