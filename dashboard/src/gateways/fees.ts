// A gateway account's fee model as the server keeps it (src/core/routing-intelligence/fees.ts): a flat map of
// names to non-negative numbers. `percent` and `fixed_minor` are the default rule;
// `<TYPE>.percent|fixed_minor` per payment method type, `method.<METHOD>.…` per payment method,
// `brand.<BRAND>.…` per card brand; the most specific rule wins and a rule with one part takes the
// other from the default rule. `percent` is a percentage (1.9 = 1.9 %), the server keeps it as
// basis points, so the form accepts at most two decimals and converts through integer basis points
// (no float arithmetic); `fixed_minor` is an integer count of minor units.

export type FeeScope = 'default' | 'type' | 'method' | 'brand';

export interface FeeRule {
  /** Stable React key. */
  id: string;
  scope: FeeScope;
  /** Payment method type, payment method or card brand ('' for the default rule). */
  target: string;
  /** Percentage as typed, e.g. "1.9" ('' when not set). */
  percent: string;
  /** Fixed fee in minor units as typed, e.g. "300" ('' when not set). */
  fixed: string;
}

export interface FeeRuleErrors {
  target?: string;
  percent?: string;
  fixed?: string;
}

const SCOPED = /^(?:(method|brand)\.)?([A-Za-z0-9_-]+)\.(percent|fixed_minor)$/;
let nextId = 0;
export function ruleId(): string {
  nextId += 1;
  return `fee-${nextId}`;
}

/** Prefix of a rule's two names: '' for the default rule, 'CARD.', 'method.NB_HDFC.', 'brand.VISA.'. */
export function rulePrefix(rule: Pick<FeeRule, 'scope' | 'target'>): string {
  const t = rule.target.trim().toUpperCase();
  switch (rule.scope) {
    case 'default':
      return '';
    case 'type':
      return `${t}.`;
    case 'method':
      return `method.${t}.`;
    case 'brand':
      return `brand.${t}.`;
  }
}

/** A number from the server as the form shows it. */
function shown(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

/** Splits the server's fee map into editable rules (default first) and names the form does not know. */
export function feesToRules(fees: Readonly<Record<string, number>>): { rules: FeeRule[]; other: Record<string, number> } {
  const other: Record<string, number> = {};
  const groups = new Map<string, { scope: FeeScope; target: string; percent?: number; fixed?: number }>();
  const base: { percent?: number; fixed?: number } = {};
  for (const [name, value] of Object.entries(fees)) {
    if (name === 'percent') base.percent = value;
    else if (name === 'fixed_minor') base.fixed = value;
    else {
      const m = SCOPED.exec(name);
      if (!m) {
        other[name] = value;
        continue;
      }
      const scope: FeeScope = m[1] === 'method' ? 'method' : m[1] === 'brand' ? 'brand' : 'type';
      const key = `${scope}:${m[2]}`;
      const g = groups.get(key) ?? { scope, target: m[2]! };
      if (m[3] === 'percent') g.percent = value;
      else g.fixed = value;
      groups.set(key, g);
    }
  }
  const order: Record<FeeScope, number> = { default: 0, type: 1, method: 2, brand: 3 };
  const rules: FeeRule[] = [{ id: ruleId(), scope: 'default', target: '', percent: shown(base.percent), fixed: shown(base.fixed) }];
  for (const g of [...groups.values()].sort((a, b) => order[a.scope] - order[b.scope] || a.target.localeCompare(b.target))) {
    rules.push({ id: ruleId(), scope: g.scope, target: g.target, percent: shown(g.percent), fixed: shown(g.fixed) });
  }
  return { rules, other };
}

/** "1.9" → 190 basis points; null when not a percentage from 0 to 100 with at most two decimals. */
export function percentToBps(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : null;
}

/** Builds the server's fee map from the rules, or the problems per rule id. */
export function rulesToFees(rules: readonly FeeRule[], other: Readonly<Record<string, number>>): { ok: true; fees: Record<string, number> } | { ok: false; errors: Record<string, FeeRuleErrors> } {
  const fees: Record<string, number> = { ...other };
  const errors: Record<string, FeeRuleErrors> = {};
  const seen = new Set<string>();
  for (const rule of rules) {
    const e: FeeRuleErrors = {};
    const target = rule.target.trim().toUpperCase();
    const percent = rule.percent.trim();
    const fixed = rule.fixed.trim();
    if (rule.scope !== 'default') {
      if (!target) e.target = 'Choose what the rule applies to';
      else if (!/^[A-Z0-9_-]{1,40}$/.test(target)) e.target = 'Use letters, digits, _ and - only';
      else if (seen.has(rulePrefix(rule))) e.target = 'Another rule applies to this already';
      if (!percent && !fixed) e.percent = 'Enter a percentage, a fixed fee or both';
    }
    seen.add(rulePrefix(rule));
    let bps: number | null = null;
    if (percent) {
      bps = percentToBps(percent);
      if (bps === null) e.percent = 'Enter a percentage from 0 to 100 with at most two decimals';
    }
    if (fixed && !/^\d{1,12}$/.test(fixed)) e.fixed = 'Enter a whole number of minor units';
    if (e.target || e.percent || e.fixed) {
      errors[rule.id] = e;
      continue;
    }
    const prefix = rulePrefix(rule);
    // Integer basis points / 100 is the nearest double to the typed decimal ("1.9" → 1.9).
    if (bps !== null) fees[`${prefix}percent`] = bps / 100;
    if (fixed) fees[`${prefix}fixed_minor`] = Number(fixed);
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, fees };
}

/** Two fee maps hold the same entries. */
export function sameFees(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

const SCOPE_TEXT: Record<FeeScope, string> = { default: 'Default', type: 'Type', method: 'Method', brand: 'Brand' };

/** Short lines describing a fee map, e.g. ["Default: 2% + 200 minor", "CARD: 1.8%"]. */
export function describeFees(fees: Readonly<Record<string, number>>): string[] {
  const { rules, other } = feesToRules(fees);
  const lines: string[] = [];
  for (const r of rules) {
    if (!r.percent && !r.fixed) continue;
    // A zero part next to a non-zero one is left out ("2%" rather than "2% + 0 minor").
    const pct = r.percent && (Number(r.percent) !== 0 || !r.fixed || Number(r.fixed) === 0) ? `${r.percent}%` : null;
    const fixed = r.fixed && (Number(r.fixed) !== 0 || !pct) ? `${r.fixed} minor` : null;
    const parts = [pct, fixed].filter(Boolean).join(' + ');
    lines.push(`${r.scope === 'default' ? 'Default' : `${SCOPE_TEXT[r.scope]} ${r.target}`}: ${parts}`);
  }
  for (const [k, v] of Object.entries(other)) lines.push(`${k}: ${v}`);
  return lines;
}
