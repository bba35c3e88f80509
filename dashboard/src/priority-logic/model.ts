// The editor's model of a logic (drafts with stable ids for drag and drop) and its conversion to
// and from the engine's format (src/routing/types.ts). Each dimension's value kind and the operators
// allowed per kind come from the engine itself (src/routing/dimensions.ts), so the builder only
// offers what the engine accepts; this file adds the labels, groups and suggestions. Client-side checks name fields with the server's paths
// (`definition.rules[0].condition.all[1]`), so client and server messages land in the same place.
import { exponentOf } from '../../../src/core/currencies.ts';
import { AUTH_TYPES, CARD_BRANDS, CARD_TYPES, PAYMENT_METHOD_TYPES } from '../../../src/core/payment-methods.ts';
import type {
  AmountValue, Condition, GatewayRef, LeafCondition, Logic, LogicDefinition, LogicInput, LogicKind, Operator, RankingMode, Rule, RuleOutput, ScalarValue, VolumeSplit,
} from './types';
import { OPERATORS_BY_KIND as ENGINE_OPERATORS_BY_KIND, lookupDimension, type ValueKind } from '../../../src/routing/dimensions.ts';
import { isCatchAllCondition } from '../../../src/routing/validate.ts';
import { formatDecimalMoney } from '../format/money';

// ------------------------------------------------------------------ dimensions

export type { ValueKind };

export interface DimensionInfo {
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
  enum: engineOperators('enum'), string: engineOperators('string'), number: engineOperators('number'), boolean: engineOperators('boolean'),
  amount: engineOperators('amount'), bin: engineOperators('bin'), time: engineOperators('time'),
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

export type ValueShape = 'single' | 'list' | 'range';

export function valueShape(op: Operator): ValueShape {
  if (op === 'in' || op === 'not_in' || op === 'starts_with') return 'list';
  if (op === 'between') return 'range';
  return 'single';
}

// ------------------------------------------------------------------ currencies

// One ISO 4217 table for the service and the dashboard.
export const currencyExponent = (currency: string): number => exponentOf(currency) ?? 2;
export const AMOUNT_CURRENCIES = CURRENCIES;

/** "500.50" in INR → 50050; null when not a non-negative decimal with at most the currency's decimals. */
export function toMinor(text: string, currency: string): number | null {
  const t = text.trim();
  const exp = currency ? currencyExponent(currency) : 0;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > exp) return null;
  const n = Number(m[1]) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
  return Number.isSafeInteger(n) ? n : null;
}

export function fromMinor(minor: number, currency: string): string {
  const exp = currency ? currencyExponent(currency) : 0;
  if (exp === 0) return String(minor);
  const s = String(Math.abs(Math.trunc(minor))).padStart(exp + 1, '0');
  return `${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

// ------------------------------------------------------------------ drafts

let counter = 0;
export const uid = (prefix = 'n'): string => `${prefix}${++counter}_${Math.random().toString(36).slice(2, 7)}`;

export interface GatewayItem {
  id: string;
  gateway: string;
  gatewayReferenceId: string | null;
}
export interface SplitItem extends GatewayItem {
  weight: number;
}
export interface PrioritySplitItem {
  id: string;
  weight: number;
  gateways: GatewayItem[];
}

export interface LeafDraft {
  id: string;
  type: 'leaf';
  /** A catalogue name; 'metadata' uses metadataKey. */
  dimension: string;
  metadataKey: string;
  operator: Operator;
  /** single value (text; 'true'/'false' for booleans, "HH:MM" for time, decimal for amounts) */
  value: string;
  /** list values, comma-separated */
  values: string;
  from: string;
  to: string;
  /** amounts: the currency the amount is in ('' = any currency, amount in minor units) */
  currency: string;
}
export interface GroupDraft {
  id: string;
  type: 'group';
  op: 'all' | 'any';
  children: ConditionDraft[];
}
export type ConditionDraft = LeafDraft | GroupDraft;

export type OutputType = RuleOutput['type'];
export interface OutputDraft {
  type: OutputType;
  gateways: GatewayItem[];
  splits: SplitItem[];
  prioritySplits: PrioritySplitItem[];
}
export interface RuleDraft {
  id: string;
  name: string;
  root: GroupDraft;
  output: OutputDraft;
  /** The catch-all "Otherwise" rule: no condition (sent as an empty `all`), always the last rule. */
  otherwise?: boolean;
}

export interface LogicDraft {
  name: string;
  description: string;
  kind: LogicKind;
  enforce: boolean;
  rankingMode: RankingMode;
  defaultGateways: GatewayItem[];
  splits: SplitItem[];
  rules: RuleDraft[];
  code: string;
}

export const CODE_TEMPLATE = `// Runs for every transaction. Read order, txn, payment and currentTimeMillis;
// call setGatewayPriority([...]) or enforceGatewayPriority([...]).
if (payment.cardIssuer == "ICICI Bank") {
  setGatewayPriority(["SIM_GAMMA", "SIM_BETA"]);
} else {
  setGatewayPriority(["SIM_ALPHA", "SIM_GAMMA"]);
}
`;

export const gatewayItem = (gateway: string, gatewayReferenceId: string | null = null): GatewayItem => ({ id: uid('g'), gateway, gatewayReferenceId });

export function newLeaf(dimension = 'payment_method_type'): LeafDraft {
  const info = dimensionInfo(dimension);
  const operator = OPERATORS_BY_KIND[info?.kind ?? 'enum'][0]!;
  return { id: uid('c'), type: 'leaf', dimension, metadataKey: '', operator, value: info?.kind === 'boolean' ? 'true' : '', values: '', from: '', to: '', currency: info?.kind === 'amount' ? 'INR' : '' };
}
export const newGroup = (op: 'all' | 'any' = 'all', children: ConditionDraft[] = [newLeaf()]): GroupDraft => ({ id: uid('grp'), type: 'group', op, children });
export const emptyOutput = (): OutputDraft => ({ type: 'PRIORITY', gateways: [], splits: [], prioritySplits: [] });
export const newRule = (index: number): RuleDraft => ({ id: uid('r'), name: `Rule ${index + 1}`, root: newGroup('all'), output: emptyOutput() });
/** The catch-all "Otherwise" rule: every payment no rule above matched. */
export const newOtherwiseRule = (): RuleDraft => ({ id: uid('r'), name: 'Otherwise', root: newGroup('all', []), output: emptyOutput(), otherwise: true });
/** The engine's own test for the catch-all condition (an empty `all`). */
export const isCatchAll = (c: Condition): boolean => isCatchAllCondition(c);
/** Rules with the "Otherwise" rule (if any) kept last, as the engine requires. */
export const otherwiseLast = (rules: RuleDraft[]): RuleDraft[] => [...rules.filter((r) => !r.otherwise), ...rules.filter((r) => r.otherwise)];

export function emptyDraft(kind: LogicKind = 'RULES'): LogicDraft {
  return { name: '', description: '', kind, enforce: false, rankingMode: 'OFF', defaultGateways: [], splits: [], rules: kind === 'RULES' ? [newRule(0)] : [], code: kind === 'CODE' ? CODE_TEMPLATE : '' };
}

/** Changing a leaf's dimension: keep the operator when still allowed, reset values when the value kind changes. */
export function withDimension(leaf: LeafDraft, dimension: string): LeafDraft {
  const before = dimensionInfo(leaf.dimension)?.kind;
  const info = dimensionInfo(dimension);
  const kind = info?.kind ?? 'enum';
  const allowed = OPERATORS_BY_KIND[kind];
  const operator = allowed.includes(leaf.operator) ? leaf.operator : allowed[0]!;
  if (before === kind) return { ...leaf, dimension, operator };
  return { ...leaf, dimension, operator, value: kind === 'boolean' ? 'true' : '', values: '', from: '', to: '', currency: kind === 'amount' ? 'INR' : '' };
}

/** Changing the operator: carry the value over between single and list shapes. */
export function withOperator(leaf: LeafDraft, operator: Operator): LeafDraft {
  const from = valueShape(leaf.operator);
  const to = valueShape(operator);
  const next = { ...leaf, operator };
  if (from === 'single' && to === 'list' && !leaf.values.trim()) next.values = leaf.value;
  if (from === 'list' && to === 'single' && !leaf.value.trim()) next.value = splitList(leaf.values)[0] ?? '';
  if (from === 'single' && to === 'range' && !leaf.from.trim()) next.from = leaf.value;
  return next;
}

export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export const engineDimension = (leaf: LeafDraft): string => (leaf.dimension === 'metadata' ? `metadata.${leaf.metadataKey.trim()}` : leaf.dimension);

// ------------------------------------------------------------------ draft → engine format

function scalarOf(kind: ValueKind, text: string, currency: string): ScalarValue {
  const t = text.trim();
  switch (kind) {
    case 'number': {
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? n : t;
    }
    case 'boolean':
      return t === 'true';
    case 'amount': {
      if (!currency) {
        const n = Number(t);
        return t !== '' && Number.isFinite(n) ? n : t;
      }
      const minor = toMinor(t, currency);
      return minor === null ? { amount: Number.NaN, currency } : ({ amount: minor, currency: currency.toUpperCase() } satisfies AmountValue);
    }
    case 'time': {
      const m = /^(\d{1,2}):(\d{2})$/.exec(t);
      return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : t;
    }
    default:
      return t;
  }
}

export function leafToCondition(leaf: LeafDraft): LeafCondition {
  const kind = dimensionInfo(leaf.dimension)?.kind ?? 'string';
  const shape = valueShape(leaf.operator);
  let value: LeafCondition['value'];
  if (shape === 'list') {
    const list = splitList(leaf.values).map((v) => scalarOf(kind, v, leaf.currency));
    value = leaf.operator === 'starts_with' && list.length === 1 ? list[0]! : list;
  } else if (shape === 'range') value = [scalarOf(kind, leaf.from, leaf.currency), scalarOf(kind, leaf.to, leaf.currency)];
  else value = scalarOf(kind, leaf.value, leaf.currency);
  return { dimension: engineDimension(leaf), operator: leaf.operator, value };
}

export function conditionOf(node: ConditionDraft): Condition {
  if (node.type === 'leaf') return leafToCondition(node);
  const children = node.children.map(conditionOf);
  return node.op === 'all' ? { all: children } : { any: children };
}

const refOf = (g: GatewayItem): GatewayRef => (g.gatewayReferenceId ? { gateway: g.gateway, gatewayReferenceId: g.gatewayReferenceId } : { gateway: g.gateway });
const splitOf = (s: SplitItem): VolumeSplit => ({ ...refOf(s), weight: s.weight });

export function outputOf(o: OutputDraft): RuleOutput {
  switch (o.type) {
    case 'VOLUME_SPLIT':
      return { type: 'VOLUME_SPLIT', splits: o.splits.map(splitOf) };
    case 'VOLUME_SPLIT_PRIORITY':
      return { type: 'VOLUME_SPLIT_PRIORITY', splits: o.prioritySplits.map((s) => ({ gateways: s.gateways.map(refOf), weight: s.weight })) };
    default:
      return { type: 'PRIORITY', gateways: o.gateways.map(refOf) };
  }
}

export const ruleOf = (r: RuleDraft): Rule => ({ name: r.name, condition: conditionOf(r.root), output: outputOf(r.output) });

/** The create body (POST /v1/priority-logics) for a draft. */
export function toLogicInput(d: LogicDraft, options: { alwaysRanking?: boolean } = {}): LogicInput {
  const definition: LogicInput['definition'] =
    d.kind === 'RULES' ? { rules: d.rules.map(ruleOf) } : d.kind === 'VOLUME' ? { splits: d.splits.map(splitOf) } : d.kind === 'CODE' ? { code: d.code } : {};
  return {
    name: d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    kind: d.kind,
    enforce: d.enforce,
    defaultGateways: d.defaultGateways.map(refOf),
    ...(d.rankingMode !== 'OFF' || options.alwaysRanking ? { ranking: { mode: d.rankingMode } } : {}),
    definition,
  };
}

// ------------------------------------------------------------------ engine format → draft

function textOf(kind: ValueKind, v: ScalarValue, currency: string): string {
  if (typeof v === 'object' && v !== null) return fromMinor(v.amount, v.currency);
  if (kind === 'time' && typeof v === 'number') return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`;
  if (kind === 'amount' && typeof v === 'number') return currency ? fromMinor(v, currency) : String(v);
  return String(v);
}

export function leafFromCondition(c: LeafCondition): LeafDraft {
  const isMeta = c.dimension.startsWith('metadata.');
  const dimension = isMeta ? 'metadata' : c.dimension;
  const kind = dimensionInfo(dimension)?.kind ?? 'string';
  const list = Array.isArray(c.value) ? c.value : [c.value];
  const amount = list.find((x): x is AmountValue => typeof x === 'object' && x !== null);
  const currency = kind === 'amount' ? (amount?.currency ?? '') : '';
  const leaf: LeafDraft = { id: uid('c'), type: 'leaf', dimension, metadataKey: isMeta ? c.dimension.slice('metadata.'.length) : '', operator: c.operator, value: '', values: '', from: '', to: '', currency };
  const shape = valueShape(c.operator);
  if (shape === 'list') leaf.values = list.map((x) => textOf(kind, x, currency)).join(', ');
  else if (shape === 'range') {
    leaf.from = list[0] !== undefined ? textOf(kind, list[0], currency) : '';
    leaf.to = list[1] !== undefined ? textOf(kind, list[1], currency) : '';
  } else leaf.value = list[0] !== undefined ? textOf(kind, list[0], currency) : '';
  return leaf;
}

export function conditionDraftOf(c: Condition): ConditionDraft {
  if ('all' in c) return { id: uid('grp'), type: 'group', op: 'all', children: c.all.map(conditionDraftOf) };
  if ('any' in c) return { id: uid('grp'), type: 'group', op: 'any', children: c.any.map(conditionDraftOf) };
  return leafFromCondition(c);
}

const itemOf = (g: GatewayRef): GatewayItem => gatewayItem(g.gateway, g.gatewayReferenceId ?? null);
const splitItemOf = (s: VolumeSplit): SplitItem => ({ ...itemOf(s), weight: s.weight });

export function ruleDraftOf(r: Rule): RuleDraft {
  if (isCatchAll(r.condition)) return { id: uid('r'), name: r.name, root: newGroup('all', []), output: outputDraftOf(r.output), otherwise: true };
  const c = conditionDraftOf(r.condition);
  const root: GroupDraft = c.type === 'group' ? c : { id: uid('grp'), type: 'group', op: 'all', children: [c] };
  return { id: uid('r'), name: r.name, root, output: outputDraftOf(r.output) };
}

function outputDraftOf(o: RuleOutput): OutputDraft {
  const output = emptyOutput();
  output.type = o.type;
  if (o.type === 'PRIORITY') output.gateways = o.gateways.map(itemOf);
  else if (o.type === 'VOLUME_SPLIT') output.splits = o.splits.map(splitItemOf);
  else output.prioritySplits = o.splits.map((s) => ({ id: uid('ps'), weight: s.weight, gateways: s.gateways.map(itemOf) }));
  return output;
}

export function draftFromDefinition(def: LogicDefinition, overrides: Partial<LogicDraft> = {}): LogicDraft {
  return {
    name: def.name,
    description: def.description ?? '',
    kind: def.kind,
    enforce: def.enforce,
    rankingMode: def.ranking?.mode ?? 'OFF',
    defaultGateways: (def.defaultGateways ?? []).map(itemOf),
    splits: (def.splits ?? []).map(splitItemOf),
    rules: (def.rules ?? []).map(ruleDraftOf),
    code: def.code ?? '',
    ...overrides,
  };
}

export const draftFromLogic = (l: Logic, overrides: Partial<LogicDraft> = {}): LogicDraft =>
  draftFromDefinition({ ...l.definition, description: l.definition.description ?? l.description ?? undefined }, overrides);

// ------------------------------------------------------------------ paths and client checks

export type FieldErrors = Record<string, string[]>;

export const rulePath = (i: number) => `definition.rules[${i}]`;
export const childPath = (groupPath: string, op: 'all' | 'any', j: number) => `${groupPath}.${op}[${j}]`;

function add(errors: FieldErrors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Why a single value is wrong for its dimension kind, or null. */
export function scalarProblem(kind: ValueKind, op: Operator, text: string, currency: string): string | null {
  const t = text.trim();
  if (t === '') return 'enter a value';
  switch (kind) {
    case 'number':
      return Number.isFinite(Number(t)) ? null : 'expects a number';
    case 'amount':
      if (!currency) return /^\d+$/.test(t) ? null : 'expects an amount in minor units (a whole number)';
      return toMinor(t, currency) !== null ? null : `expects an amount in ${currency} with at most ${currencyExponent(currency)} decimals`;
    case 'bin':
      if (op === 'starts_with') return /^\d{1,8}$/.test(t) ? null : 'expects a BIN prefix of 1 to 8 digits';
      return /^(\d{6}|\d{8})$/.test(t) ? null : 'expects a BIN of 6 or 8 digits';
    case 'time':
      return TIME.test(t) ? null : 'expects a time as HH:MM (UTC)';
    default:
      return null;
  }
}

export function leafProblems(leaf: LeafDraft): string[] {
  const info = dimensionInfo(leaf.dimension);
  if (!info) return [`unknown dimension '${leaf.dimension}'`];
  const problems: string[] = [];
  if (leaf.dimension === 'metadata' && !leaf.metadataKey.trim()) problems.push('enter the metadata key');
  if (!OPERATORS_BY_KIND[info.kind].includes(leaf.operator)) problems.push(`operator '${leaf.operator}' is not allowed for ${info.label}`);
  const shape = valueShape(leaf.operator);
  if (shape === 'list') {
    const list = splitList(leaf.values);
    if (list.length === 0) problems.push(leaf.operator === 'starts_with' ? 'enter at least one prefix' : 'enter at least one value');
    list.forEach((v) => {
      const p = scalarProblem(info.kind, leaf.operator, v, leaf.currency);
      if (p) problems.push(`'${v}' ${p}`);
    });
  } else if (shape === 'range') {
    const p = scalarProblem(info.kind, leaf.operator, leaf.from, leaf.currency) ?? scalarProblem(info.kind, leaf.operator, leaf.to, leaf.currency);
    if (p) problems.push(`between: ${p}`);
    else if (info.kind === 'bin' && leaf.from.trim().length !== leaf.to.trim().length) problems.push('between: both BINs must have the same length');
    else if (info.kind !== 'time') {
      const lo = info.kind === 'amount' && leaf.currency ? toMinor(leaf.from, leaf.currency)! : Number(leaf.from);
      const hi = info.kind === 'amount' && leaf.currency ? toMinor(leaf.to, leaf.currency)! : Number(leaf.to);
      if (lo > hi) problems.push('between: "from" must not be greater than "to"');
    }
  } else if (info.kind !== 'boolean') {
    const p = scalarProblem(info.kind, leaf.operator, leaf.value, leaf.currency);
    if (p) problems.push(p);
  }
  return problems;
}

function checkGroup(g: GroupDraft, path: string, errors: FieldErrors): void {
  if (g.children.length === 0) add(errors, `${path}.${g.op}`, 'Invalid Conditions: add at least one condition');
  g.children.forEach((c, j) => {
    const p = childPath(path, g.op, j);
    if (c.type === 'group') checkGroup(c, p, errors);
    else for (const why of leafProblems(c)) add(errors, p, `Invalid Conditions: ${why}`);
  });
}

export function splitTotal(weights: readonly number[]): number {
  return weights.reduce((s, w) => s + (Number.isFinite(w) ? w : 0), 0);
}

function checkWeights(weights: readonly number[], path: string, errors: FieldErrors): void {
  weights.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 100) add(errors, `${path}[${i}].weight`, 'Invalid Volume Split: a weight is a whole number from 0 to 100');
  });
  const total = splitTotal(weights);
  if (weights.length > 0 && total !== 100) add(errors, path, `Invalid Volume Split: weights sum to ${total}, they must sum to 100`);
}

function checkGatewayList(list: readonly GatewayItem[], path: string, errors: FieldErrors): void {
  if (list.length === 0) add(errors, path, 'No Gateway Selected');
  list.forEach((g, i) => {
    if (!g.gateway.trim()) add(errors, `${path}[${i}]`, 'No Gateway Selected');
  });
}

/** Client-side checks, with the server's field paths and messages (the server checks again). */
export function validateDraft(d: LogicDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.name.trim()) add(errors, 'name', 'Please provide Configuration Name');
  if (d.defaultGateways.length === 0) add(errors, 'defaultGateways', 'Need at least 1');
  if (d.kind === 'VOLUME') {
    if (d.splits.length === 0) add(errors, 'definition.splits', 'No Gateway Selected');
    else checkWeights(d.splits.map((s) => s.weight), 'definition.splits', errors);
  }
  if (d.kind === 'CODE' && !d.code.trim()) add(errors, 'definition.code', 'Please provide Code field');
  if (d.kind === 'RULES') {
    d.rules.forEach((r, i) => {
      if (r.otherwise) {
        if (i !== d.rules.length - 1) add(errors, `${rulePath(i)}.condition`, 'Invalid Conditions: the catch-all rule (no condition) must be the last rule');
      } else checkGroup(r.root, `${rulePath(i)}.condition`, errors);
      const out = `${rulePath(i)}.output`;
      if (r.output.type === 'PRIORITY') checkGatewayList(r.output.gateways, `${out}.gateways`, errors);
      else if (r.output.type === 'VOLUME_SPLIT') {
        if (r.output.splits.length === 0) add(errors, `${out}.splits`, 'No Gateway Selected');
        else checkWeights(r.output.splits.map((s) => s.weight), `${out}.splits`, errors);
      } else {
        if (r.output.prioritySplits.length === 0) add(errors, `${out}.splits`, 'No Gateway Selected');
        else {
          r.output.prioritySplits.forEach((s, j) => checkGatewayList(s.gateways, `${out}.splits[${j}].gateways`, errors));
          checkWeights(r.output.prioritySplits.map((s) => s.weight), `${out}.splits`, errors);
        }
      }
    });
  }
  return errors;
}

// ------------------------------------------------------------------ reading errors

const startsPath = (field: string, path: string) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

/** Messages for exactly `path`, or also for everything under it with `deep`. */
export function errorsAt(errors: FieldErrors, path: string, deep = false): string[] {
  const out: string[] = [];
  for (const [field, messages] of Object.entries(errors)) {
    if (field === path || (deep && startsPath(field, path))) out.push(...messages);
  }
  return [...new Set(out)];
}

/** Server errors win over client errors for the same field. */
export function mergeErrors(server: FieldErrors, client: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...client };
  for (const [k, v] of Object.entries(server)) out[k] = v;
  return out;
}

/** Turns "rules[0].condition.all[1]" into "Rule 1 › condition 2". */
export function humanPath(path: string): string {
  const p = path.replace(/^definition\./, '');
  const parts: string[] = [];
  const rule = /^rules\[(\d+)\]/.exec(p);
  if (rule) {
    parts.push(`Rule ${Number(rule[1]) + 1}`);
    const rest = p.slice(rule[0].length);
    const re = /\.(all|any)\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(rest))) parts.push(`condition ${Number(m[2]) + 1}`);
    if (/\.output/.test(rest)) {
      parts.push('output');
      const s = /splits\[(\d+)\]/.exec(rest);
      if (s) parts.push(`split ${Number(s[1]) + 1}`);
      const g = /gateways\[(\d+)\]/.exec(rest);
      if (g) parts.push(`gateway ${Number(g[1]) + 1}`);
    }
    return parts.join(' › ');
  }
  const TOP: Record<string, string> = { name: 'Configuration Name', defaultGateways: 'Default gateways', code: 'Code', splits: 'Volume split', description: 'Description', body: 'Document' };
  if (TOP[p]) return TOP[p];
  const dg = /^defaultGateways\[(\d+)\]/.exec(p);
  if (dg) return `Default gateway ${Number(dg[1]) + 1}`;
  const sp = /^splits\[(\d+)\]/.exec(p);
  if (sp) return `Split ${Number(sp[1]) + 1}`;
  return p;
}

const CODE_LABELS: Record<string, string> = {
  'Invalid Gateway': 'INVALID_GATEWAY',
  'Gateway not supported': 'GATEWAY_NOT_SUPPORTED',
};

/**
 * A server reason made readable next to its field: "Invalid Gateway: defaultGateways[0]: 'X' is
 * not ..." → "INVALID_GATEWAY: Default gateway 1: 'X' is not ...". Codes the seed names by
 * their code (INVALID_GATEWAY, GATEWAY_NOT_SUPPORTED, COMPILATION_ERROR, CODE_TOO_LARGE) keep it.
 */
export function displayReason(reason: string): string {
  const m = /^([^:]+): ((?:definition\.)?(?:rules|splits|defaultGateways|code)(?:[\w.[\]]*)): (.*)$/s.exec(reason);
  if (!m) {
    const base = /^([^:]+)(: .*)?$/s.exec(reason);
    if (base && CODE_LABELS[base[1]!]) return `${CODE_LABELS[base[1]!]}${base[2] ?? ''}`;
    return reason;
  }
  const [, base, path, detail] = m;
  const label = CODE_LABELS[base!] ?? base!;
  if (/^(definition\.)?(splits|defaultGateways|code)$/.test(path!)) return `${label}: ${detail}`;
  const where = humanPath(path!);
  if (label === 'No Gateway Selected' && /no gateway selected/i.test(detail!)) return `No Gateway Selected (${where})`;
  return `${label}: ${where}: ${detail}`;
}

/**
 * A server field error for a list or banner (away from its field), with its location said once:
 * the server's reason often names the path itself ("Invalid Gateway: defaultGateways[3]: …"), so
 * the field's label is only put in front when the reason does not already locate it.
 * "Default gateway 4: INVALID_GATEWAY: Default gateway 4: …" becomes "INVALID_GATEWAY: Default gateway 4: …".
 */
export function locatedReason(field: string, reason: string): string {
  // A reason that starts with the raw path of its own field ("definition.rules[0].colour: unknown key") drops it.
  const bare = field && reason.startsWith(`${field}: `) ? reason.slice(field.length + 2) : reason;
  const shown = displayReason(bare);
  let where = humanPath(field);
  const tail = /\]\.([A-Za-z_]\w*)$/.exec(field)?.[1];
  if (tail && where !== field && !where.toLowerCase().includes(tail.toLowerCase())) where = `${where} › ${tail}`;
  if (!field || (where === field && !/[.[]/.test(field) && !/^(name|description)$/.test(field))) return shown;
  if (shown.includes(where) || shown.includes(humanPath(field))) return shown;
  return `${where}: ${shown}`;
}

/** Server field errors → FieldErrors keyed by the server's field names. */
export function serverFieldErrors(fields: readonly { field_name: string; reason: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const f of fields) add(out, f.field_name, displayReason(f.reason));
  return out;
}

/** Field names the form shows next to a field; the rest go to the banner. */
export function isFormField(field: string, d: LogicDraft): boolean {
  if (/^(name|description|enforce|kind|ranking)(\.|$)/.test(field)) return true;
  if (/^defaultGateways(\[|$)/.test(field)) return true;
  if (d.kind === 'VOLUME' && /^(definition\.)?splits(\[|\.|$)/.test(field)) return true;
  if (d.kind === 'CODE' && /^definition\.code$/.test(field)) return true;
  const r = /^definition\.rules\[(\d+)\]/.exec(field);
  if (d.kind === 'RULES' && r) return Number(r[1]) < d.rules.length;
  return false;
}

/** "… (line 3, column 7)" → {line, column}. */
export function lineColumn(text: string): { line: number; column: number | null } | null {
  const m = /line (\d+)(?:, column (\d+))?/.exec(text);
  return m ? { line: Number(m[1]), column: m[2] ? Number(m[2]) : null } : null;
}

/** A one-line description of a condition, for read-only views. */
export function describeCondition(c: Condition, top = true): string {
  if (top && isCatchAll(c)) return 'Otherwise (every payment no rule above matched)';
  if ('all' in c || 'any' in c) {
    const op = 'all' in c ? 'AND' : 'OR';
    const kids = ('all' in c ? c.all : c.any).map((x) => describeCondition(x, false));
    const s = kids.join(` ${op} `);
    return top || kids.length < 2 ? s : `(${s})`;
  }
  const leaf = leafFromCondition(c);
  const info = dimensionInfo(leaf.dimension);
  const dim = leaf.dimension === 'metadata' ? `metadata.${leaf.metadataKey}` : (info?.label ?? leaf.dimension);
  const shape = valueShape(c.operator);
  const isMoney = info?.kind === 'amount' && !!leaf.currency;
  const cur = isMoney ? ` ${leaf.currency}` : '';
  // Amounts with a currency go through the dashboard's one money formatter (₹500.00).
  const money = (text: string) => (isMoney ? formatDecimalMoney(text, leaf.currency) : text);
  const v = shape === 'list' ? `[${leaf.values}]${cur}` : shape === 'range' ? `${money(leaf.from)} and ${money(leaf.to)}` : money(leaf.value);
  return `${dim} ${OPERATOR_LABELS[c.operator] ?? c.operator} ${v}`;
}
