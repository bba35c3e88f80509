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
import { validateCondition } from '../../validate.ts';
import { interpretRules as interpretRulesIndex, isLeaf } from './interpret-rules.ts';
import { prepareOutput } from './rule-output.ts';

export type Predicate = (p: RoutingPayment) => boolean;

const TRUE: Predicate = () => true;
const FALSE: Predicate = () => false;

function isAmountValue(v: unknown): v is AmountValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v;
}

function compileBinLeaf(op: LeafCondition['operator'], list: ScalarValue[]): Predicate {
  const strs = list.map(String);
  if (op === 'equal' || op === 'not_equal' || op === 'in' || op === 'not_in') {
    const six = new Set(strs.filter((s) => s.length === 6));
    const eight = new Set(strs.filter((s) => s.length === 8));
    const hit = (p: RoutingPayment): boolean => {
      const c = p.card!;
      return (six.size > 0 && six.has(c.bin)) || (eight.size > 0 && c.extendedBin !== null && eight.has(c.extendedBin));
    };
    const negative = op === 'not_equal' || op === 'not_in';
    return negative ? (p) => p.card === null || !hit(p) : (p) => p.card !== null && hit(p);
  }
  if (op === 'starts_with') {
    return (p) => {
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
    return (p) => {
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
    case 'less_than': return (p) => { const x = read(p); return x !== null && x < a; };
    case 'less_than_equal': return (p) => { const x = read(p); return x !== null && x <= a; };
    case 'greater_than': return (p) => { const x = read(p); return x !== null && x > a; };
    case 'greater_than_equal': return (p) => { const x = read(p); return x !== null && x >= a; };
    case 'between': return (p) => { const x = read(p); return x !== null && x >= a && x <= b; };
    case 'equal': return (p) => read(p) === a;
    case 'not_equal': return (p) => { const x = read(p); return x === null || x !== a; };
    default: return FALSE;
  }
}

export function compileLeaf(leaf: LeafCondition): Predicate {
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
      const cmp = compileOrdered(op, (p) => p.amount, bounds);
      if (!pinned) return cmp;
      const currency = pinned.currency.toUpperCase();
      if (list.some((x) => !isAmountValue(x) || x.currency.toUpperCase() !== currency)) return FALSE;
      return (p) => (p.currency === currency || p.currency.toUpperCase() === currency) && cmp(p);
    }
    case 'time': {
      const t = list.map((x) => parseTimeOfDay(x) ?? NaN);
      if (op === 'between' && t[0] > t[1]) {
        const [from, to] = t;
        return (p) => { const x = read(p) as number; return x >= from || x <= to; };
      }
      return compileOrdered(op, read as (p: RoutingPayment) => number | null, t);
    }
    case 'number': {
      if (op === 'in' || op === 'not_in') {
        const set = new Set<unknown>(list);
        return op === 'in' ? (p) => { const x = read(p); return x !== null && set.has(x); } : (p) => { const x = read(p); return x === null || !set.has(x); };
      }
      return compileOrdered(op, read as (p: RoutingPayment) => number | null, list as number[]);
    }
    case 'boolean': {
      const want = leaf.value;
      return op === 'equal' ? (p) => read(p) === want : (p) => read(p) !== want;
    }
    case 'enum':
    case 'string': {
      const fold = dim.kind === 'enum';
      const norm = (x: unknown): string => (fold ? String(x).toUpperCase() : String(x));
      if (op === 'starts_with') {
        const prefixes = list.map(String);
        return (p) => {
          const x = read(p);
          if (x === null) return false;
          const s = x as string;
          for (let i = 0; i < prefixes.length; i++) if (s.startsWith(prefixes[i])) return true;
          return false;
        };
      }
      if (!fold && list.some((x) => typeof x !== 'string')) {
        // A non-string expected value can never equal a string actual.
        const strs = new Set(list.filter((x) => typeof x === 'string'));
        const positive = op === 'equal' || op === 'in';
        return positive ? (p) => { const x = read(p); return x !== null && strs.has(x as string); } : (p) => { const x = read(p); return x === null || !strs.has(x as string); };
      }
      if (list.length === 1 && (op === 'equal' || op === 'not_equal')) {
        const want = norm(list[0]);
        const eq: Predicate = fold
          ? (p) => { const x = read(p); return x !== null && (x === want || (x as string).toUpperCase() === want); }
          : (p) => read(p) === want;
        if (op === 'equal') return eq;
        return (p) => !eq(p);
      }
      const set = new Set(list.map(norm));
      const has: Predicate = fold
        ? (p) => { const x = read(p); return x !== null && (set.has(x as string) || set.has((x as string).toUpperCase())); }
        : (p) => { const x = read(p); return x !== null && set.has(x as string); };
      if (op === 'equal' || op === 'in') return has;
      if (op === 'not_equal' || op === 'not_in') return (p) => !has(p);
      return FALSE;
    }
  }
}

export function compileCondition(c: Condition): Predicate {
  if (isLeaf(c)) return compileLeaf(c);
  const all = 'all' in c;
  const parts = (all ? (c as { all: Condition[] }).all : (c as { any: Condition[] }).any).map(compileCondition);
  if (parts.length === 0) return all ? TRUE : FALSE;
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [a, b] = parts;
    return all ? (p) => a(p) && b(p) : (p) => a(p) || b(p);
  }
  const n = parts.length;
  return all
    ? (p) => { for (let i = 0; i < n; i++) if (!parts[i](p)) return false; return true; }
    : (p) => { for (let i = 0; i < n; i++) if (parts[i](p)) return true; return false; };
}

export interface CompiledRules {
  /** Index of the first matching rule, or -1. */
  match(p: RoutingPayment): number;
  resolve(index: number, p: RoutingPayment): GatewayRef[];
}

export function compileRules(rules: readonly Rule[]): CompiledRules {
  const preds = rules.map((r) => compileCondition(r.condition));
  const outputs = rules.map((r) => prepareOutput(r.output));
  const n = preds.length;
  return {
    match(p) {
      for (let i = 0; i < n; i++) if (preds[i](p)) return i;
      return -1;
    },
    resolve(i, p) {
      return outputs[i](p);
    },
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

