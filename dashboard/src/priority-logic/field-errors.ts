// Reading field errors: the messages at a path, server over client, and their wording for people;
// and a condition described in one line for read-only views.
import type { Condition } from './types';
import { formatDecimalMoney } from '../format/money';
import { dimensionInfo, OPERATOR_LABELS, valueShape } from './dimension-catalogue';
import { type LogicDraft, isCatchAll } from './logic-draft';
import { leafFromCondition } from './draft-conversion';

export type FieldErrors = Record<string, string[]>;

/** Adds a message at a field path. */
export function addFieldError(errors: FieldErrors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

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
  for (const f of fields) addFieldError(out, f.field_name, displayReason(f.reason));
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
