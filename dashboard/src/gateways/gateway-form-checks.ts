// The gateway form's checks: lists typed as text, the client-side checks before a PATCH, and the
// server's field errors placed next to the field (or the fee rule) they name.
import { isCurrency } from '../../../src/core/currencies.ts';
import { rulePrefix, sameFees, type FeeRule, type FeeRuleErrors } from './fees.ts';
import type { GatewayAccountView } from './types.ts';

export type Errors = Record<string, string>;

export function splitList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    const v = part.trim().toUpperCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

interface CheckedFields {
  problems: Errors;
  methodList: string[];
  currencyList: string[];
  /** The priority typed, or null when left empty. */
  priorityValue: number | null;
}

/** The payment methods, currencies and priority as typed, checked (the account's priority: whether one must be given). */
export function checkFields(methods: string, currencies: string, priority: string, accountPriority: number | null): CheckedFields {
  const problems: Errors = {};
  const methodList = splitList(methods);
  const badMethod = methodList.find((m) => !/^[A-Z0-9_]{1,64}$/.test(m));
  if (badMethod) problems.payment_methods = `${badMethod} is not a payment method name (use names such as NB_ICICI, PAYTM)`;
  const currencyList = splitList(currencies);
  const badCurrency = currencyList.find((c) => !isCurrency(c));
  if (badCurrency) problems.currencies = `${badCurrency} is not an ISO 4217 currency code`;
  const priorityText = priority.trim();
  let priorityValue: number | null = null;
  if (priorityText === '' && accountPriority !== null) problems.priority = 'Enter a priority';
  else if (priorityText !== '') {
    if (!/^\d{1,7}$/.test(priorityText) || Number(priorityText) > 1_000_000) problems.priority = 'must be a whole number from 0 to 1000000';
    else priorityValue = Number(priorityText);
  }
  return { problems, methodList, currencyList, priorityValue };
}

/** The server's field errors by form field and by fee rule; those the form has no place for as text. */
export function placeServerErrors(fields: readonly { field_name: string; reason: string }[], rules: readonly FeeRule[]): { server: Errors; byRule: Record<string, FeeRuleErrors>; unplaced: string[] } {
  const server: Errors = {};
  const byRule: Record<string, FeeRuleErrors> = {};
  const unplaced: string[] = [];
  for (const f of fields) {
    const name = f.field_name;
    if (['enabled', 'payment_method_types', 'payment_methods', 'card_brands', 'currencies', 'priority', 'fees'].includes(name)) {
      server[name] = f.reason;
      continue;
    }
    const rule = name.startsWith('fees.') ? rules.find((r) => name === `fees.${rulePrefix(r)}percent` || name === `fees.${rulePrefix(r)}fixed_minor`) : undefined;
    if (rule) {
      const part = name.endsWith('.percent') ? 'percent' : 'fixed';
      byRule[rule.id] = { ...byRule[rule.id], [part]: f.reason };
    } else if (name.startsWith('fees.')) server.fees = `${name.slice(5)}: ${f.reason}`;
    else unplaced.push(`${name} ${f.reason}`);
  }
  return { server, byRule, unplaced };
}

interface EditedFields {
  enabled: boolean;
  types: string[];
  methodList: string[];
  brands: string[];
  currencyList: string[];
  priorityValue: number | null;
  fees: GatewayAccountView['fees'];
}

/** The PATCH body: only the fields that differ from the account as loaded. */
export function changedFields(account: GatewayAccountView, edited: EditedFields): Record<string, unknown> {
  const { enabled, types, methodList, brands, currencyList, priorityValue, fees } = edited;
  const patch: Record<string, unknown> = {};
  if (enabled !== account.enabled) patch.enabled = enabled;
  if (!sameList(types, account.paymentMethodTypes)) patch.payment_method_types = types;
  if (!sameList(methodList, account.paymentMethods)) patch.payment_methods = methodList;
  if (!sameList(brands, account.cardBrands)) patch.card_brands = brands;
  if (!sameList(currencyList, account.currencies)) patch.currencies = currencyList;
  if (priorityValue !== null && priorityValue !== account.priority) patch.priority = priorityValue;
  if (!sameFees(fees, account.fees)) patch.fees = fees;
  return patch;
}
