// A gateway account's `fees` (a flat map of names to non-negative numbers) as the scoring fee model.
// Names: `percent` and `fixed_minor` (the default rule); `<TYPE>.percent` / `<TYPE>.fixed_minor`
// per payment method type (CARD, NB, UPI, WALLET, ...); `method.<METHOD>.percent|fixed_minor` per
// payment method (e.g. method.NB_HDFC.percent); `brand.<BRAND>.percent|fixed_minor` per card brand.
// The most specific rule wins (brand > method > type > default); a rule with only one of its two
// parts takes the other from the default rule.
import type { FeeRule, GatewayFees } from '../../routing/scoring/index.ts';

function rule(fees: Readonly<Record<string, number>>, prefix: string, base: FeeRule | null): FeeRule | null {
  const percent = fees[`${prefix}percent`];
  const fixed = fees[`${prefix}fixed_minor`];
  if (percent === undefined && fixed === undefined) return null;
  return { percentBps: percent !== undefined ? Math.round(percent * 100) : (base?.percentBps ?? 0), fixedMinor: fixed ?? base?.fixedMinor ?? 0 };
}

/** The fee model of an account, or null when it names no fee at all. */
export function gatewayFeesFrom(fees: Readonly<Record<string, number>> | null | undefined): GatewayFees | null {
  if (!fees || Object.keys(fees).length === 0) return null;
  const base = rule(fees, '', null);
  const out: GatewayFees = { default: base ?? { fixedMinor: 0, percentBps: 0 } };
  let any = base !== null;
  const groups = new Map<string, string>();
  for (const name of Object.keys(fees)) {
    const m = /^(?:(method|brand)\.)?([A-Za-z0-9_-]+)\.(percent|fixed_minor)$/.exec(name);
    if (!m) continue;
    groups.set(`${m[1] ?? 'type'}\u0000${m[2]}`, m[1] ? `${m[1]}.${m[2]}.` : `${m[2]}.`);
  }
  for (const [key, prefix] of groups) {
    const [kind, value] = key.split('\u0000') as [string, string];
    const r = rule(fees, prefix, out.default);
    if (!r) continue;
    any = true;
    if (kind === 'type') (out.byPaymentMethodType ??= {})[value] = r;
    else if (kind === 'method') (out.byPaymentMethod ??= {})[value] = r;
    else (out.byCardBrand ??= {})[value] = r;
  }
  return any ? out : null;
}
