// Edit one gateway account (ADMIN): enabled, payment method types, payment methods, card brands,
// currencies, priority and the fee model → PATCH /v1/dashboard/gateways/{account_id} with only the
// fields that changed. Server field errors are shown next to their field.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { isCurrency } from '../../../src/core/currencies.ts';
import { ApiError, api } from '../api/client.ts';
import { errorText } from '../analytics/format.ts';
import { feesToRules, rulePrefix, rulesToFees, ruleId, sameFees, type FeeRule, type FeeRuleErrors, type FeeScope } from './fees.ts';
import { CARD_BRANDS, PAYMENT_METHOD_TYPES, normalizeAccount, type GatewayAccountView } from './types.ts';
import './gateways.css';
import { useUnsavedChanges } from '../components/unsaved-changes.tsx';

type Errors = Record<string, string>;

function splitList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    const v = part.trim().toUpperCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p id={id} className="field-error">{message}</p> : null;
}

function Checkboxes({ legend, name, options, value, onChange, error, errorId }: { legend: string; name: string; options: readonly string[]; value: string[]; onChange: (v: string[]) => void; error?: string; errorId: string }) {
  // Values the account has but the form does not know stay listed (and selected).
  const all = [...options, ...value.filter((v) => !options.includes(v))];
  return (
    <fieldset className="field checkbox-group" aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      <p className="muted small">None selected: all.</p>
      <div className="checkbox-grid">
        {all.map((o) => (
          <label key={o} className="checkbox">
            <input
              type="checkbox"
              name={name}
              value={o}
              checked={value.includes(o)}
              onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((v) => v !== o))}
            />{' '}
            {o}
          </label>
        ))}
      </div>
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}

export function GatewayForm({ account, onSaved, onCancel }: { account: GatewayAccountView; onSaved: (updated: GatewayAccountView | null) => void; onCancel: () => void }) {
  const uid = useId();
  const [enabled, setEnabled] = useState(account.enabled);
  const [types, setTypes] = useState<string[]>(account.paymentMethodTypes);
  const [methods, setMethods] = useState(account.paymentMethods.join(', '));
  const [brands, setBrands] = useState<string[]>(account.cardBrands);
  const [currencies, setCurrencies] = useState(account.currencies.join(', '));
  const [priority, setPriority] = useState(account.priority === null ? '' : String(account.priority));
  const initialFees = useState(() => feesToRules(account.fees))[0];
  const [rules, setRules] = useState<FeeRule[]>(initialFees.rules);
  const other = initialFees.other;
  const [errors, setErrors] = useState<Errors>({});
  const [ruleErrors, setRuleErrors] = useState<Record<string, FeeRuleErrors>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Any change from the account as loaded: leaving the form asks first (released on save).
  const dirty =
    enabled !== account.enabled || !sameList(types, account.paymentMethodTypes) || methods !== account.paymentMethods.join(', ') || !sameList(brands, account.cardBrands) ||
    currencies !== account.currencies.join(', ') || priority !== (account.priority === null ? '' : String(account.priority)) || rules !== initialFees.rules;
  const releaseGuard = useUnsavedChanges(dirty);

  const title = `${account.gateway} (${account.accountId})`;
  const id = (name: string) => `${uid}-${name}`;
  const err = (name: string) => errors[name];
  const describedBy = (name: string) => (errors[name] ? id(`${name}-error`) : undefined);

  function updateRule(ruleId_: string, change: Partial<FeeRule>) {
    setRules((list) => list.map((r) => (r.id === ruleId_ ? { ...r, ...change } : r)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setNotice(null);
    const problems: Errors = {};
    const methodList = splitList(methods);
    const badMethod = methodList.find((m) => !/^[A-Z0-9_]{1,64}$/.test(m));
    if (badMethod) problems.payment_methods = `${badMethod} is not a payment method name (use names such as NB_ICICI, PAYTM)`;
    const currencyList = splitList(currencies);
    const badCurrency = currencyList.find((c) => !isCurrency(c));
    if (badCurrency) problems.currencies = `${badCurrency} is not an ISO 4217 currency code`;
    const priorityText = priority.trim();
    let priorityValue: number | null = null;
    if (priorityText === '' && account.priority !== null) problems.priority = 'Enter a priority';
    else if (priorityText !== '') {
      if (!/^\d{1,7}$/.test(priorityText) || Number(priorityText) > 1_000_000) problems.priority = 'must be a whole number from 0 to 1000000';
      else priorityValue = Number(priorityText);
    }
    const fees = rulesToFees(rules, other);
    setErrors(problems);
    setRuleErrors(fees.ok ? {} : fees.errors);
    if (Object.keys(problems).length > 0 || !fees.ok) {
      setFormError('Check the highlighted fields.');
      // Focus the first field in error (page order).
      setTimeout(() => document.querySelector<HTMLElement>('.gateway-form [aria-invalid="true"]')?.focus(), 0);
      return;
    }

    const patch: Record<string, unknown> = {};
    if (enabled !== account.enabled) patch.enabled = enabled;
    if (!sameList(types, account.paymentMethodTypes)) patch.payment_method_types = types;
    if (!sameList(methodList, account.paymentMethods)) patch.payment_methods = methodList;
    if (!sameList(brands, account.cardBrands)) patch.card_brands = brands;
    if (!sameList(currencyList, account.currencies)) patch.currencies = currencyList;
    if (priorityValue !== null && priorityValue !== account.priority) patch.priority = priorityValue;
    if (!sameFees(fees.fees, account.fees)) patch.fees = fees.fees;
    if (Object.keys(patch).length === 0) {
      setNotice('Nothing changed.');
      return;
    }

    setBusy(true);
    try {
      const answer = await api<unknown>(`/v1/dashboard/gateways/${encodeURIComponent(account.accountId)}`, { method: 'PATCH', body: patch });
      const body = answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : null;
      const raw = body ? (body.gateway_account ?? body.account ?? body) : null;
      const updated = raw && typeof raw === 'object' && 'gateway' in raw ? normalizeAccount(raw) : null;
      releaseGuard();
      onSaved(updated);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const server: Errors = {};
        const byRule: Record<string, FeeRuleErrors> = {};
        const unplaced: string[] = [];
        for (const f of e.fields) {
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
        setErrors(server);
        setRuleErrors(byRule);
        setFormError(unplaced.length ? `${e.message} (${unplaced.join('; ')})` : e.message);
      } else {
        setFormError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  }

  const scopeTargets = (scope: FeeScope): readonly string[] | null => (scope === 'type' ? PAYMENT_METHOD_TYPES : scope === 'brand' ? CARD_BRANDS : null);

  return (
    <form className="gateway-form" aria-label={`Edit ${title}`} onSubmit={submit} noValidate>
      <h3>Edit {title}</h3>
      {formError ? <p role="alert" className="field-error">{formError}</p> : null}

      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-describedby={describedBy('enabled')} /> Enabled
        </label>
        <FieldError id={id('enabled-error')} message={err('enabled')} />
      </div>

      <Checkboxes legend="Payment method types" name="payment_method_types" options={account.connector?.paymentMethodTypes.length ? account.connector.paymentMethodTypes : PAYMENT_METHOD_TYPES} value={types} onChange={setTypes} error={err('payment_method_types')} errorId={id('payment_method_types-error')} />

      <div className="field">
        <label htmlFor={id('methods')}>Payment methods</label>
        <input id={id('methods')} value={methods} onChange={(e) => setMethods(e.target.value)} placeholder="e.g. NB_HDFC, PAYTM (empty: all)" aria-invalid={err('payment_methods') ? true : undefined} aria-describedby={describedBy('payment_methods')} />
        <FieldError id={id('payment_methods-error')} message={err('payment_methods')} />
      </div>

      <Checkboxes legend="Card brands" name="card_brands" options={CARD_BRANDS} value={brands} onChange={setBrands} error={err('card_brands')} errorId={id('card_brands-error')} />

      <div className="grid-2">
        <div className="field">
          <label htmlFor={id('currencies')}>Currencies</label>
          <input id={id('currencies')} value={currencies} onChange={(e) => setCurrencies(e.target.value)} placeholder="e.g. INR, USD (empty: all)" aria-invalid={err('currencies') ? true : undefined} aria-describedby={describedBy('currencies')} />
          <FieldError id={id('currencies-error')} message={err('currencies')} />
        </div>
        <div className="field">
          <label htmlFor={id('priority')}>Priority</label>
          <input id={id('priority')} inputMode="numeric" value={priority} onChange={(e) => setPriority(e.target.value)} aria-invalid={err('priority') ? true : undefined} aria-describedby={describedBy('priority')} />
          <p className="muted small">Lower runs first in the default order.</p>
          <FieldError id={id('priority-error')} message={err('priority')} />
        </div>
      </div>

      <fieldset className="field fee-rules" aria-describedby={err('fees') ? id('fees-error') : undefined}>
        <legend>Fees</legend>
        <p className="muted small">
          Percentage of the amount (up to two decimals) plus a fixed fee in minor units (e.g. 300 = 3.00 INR). The most specific rule applies: brand, then method, then type, then default.
        </p>
        <table className="table fee-table">
          <thead>
            <tr>
              <th scope="col">Applies to</th>
              <th scope="col">Value</th>
              <th scope="col">Percentage (%)</th>
              <th scope="col">Fixed fee (minor units)</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule, index) => {
              const re = ruleErrors[rule.id] ?? {};
              const name = rule.scope === 'default' ? 'default' : `rule ${index}`;
              const targets = scopeTargets(rule.scope);
              return (
                <tr key={rule.id} data-testid="fee-rule">
                  <td>
                    {rule.scope === 'default' ? (
                      'Default'
                    ) : (
                      <select aria-label={`Fee ${name}: applies to`} value={rule.scope} onChange={(e) => updateRule(rule.id, { scope: e.target.value as FeeScope, target: '' })}>
                        <option value="type">Payment method type</option>
                        <option value="method">Payment method</option>
                        <option value="brand">Card brand</option>
                      </select>
                    )}
                  </td>
                  <td>
                    {rule.scope === 'default' ? (
                      <span className="muted">any payment</span>
                    ) : targets ? (
                      <select aria-label={`Fee ${name}: value`} value={rule.target} onChange={(e) => updateRule(rule.id, { target: e.target.value })} aria-invalid={re.target ? true : undefined}>
                        <option value="">Choose…</option>
                        {[...targets, ...(rule.target && !targets.includes(rule.target) ? [rule.target] : [])].map((t) => (
                          <option key={t} value={t}>{t}</option>
                        ))}
                      </select>
                    ) : (
                      <input aria-label={`Fee ${name}: value`} value={rule.target} placeholder="NB_HDFC" onChange={(e) => updateRule(rule.id, { target: e.target.value })} aria-invalid={re.target ? true : undefined} />
                    )}
                    {re.target ? <p className="field-error">{re.target}</p> : null}
                  </td>
                  <td>
                    <input aria-label={`Fee ${name}: percentage`} inputMode="decimal" size={7} value={rule.percent} placeholder="1.9" onChange={(e) => updateRule(rule.id, { percent: e.target.value })} aria-invalid={re.percent ? true : undefined} />
                    {re.percent ? <p className="field-error">{re.percent}</p> : null}
                  </td>
                  <td>
                    <input aria-label={`Fee ${name}: fixed fee in minor units`} inputMode="numeric" size={9} value={rule.fixed} placeholder="300" onChange={(e) => updateRule(rule.id, { fixed: e.target.value })} aria-invalid={re.fixed ? true : undefined} />
                    {re.fixed ? <p className="field-error">{re.fixed}</p> : null}
                  </td>
                  <td>
                    {rule.scope === 'default' ? null : (
                      <button type="button" className="btn btn-small" onClick={() => setRules((list) => list.filter((r) => r.id !== rule.id))} aria-label={`Remove fee ${name}`}>
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" className="btn btn-small" onClick={() => setRules((list) => [...list, { id: ruleId(), scope: 'type', target: '', percent: '', fixed: '' }])}>
          Add fee rule
        </button>
        {Object.keys(other).length > 0 ? (
          <p className="muted small">Kept as they are: {Object.entries(other).map(([k, v]) => `${k} = ${v}`).join(', ')}</p>
        ) : null}
        <FieldError id={id('fees-error')} message={err('fees')} />
      </fieldset>

      <Actions>
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save changes'}</button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>Cancel</button>
      </Actions>
      <div role="status" aria-live="polite">{notice}</div>
    </form>
  );
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="toolbar gateway-form-actions">{children}</div>;
}
