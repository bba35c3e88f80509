// Validation of a logic definition. Codes and user-visible texts are Juspay's (see the seed);
// `field` names the path in the logic JSON so an editor can point at the culprit.

import { lookupDimension, OPERATORS_BY_KIND, parseTimeOfDay, isDigits, type ValueKind } from './dimensions.ts';
import type { CodeEvaluator } from './kinds/code-evaluator.ts';
import { LOGIC_RANKING_MODES, OPERATORS, type Condition, type GatewayAccount, type GatewayRef, type LogicDefinition, type Operator, type RuleOutput } from './types.ts';

export type ValidationCode =
  | 'NAME_REQUIRED'
  | 'NAME_ALREADY_EXISTS'
  | 'CODE_REQUIRED'
  | 'COMPILATION_ERROR'
  | 'CODE_TOO_LARGE'
  | 'DEFAULT_GATEWAYS_REQUIRED'
  | 'INVALID_CONDITIONS'
  | 'INVALID_GATEWAY'
  | 'GATEWAY_NOT_SUPPORTED'
  | 'NO_GATEWAY_SELECTED'
  | 'INVALID_VOLUME_SPLIT'
  | 'INVALID_RANKING_MODE';

export interface ValidationError {
  code: ValidationCode;
  message: string;
  field: string;
  line?: number;
  column?: number;
}

export const VALIDATION_MESSAGES: Record<ValidationCode, string> = {
  NAME_REQUIRED: 'Please provide Configuration Name',
  NAME_ALREADY_EXISTS: 'Configuration Name already exists',
  CODE_REQUIRED: 'Please provide Code field',
  COMPILATION_ERROR: 'Compilation error',
  CODE_TOO_LARGE: 'Code is too large',
  DEFAULT_GATEWAYS_REQUIRED: 'Need at least 1',
  INVALID_CONDITIONS: 'Invalid Conditions',
  INVALID_GATEWAY: 'Invalid Gateway',
  GATEWAY_NOT_SUPPORTED: 'Gateway not supported',
  NO_GATEWAY_SELECTED: 'No Gateway Selected',
  INVALID_VOLUME_SPLIT: 'Invalid Volume Split',
  INVALID_RANKING_MODE: 'Invalid Ranking Mode',
};

export interface ValidationContext {
  /** Names of the merchant's other logics (compared trimmed, case-insensitively). */
  existingNames?: Iterable<string>;
  /** The merchant's gateway accounts; gateway checks are skipped without them. */
  gateways?: readonly GatewayAccount[];
  /** When given, code-based logics are compiled to surface COMPILATION_ERROR / CODE_TOO_LARGE. */
  codeEvaluator?: CodeEvaluator;
}

function err(code: ValidationCode, field: string, detail?: string): ValidationError {
  const base = VALIDATION_MESSAGES[code];
  return { code, field, message: detail ? `${base}: ${detail}` : base };
}

/**
 * True for the catch-all "Otherwise" rule's condition: an empty `all` at the root of a rule, true
 * for every payment (a logic document may leave the condition out instead).
 */
export function isCatchAllCondition(c: unknown): boolean {
  return isObj(c) && Object.keys(c).length === 1 && Array.isArray(c.all) && c.all.length === 0;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCurrency = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z]{3}$/.test(v);
const isAmount = (v: unknown): v is { amount: number; currency: string } =>
  isObj(v) && Number.isSafeInteger(v.amount) && (v.amount as number) >= 0 && isCurrency(v.currency) && Object.keys(v).length === 2;

/** Why a single (non-list) value is wrong for a dimension kind, or null when fine. */
function scalarProblem(kind: ValueKind, op: Operator, v: unknown): string | null {
  switch (kind) {
    case 'enum':
      return typeof v === 'string' && v.length > 0 ? null : 'expects a non-empty string';
    case 'string':
      return typeof v === 'string' ? null : 'expects a string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'expects a number';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'expects true or false';
    case 'amount':
      return (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || isAmount(v) ? null : 'expects an amount in minor units (integer >= 0) or {amount, currency}';
    case 'bin':
      if (op === 'starts_with') return typeof v === 'string' && /^\d{1,8}$/.test(v) ? null : 'expects a BIN prefix of 1 to 8 digits';
      return isDigits(v) ? null : 'expects a BIN of 6 or 8 digits';
    case 'time':
      return parseTimeOfDay(v) !== null ? null : 'expects minutes since midnight UTC (0..1439) or "HH:MM"';
  }
}

function numericOf(kind: ValueKind, v: unknown): number {
  if (kind === 'time') return parseTimeOfDay(v) ?? NaN;
  if (kind === 'amount') return typeof v === 'number' ? v : (v as { amount: number }).amount;
  if (kind === 'bin') return Number(v);
  return v as number;
}

/** Validates a leaf's operator and value against its dimension. */
function leafProblems(c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const extra = Object.keys(c).filter((k) => k !== 'dimension' && k !== 'operator' && k !== 'value');
  if (extra.length) problems.push(`unknown key(s) ${extra.join(', ')}`);
  if (typeof c.dimension !== 'string') return [...problems, 'dimension must be a string'];
  const dim = lookupDimension(c.dimension);
  if (!dim) return [...problems, `unknown dimension '${c.dimension}'`];
  const op = c.operator;
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) return [...problems, `unknown operator '${String(op)}'`];
  const operator = op as Operator;
  if (!OPERATORS_BY_KIND[dim.kind].has(operator)) {
    return [...problems, `operator '${operator}' is not allowed for dimension '${dim.name}' (allowed: ${[...OPERATORS_BY_KIND[dim.kind]].join(', ')})`];
  }
  const v = c.value;
  if (operator === 'in' || operator === 'not_in') {
    if (!Array.isArray(v) || v.length === 0) return [...problems, `'${operator}' needs a non-empty list`];
    v.forEach((x, i) => {
      const p = scalarProblem(dim.kind, operator, x);
      if (p) problems.push(`value[${i}] ${p}`);
    });
    return problems;
  }
  if (operator === 'starts_with') {
    const list = Array.isArray(v) ? v : [v];
    if (list.length === 0) return [...problems, `'starts_with' needs a prefix`];
    list.forEach((x, i) => {
      const p = scalarProblem(dim.kind, operator, x) ?? (x === '' ? 'expects a non-empty prefix' : null);
      if (p) problems.push(Array.isArray(v) ? `value[${i}] ${p}` : `value ${p}`);
    });
    return problems;
  }
  if (operator === 'between') {
    if (!Array.isArray(v) || v.length !== 2) return [...problems, `'between' needs two values [from, to]`];
    const p0 = scalarProblem(dim.kind, operator, v[0]);
    const p1 = scalarProblem(dim.kind, operator, v[1]);
    if (p0 || p1) return [...problems, `'between' ${p0 ?? p1}`];
    if (dim.kind === 'bin' && (v[0] as string).length !== (v[1] as string).length) return [...problems, `'between' BINs must have the same length`];
    if (dim.kind === 'amount') {
      const c0 = isObj(v[0]) ? String(v[0].currency).toUpperCase() : null;
      const c1 = isObj(v[1]) ? String(v[1].currency).toUpperCase() : null;
      if (c0 !== c1) return [...problems, `'between' amounts must both be in the same currency or both plain`];
    }
    // A time window may cross midnight (22:00..06:00); other ranges must be ordered.
    if (dim.kind !== 'time' && numericOf(dim.kind, v[0]) > numericOf(dim.kind, v[1])) {
      return [...problems, `'between' needs two ordered values (from <= to)`];
    }
    return problems;
  }
  if (Array.isArray(v)) return [...problems, `'${operator}' expects a single value, not a list`];
  const p = scalarProblem(dim.kind, operator, v);
  if (p) problems.push(p);
  return problems;
}

/** Structural and semantic checks of a condition tree, any depth. */
export function validateCondition(c: unknown, path: string, depth = 0): ValidationError[] {
  if (depth > 32) return [err('INVALID_CONDITIONS', path, `${path}: nested too deeply (max 32 levels)`)];
  if (!isObj(c)) return [err('INVALID_CONDITIONS', path, `${path}: a condition must be an object`)];
  const group = 'all' in c ? 'all' : 'any' in c ? 'any' : null;
  if (group) {
    const keys = Object.keys(c);
    if (keys.length !== 1) return [err('INVALID_CONDITIONS', path, `${path}: a group has exactly one key, 'all' or 'any' (found ${keys.join(', ')})`)];
    const children = c[group];
    if (!Array.isArray(children)) return [err('INVALID_CONDITIONS', `${path}.${group}`, `${path}.${group}: must be a list of conditions`)];
    if (children.length === 0) return [err('INVALID_CONDITIONS', `${path}.${group}`, `${path}.${group}: must hold at least one condition`)];
    return children.flatMap((child, i) => validateCondition(child, `${path}.${group}[${i}]`, depth + 1));
  }
  return leafProblems(c).map((why) => err('INVALID_CONDITIONS', path, `${path}: ${why}`));
}

// ---------------------------------------------------------------- gateways

type Capability = 'paymentMethodTypes' | 'paymentMethods' | 'cardBrands' | 'currencies';
const CAPABILITY_OF_DIMENSION: Record<string, Capability> = {
  payment_method_type: 'paymentMethodTypes',
  payment_method: 'paymentMethods',
  card_brand: 'cardBrands',
  currency: 'currencies',
};

/**
 * The values a condition pins a dimension to (every payment matching it has one of them), or
 * null when the condition does not constrain that dimension.
 */
export function pinnedValues(c: Condition, dimension: string): Set<string> | null {
  if ('dimension' in c) {
    if (dimension === 'currency' && c.dimension === 'amount') {
      const vals = Array.isArray(c.value) ? c.value : [c.value];
      const cur = vals.find(isAmount);
      return cur ? new Set([cur.currency.toUpperCase()]) : null;
    }
    if (c.dimension !== dimension) return null;
    if (c.operator === 'equal' && typeof c.value === 'string') return new Set([c.value.toUpperCase()]);
    if (c.operator === 'in' && Array.isArray(c.value)) return new Set(c.value.map((v) => String(v).toUpperCase()));
    return null;
  }
  if ('all' in c) {
    let acc: Set<string> | null = null;
    for (const child of c.all) {
      const s = pinnedValues(child, dimension);
      if (s === null) continue;
      if (acc === null) acc = s;
      else {
        const both = new Set<string>();
        for (const v of acc) if (s.has(v)) both.add(v);
        acc = both;
      }
    }
    return acc;
  }
  if (c.any.length === 0) return null;
  const union = new Set<string>();
  for (const child of c.any) {
    const s = pinnedValues(child, dimension);
    if (s === null) return null;
    for (const v of s) union.add(v);
  }
  return union;
}

function accountsFor(accounts: readonly GatewayAccount[], g: GatewayRef): GatewayAccount[] {
  return accounts.filter((a) => a.gateway === g.gateway && (g.gatewayReferenceId == null || a.gatewayReferenceId === g.gatewayReferenceId));
}

function checkGateway(g: unknown, field: string, ctx: ValidationContext, condition: Condition | null, out: ValidationError[]): void {
  if (!isObj(g) || typeof g.gateway !== 'string' || g.gateway.trim() === '') {
    out.push(err('NO_GATEWAY_SELECTED', field, `${field}: no gateway selected`));
    return;
  }
  const ref = g as unknown as GatewayRef;
  if (!ctx.gateways) return;
  const byName = ctx.gateways.filter((a) => a.gateway === ref.gateway);
  if (byName.length === 0) {
    out.push(err('INVALID_GATEWAY', field, `${field}: '${ref.gateway}' is not a gateway configured for this merchant`));
    return;
  }
  const accounts = accountsFor(ctx.gateways, ref);
  if (accounts.length === 0) {
    out.push(err('INVALID_GATEWAY', field, `${field}: '${ref.gateway}' has no account with reference id '${String(ref.gatewayReferenceId)}'`));
    return;
  }
  if (!condition) return;
  for (const [dimension, capability] of Object.entries(CAPABILITY_OF_DIMENSION)) {
    const pinned = pinnedValues(condition, dimension);
    if (pinned === null) continue;
    const ok = accounts.some((a) => a[capability].length === 0 || a[capability].some((v) => pinned.has(v.toUpperCase())));
    if (!ok) {
      out.push(err('GATEWAY_NOT_SUPPORTED', field, `${field}: '${ref.gateway}' does not support ${dimension} ${[...pinned].join('/')} that this rule sends it`));
    }
  }
}

function checkGatewayList(list: unknown, field: string, ctx: ValidationContext, condition: Condition | null, out: ValidationError[]): void {
  if (!Array.isArray(list) || list.length === 0) {
    out.push(err('NO_GATEWAY_SELECTED', field, `${field}: no gateway selected`));
    return;
  }
  list.forEach((g, i) => checkGateway(g, `${field}[${i}]`, ctx, condition, out));
}

function checkWeights(splits: readonly { weight: unknown }[], field: string, out: ValidationError[]): void {
  let sum = 0;
  splits.forEach((s, i) => {
    const w = s.weight;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
      out.push(err('INVALID_VOLUME_SPLIT', `${field}[${i}].weight`, `${field}[${i}].weight must be an integer from 0 to 100`));
    } else sum += w;
  });
  if (splits.length > 0 && sum !== 100 && !out.some((e) => e.code === 'INVALID_VOLUME_SPLIT' && e.field.startsWith(field))) {
    out.push(err('INVALID_VOLUME_SPLIT', field, `${field}: weights sum to ${sum}, they must sum to 100`));
  }
}

function checkOutput(o: RuleOutput, field: string, ctx: ValidationContext, condition: Condition, out: ValidationError[]): void {
  switch (o.type) {
    case 'PRIORITY':
      checkGatewayList(o.gateways, `${field}.gateways`, ctx, condition, out);
      return;
    case 'VOLUME_SPLIT':
      if (!Array.isArray(o.splits) || o.splits.length === 0) {
        out.push(err('NO_GATEWAY_SELECTED', `${field}.splits`, `${field}.splits: no gateway selected`));
        return;
      }
      o.splits.forEach((s, i) => checkGateway(s, `${field}.splits[${i}]`, ctx, condition, out));
      checkWeights(o.splits, `${field}.splits`, out);
      return;
    case 'VOLUME_SPLIT_PRIORITY':
      if (!Array.isArray(o.splits) || o.splits.length === 0) {
        out.push(err('NO_GATEWAY_SELECTED', `${field}.splits`, `${field}.splits: no gateway selected`));
        return;
      }
      o.splits.forEach((s, i) => checkGatewayList(s.gateways, `${field}.splits[${i}].gateways`, ctx, condition, out));
      checkWeights(o.splits, `${field}.splits`, out);
      return;
    default:
      out.push(err('INVALID_CONDITIONS', `${field}.type`, `${field}.type: unknown output type '${String((o as { type: unknown }).type)}'`));
  }
}

/** All problems with a logic definition; an empty list means it can be saved and released. */
export function validateLogic(logic: LogicDefinition, ctx: ValidationContext = {}): ValidationError[] {
  const out: ValidationError[] = [];
  const name = typeof logic.name === 'string' ? logic.name.trim() : '';
  if (name === '') out.push(err('NAME_REQUIRED', 'name'));
  else if (ctx.existingNames) {
    const lower = name.toLowerCase();
    for (const n of ctx.existingNames) {
      if (n.trim().toLowerCase() === lower) {
        out.push(err('NAME_ALREADY_EXISTS', 'name'));
        break;
      }
    }
  }

  if (!Array.isArray(logic.defaultGateways) || logic.defaultGateways.length === 0) {
    out.push(err('DEFAULT_GATEWAYS_REQUIRED', 'defaultGateways'));
  } else {
    logic.defaultGateways.forEach((g, i) => checkGateway(g, `defaultGateways[${i}]`, ctx, null, out));
  }

  if (logic.ranking !== undefined) {
    const mode: unknown = isObj(logic.ranking) ? logic.ranking.mode : undefined;
    if (!isObj(logic.ranking) || Object.keys(logic.ranking).some((k) => k !== 'mode') || !(LOGIC_RANKING_MODES as readonly unknown[]).includes(mode)) {
      out.push(err('INVALID_RANKING_MODE', 'ranking.mode', `must be one of ${LOGIC_RANKING_MODES.join(', ')}`));
    }
  }

  switch (logic.kind) {
    case 'DEFAULT':
      break;
    case 'VOLUME':
      if (!Array.isArray(logic.splits) || logic.splits.length === 0) {
        out.push(err('NO_GATEWAY_SELECTED', 'splits', 'splits: no gateway selected'));
      } else {
        logic.splits.forEach((s, i) => checkGateway(s, `splits[${i}]`, ctx, null, out));
        checkWeights(logic.splits, 'splits', out);
      }
      break;
    case 'RULES':
      logic.rules.forEach((r, i) => {
        const field = `rules[${i}].condition`;
        if (isObj(r) && isCatchAllCondition(r.condition)) {
          // The catch-all "Otherwise" rule: at most one, and only as the last rule (a rule after
          // it could never match).
          const first = logic.rules.findIndex((x) => isObj(x) && isCatchAllCondition(x.condition));
          if (first !== i) out.push(err('INVALID_CONDITIONS', field, `${field}: only one catch-all rule (no condition) is allowed; rule ${first + 1} is already one`));
          else if (i !== logic.rules.length - 1) out.push(err('INVALID_CONDITIONS', field, `${field}: the catch-all rule (no condition) must be the last rule`));
          checkOutput(r.output, `rules[${i}].output`, ctx, r.condition, out);
          return;
        }
        const condErrors = validateCondition(r.condition, field);
        out.push(...condErrors);
        // Support checks need a well-formed condition to reason about.
        checkOutput(r.output, `rules[${i}].output`, ctx, r.condition, out);
      });
      break;
    case 'CODE': {
      if (typeof logic.code !== 'string' || logic.code.trim() === '') {
        out.push(err('CODE_REQUIRED', 'code'));
        break;
      }
      if (ctx.codeEvaluator) {
        const r = ctx.codeEvaluator.compile(logic.code);
        if (r.ok) r.program.dispose();
        else {
          const e: ValidationError = { code: r.reason, field: 'code', message: `${r.reason}: ${r.message}` };
          if (r.line !== undefined) e.line = r.line;
          if (r.column !== undefined) e.column = r.column;
          out.push(e);
        }
      }
      break;
    }
    default:
      out.push(err('INVALID_CONDITIONS', 'kind', `kind: unknown logic kind '${String((logic as { kind: unknown }).kind)}'`));
  }
  return out;
}

/**
 * Problems that make a logic impossible to run as written (everything except naming). Compile
 * turns them into a COMPILATION_ERROR at evaluation time so the fallback logic takes over.
 */
export function structuralErrors(logic: LogicDefinition): string[] {
  return validateLogic(logic)
    .filter((e) => e.code !== 'NAME_REQUIRED' && e.code !== 'NAME_ALREADY_EXISTS')
    .map((e) => e.message);
}
