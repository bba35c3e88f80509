// What changed between two versions of a logic, in words: kind, enforce, ranking, the default
// gateways, the volume split, each rule (matched by name, else by position: added, removed, moved,
// condition or output changed) and the code. Pure; used by the logic page's comparison with the
// live logic (the approver's diff, and before activating a copy).
import type { GatewayRef, Rule, RuleOutput } from '../../../src/routing/types.ts';
import { describeCondition } from './model';
import type { LogicDefinition } from './types';

export interface DiffLine {
  /** What the line is about: "Enforce", "Default gateways", "Rule 2 (visa): condition", ... */
  label: string;
  before: string | null;
  after: string | null;
}

const chain = (list: readonly GatewayRef[]): string => list.map((g) => (g.gatewayReferenceId ? `${g.gateway} (${g.gatewayReferenceId})` : g.gateway)).join(' → ') || '(none)';

export function outputText(o: RuleOutput): string {
  if (o.type === 'PRIORITY') return chain(o.gateways);
  if (o.type === 'VOLUME_SPLIT') return o.splits.map((s) => `${s.weight}% ${s.gateway}`).join(', ');
  return o.splits.map((s) => `${s.weight}%: ${chain(s.gateways)}`).join('; ');
}

function push(out: DiffLine[], label: string, before: string | null, after: string | null): void {
  if (before !== after) out.push({ label, before, after });
}

function rulesDiff(out: DiffLine[], before: readonly Rule[], after: readonly Rule[]): void {
  const names = (rules: readonly Rule[]) => rules.map((r) => r.name);
  const unique = (list: string[]) => new Set(list).size === list.length;
  const byName = unique(names(before)) && unique(names(after));
  const key = (r: Rule, i: number) => (byName ? `name:${r.name}` : `index:${i}`);
  const old = new Map(before.map((r, i) => [key(r, i), { rule: r, index: i }]));
  const seen = new Set<string>();
  after.forEach((r, i) => {
    const k = key(r, i);
    const label = `Rule ${i + 1} (${r.name})`;
    const prev = old.get(k);
    seen.add(k);
    if (!prev) {
      out.push({ label: `${label}: added`, before: null, after: `If ${describeCondition(r.condition)} then ${outputText(r.output)}` });
      return;
    }
    if (prev.index !== i) push(out, `${label}: position`, `rule ${prev.index + 1}`, `rule ${i + 1}`);
    if (prev.rule.name !== r.name) push(out, `${label}: name`, prev.rule.name, r.name);
    push(out, `${label}: condition`, describeCondition(prev.rule.condition), describeCondition(r.condition));
    push(out, `${label}: output`, outputText(prev.rule.output), outputText(r.output));
  });
  before.forEach((r, i) => {
    if (!seen.has(key(r, i))) out.push({ label: `Rule ${i + 1} (${r.name}): removed`, before: `If ${describeCondition(r.condition)} then ${outputText(r.output)}`, after: null });
  });
}

/** The differences from `before` to `after`; empty when they route the same way. */
export function diffLogics(before: LogicDefinition, after: LogicDefinition): DiffLine[] {
  const out: DiffLine[] = [];
  push(out, 'Type', before.kind, after.kind);
  push(out, 'Enforce', before.enforce ? 'on' : 'off', after.enforce ? 'on' : 'off');
  push(out, 'Success-rate ranking', before.ranking?.mode ?? 'OFF', after.ranking?.mode ?? 'OFF');
  push(out, 'Default gateways', chain(before.defaultGateways), chain(after.defaultGateways));
  const splits = (d: LogicDefinition) => (d.kind === 'VOLUME' ? (d.splits ?? []).map((s) => `${s.weight}% ${s.gateway}`).join(', ') : null);
  push(out, 'Volume split', splits(before), splits(after));
  if (before.kind === 'RULES' || after.kind === 'RULES') rulesDiff(out, before.kind === 'RULES' ? (before.rules ?? []) : [], after.kind === 'RULES' ? (after.rules ?? []) : []);
  const code = (d: LogicDefinition): string | null => (d.kind === 'CODE' ? (d.code ?? '') : null);
  if (code(before) !== code(after)) {
    const lines = (c: string | null) => {
      if (c === null) return null;
      const n = c.split('\n').length;
      return `${n} line${n === 1 ? '' : 's'}`;
    };
    out.push({ label: 'Code', before: lines(code(before)), after: lines(code(after)) });
  }
  return out;
}
