// A draft to the engine's format (src/routing/types.ts) and back.
import type { AmountValue, Condition, GatewayRef, LeafCondition, Logic, LogicDefinition, LogicInput, Rule, RuleOutput, ScalarValue, VolumeSplit } from './types';
import type { ValueKind } from '../../../src/routing/dimensions.ts';
import { dimensionInfo, valueShape, toMinor, fromMinor } from './dimension-catalogue';
import {
  uid,
  type GatewayItem,
  type SplitItem,
  type LeafDraft,
  type GroupDraft,
  type ConditionDraft,
  type OutputDraft,
  type RuleDraft,
  type LogicDraft,
  gatewayItem,
  newGroup,
  emptyOutput,
  isCatchAll,
  splitList,
  engineDimension,
} from './logic-draft';

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

function leafToCondition(leaf: LeafDraft): LeafCondition {
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
  const leaf: LeafDraft = {
    id: uid('c'),
    type: 'leaf',
    dimension,
    metadataKey: isMeta ? c.dimension.slice('metadata.'.length) : '',
    operator: c.operator,
    value: '',
    values: '',
    from: '',
    to: '',
    currency,
  };
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
