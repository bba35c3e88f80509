// The rule index of compile-rules.ts: which rules a payment can match, found from one dimension.

import { lookupDimension } from '../../dimensions.ts';
import type { Condition, Rule } from '../../types.ts';
import { pinnedValues } from '../../validate.ts';
import { isLeaf } from './interpret-rules.ts';
import { isAmountValue, Slots, upperReader, type MatchContext } from './compile-condition.ts';

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
      return k === null ? wild : (byValue.get(k) ?? wild);
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
      case 'equal':
        return [nums[0], nums[0]];
      case 'less_than':
      case 'less_than_equal':
        return [-Infinity, nums[0]];
      case 'greater_than':
      case 'greater_than_equal':
        return [nums[0], Infinity];
      case 'between':
        return [nums[0], nums[1]];
      default:
        return null;
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
      const covers = isPoint ? r[0] <= B[j] && B[j] <= r[1] : (j === 0 ? r[0] === -Infinity : r[0] <= B[j - 1]) && (j === m ? r[1] === Infinity : r[1] >= B[j]);
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

export function buildIndex(rules: readonly Rule[], slots: Slots, only?: string): RuleIndex | null {
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
