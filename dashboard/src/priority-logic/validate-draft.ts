// Client-side checks of a draft. They name fields with the server's paths
// (`definition.rules[0].condition.all[1]`), so client and server messages land in the same place.
import type { Operator } from './types';
import { addFieldError, type FieldErrors } from './field-errors';
import type { ValueKind } from '../../../src/routing/dimensions.ts';
import { dimensionInfo, OPERATORS_BY_KIND, valueShape, currencyExponent, toMinor } from './dimension-catalogue';
import { type GatewayItem, type LeafDraft, type GroupDraft, type LogicDraft, splitList } from './logic-draft';

export const rulePath = (i: number) => `definition.rules[${i}]`;
export const childPath = (groupPath: string, op: 'all' | 'any', j: number) => `${groupPath}.${op}[${j}]`;

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
  if (g.children.length === 0) addFieldError(errors, `${path}.${g.op}`, 'Invalid Conditions: add at least one condition');
  g.children.forEach((c, j) => {
    const p = childPath(path, g.op, j);
    if (c.type === 'group') checkGroup(c, p, errors);
    else for (const why of leafProblems(c)) addFieldError(errors, p, `Invalid Conditions: ${why}`);
  });
}

export function splitTotal(weights: readonly number[]): number {
  return weights.reduce((s, w) => s + (Number.isFinite(w) ? w : 0), 0);
}

function checkWeights(weights: readonly number[], path: string, errors: FieldErrors): void {
  weights.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 100) addFieldError(errors, `${path}[${i}].weight`, 'Invalid Volume Split: a weight is a whole number from 0 to 100');
  });
  const total = splitTotal(weights);
  if (weights.length > 0 && total !== 100) addFieldError(errors, path, `Invalid Volume Split: weights sum to ${total}, they must sum to 100`);
}

function checkGatewayList(list: readonly GatewayItem[], path: string, errors: FieldErrors): void {
  if (list.length === 0) addFieldError(errors, path, 'No Gateway Selected');
  list.forEach((g, i) => {
    if (!g.gateway.trim()) addFieldError(errors, `${path}[${i}]`, 'No Gateway Selected');
  });
}

/** Client-side checks, with the server's field paths and messages (the server checks again). */
export function validateDraft(d: LogicDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.name.trim()) addFieldError(errors, 'name', 'Please provide Configuration Name');
  if (d.defaultGateways.length === 0) addFieldError(errors, 'defaultGateways', 'Need at least 1');
  if (d.kind === 'VOLUME') {
    if (d.splits.length === 0) addFieldError(errors, 'definition.splits', 'No Gateway Selected');
    else
      checkWeights(
        d.splits.map((s) => s.weight),
        'definition.splits',
        errors,
      );
  }
  if (d.kind === 'CODE' && !d.code.trim()) addFieldError(errors, 'definition.code', 'Please provide Code field');
  if (d.kind === 'RULES') {
    d.rules.forEach((r, i) => {
      if (r.otherwise) {
        if (i !== d.rules.length - 1) addFieldError(errors, `${rulePath(i)}.condition`, 'Invalid Conditions: the catch-all rule (no condition) must be the last rule');
      } else checkGroup(r.root, `${rulePath(i)}.condition`, errors);
      const out = `${rulePath(i)}.output`;
      if (r.output.type === 'PRIORITY') checkGatewayList(r.output.gateways, `${out}.gateways`, errors);
      else if (r.output.type === 'VOLUME_SPLIT') {
        if (r.output.splits.length === 0) addFieldError(errors, `${out}.splits`, 'No Gateway Selected');
        else
          checkWeights(
            r.output.splits.map((s) => s.weight),
            `${out}.splits`,
            errors,
          );
      } else {
        if (r.output.prioritySplits.length === 0) addFieldError(errors, `${out}.splits`, 'No Gateway Selected');
        else {
          r.output.prioritySplits.forEach((s, j) => checkGatewayList(s.gateways, `${out}.splits[${j}].gateways`, errors));
          checkWeights(
            r.output.prioritySplits.map((s) => s.weight),
            `${out}.splits`,
            errors,
          );
        }
      }
    });
  }
  return errors;
}
