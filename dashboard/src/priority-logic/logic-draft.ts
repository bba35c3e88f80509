// The editor's model of a logic: drafts with stable ids for drag and drop, and their constructors.
import type { Condition, LogicKind, Operator, RankingMode, RuleOutput } from './types';
import { isCatchAllCondition } from '../../../src/routing/validate.ts';
import { dimensionInfo, OPERATORS_BY_KIND, valueShape } from './dimension-catalogue';

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
  return {
    id: uid('c'),
    type: 'leaf',
    dimension,
    metadataKey: '',
    operator,
    value: info?.kind === 'boolean' ? 'true' : '',
    values: '',
    from: '',
    to: '',
    currency: info?.kind === 'amount' ? 'INR' : '',
  };
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
  return {
    name: '',
    description: '',
    kind,
    enforce: false,
    rankingMode: 'OFF',
    defaultGateways: [],
    splits: [],
    rules: kind === 'RULES' ? [newRule(0)] : [],
    code: kind === 'CODE' ? CODE_TEMPLATE : '',
  };
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
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const engineDimension = (leaf: LeafDraft): string => (leaf.dimension === 'metadata' ? `metadata.${leaf.metadataKey.trim()}` : leaf.dimension);
