// What changed between two versions of a logic, in words: kind, enforce, ranking, the default
// gateways, the volume split, each rule (matched by name, else by position: added, removed, moved,
// condition or output changed) and the code. Pure; used by the logic page's comparison with the
// live logic (the approver's diff, and before activating a copy).
import type { GatewayRef, Rule, RuleOutput } from '../../../src/routing/types.ts';
import { describeCondition } from './model';
import type { LogicDefinition } from './types';

interface DiffLine {
  /** What the line is about: "Enforce", "Default gateways", "Rule 2 (visa): condition", ... */
  label: string;
  before: string | null;
  after: string | null;
}

const chain = (list: readonly GatewayRef[]): string => list.map((g) => (g.gatewayReferenceId ? `${g.gateway} (${g.gatewayReferenceId})` : g.gateway)).join(' → ') || '(none)';

function outputText(o: RuleOutput): string {
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

interface CodeDiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** Line number in the version before (same, removed) and after (same, added). */
  before?: number;
  after?: number;
}

/**
 * A line diff of two code-based logics (longest common subsequence of lines): what a reviewer
 * reads to see what the code change does, beside the line counts of diffLogics.
 */
export function codeLineDiff(before: string, after: string): CodeDiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Same lines at the start and end need no table; the rest is at most 2,000 lines each side.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, Math.min(endA, start + 2000));
  const midB = b.slice(start, Math.min(endB, start + 2000));
  const n = midA.length;
  const m = midB.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: CodeDiffLine[] = [];
  for (let k = 0; k < start; k++) out.push({ kind: 'same', text: a[k]!, before: k + 1, after: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      out.push({ kind: 'same', text: midA[i]!, before: start + i + 1, after: start + j + 1 });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // A removed line before the line that replaces it.
      out.push({ kind: 'removed', text: midA[i]!, before: start + i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: midB[j]!, after: start + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) out.push({ kind: 'same', text: a[endA + k]!, before: endA + k + 1, after: endB + k + 1 });
  return out;
}

/** The changed lines with `context` unchanged lines around each change; `null` marks a gap. */
export function diffHunks(lines: readonly CodeDiffLine[], context = 2): (CodeDiffLine | null)[] {
  const keep = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (CodeDiffLine | null)[] = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(l);
    else if (out.length > 0 && out[out.length - 1] !== null) out.push(null);
  });
  if (out[out.length - 1] === null) out.pop();
  return out;
}
