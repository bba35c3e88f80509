// Edit one gateway account (ADMIN): enabled, payment method types, payment methods, card brands,
// currencies, priority and the fee model → PATCH /v1/dashboard/gateways/{account_id} with only the
// fields that changed. Server field errors are shown next to their field.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, api } from '../api/client.ts';
import { errorText } from '../analytics/format.ts';
import { feesToRules, rulesToFees, type FeeRule, type FeeRuleErrors } from './fees.ts';
import { FeeRulesEditor } from './FeeRulesEditor.tsx';
import { FieldError } from './FieldError.tsx';
import { changedFields, checkFields, placeServerErrors, sameList, type Errors } from './gateway-form-checks.ts';
import { CARD_BRANDS, PAYMENT_METHOD_TYPES, normalizeAccount, type GatewayAccountView } from './types.ts';
import './gateways.css';
import { useUnsavedChanges } from '../components/unsaved-changes.tsx';

function Checkboxes({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  errorId,
}: {
  legend: string;
  name: string;
  options: readonly string[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  errorId: string;
}) {
  // Values the account has but the form does not know stay listed (and selected).
  const all = [...options, ...value.filter((v) => !options.includes(v))];
  return (
    <fieldset className="field checkbox-group" aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      <p className="muted small">None selected: all.</p>
      <div className="checkbox-grid">
        {all.map((o) => (
          <label key={o} className="checkbox">
            <input type="checkbox" name={name} value={o} checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((v) => v !== o))} /> {o}
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
  const dirty = differsFrom(account, { enabled, types, methods, brands, currencies, priority }) || rules !== initialFees.rules;
  const releaseGuard = useUnsavedChanges(dirty);

  const title = `${account.gateway} (${account.accountId})`;
  const id = (name: string) => `${uid}-${name}`;
  const err = (name: string) => errors[name];
  const describedBy = (name: string) => (errors[name] ? id(`${name}-error`) : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setNotice(null);
    const { problems, methodList, currencyList, priorityValue } = checkFields(methods, currencies, priority, account.priority);
    const fees = rulesToFees(rules, other);
    setErrors(problems);
    setRuleErrors(fees.ok ? {} : fees.errors);
    if (Object.keys(problems).length > 0 || !fees.ok) {
      setFormError('Check the highlighted fields.');
      // Focus the first field in error (page order).
      setTimeout(() => document.querySelector<HTMLElement>('.gateway-form [aria-invalid="true"]')?.focus(), 0);
      return;
    }

    const patch = changedFields(account, { enabled, types, methodList, brands, currencyList, priorityValue, fees: fees.fees });
    if (Object.keys(patch).length === 0) {
      setNotice('Nothing changed.');
      return;
    }

    setBusy(true);
    try {
      const updated = await saveAccount(account.accountId, patch);
      releaseGuard();
      onSaved(updated);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const { server, byRule, unplaced } = placeServerErrors(e.fields, rules);
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

  return (
    <form className="gateway-form" aria-label={`Edit ${title}`} onSubmit={submit} noValidate>
      <h3>Edit {title}</h3>
      {formError ? (
        <p role="alert" className="field-error">
          {formError}
        </p>
      ) : null}

      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-describedby={describedBy('enabled')} /> Enabled
        </label>
        <FieldError id={id('enabled-error')} message={err('enabled')} />
      </div>

      <Checkboxes
        legend="Payment method types"
        name="payment_method_types"
        options={account.connector?.paymentMethodTypes.length ? account.connector.paymentMethodTypes : PAYMENT_METHOD_TYPES}
        value={types}
        onChange={setTypes}
        error={err('payment_method_types')}
        errorId={id('payment_method_types-error')}
      />

      <TextField id={id('methods')} label="Payment methods" value={methods} onChange={setMethods} placeholder="e.g. NB_HDFC, PAYTM (empty: all)" error={err('payment_methods')} />

      <Checkboxes legend="Card brands" name="card_brands" options={CARD_BRANDS} value={brands} onChange={setBrands} error={err('card_brands')} errorId={id('card_brands-error')} />

      <div className="grid-2">
        <TextField id={id('currencies')} label="Currencies" value={currencies} onChange={setCurrencies} placeholder="e.g. INR, USD (empty: all)" error={err('currencies')} />
        <TextField id={id('priority')} label="Priority" value={priority} onChange={setPriority} numeric hint="Lower runs first in the default order." error={err('priority')} />
      </div>

      <FeeRulesEditor rules={rules} setRules={setRules} ruleErrors={ruleErrors} other={other} error={err('fees')} errorId={id('fees-error')} />

      <Actions>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </Actions>
      <div role="status" aria-live="polite">
        {notice}
      </div>
    </form>
  );
}

/** Whether the form's fields differ from the account as loaded (the fee rules are compared apart). */
function differsFrom(account: GatewayAccountView, f: { enabled: boolean; types: string[]; methods: string; brands: string[]; currencies: string; priority: string }): boolean {
  return (
    f.enabled !== account.enabled ||
    !sameList(f.types, account.paymentMethodTypes) ||
    f.methods !== account.paymentMethods.join(', ') ||
    !sameList(f.brands, account.cardBrands) ||
    f.currencies !== account.currencies.join(', ') ||
    f.priority !== (account.priority === null ? '' : String(account.priority))
  );
}

/** PATCHes the account; its answer as the list shows it (null when the answer holds none). */
async function saveAccount(accountId: string, patch: Record<string, unknown>): Promise<GatewayAccountView | null> {
  const answer = await api<unknown>(`/v1/dashboard/gateways/${encodeURIComponent(accountId)}`, { method: 'PATCH', body: patch });
  const body = answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : null;
  const raw = body ? (body.gateway_account ?? body.account ?? body) : null;
  return raw && typeof raw === 'object' && 'gateway' in raw ? normalizeAccount(raw) : null;
}

/** A labelled text input with its hint and its error (the error described by the input, which is marked invalid). */
function TextField({
  id,
  label,
  value,
  onChange,
  placeholder,
  numeric,
  hint,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  numeric?: boolean;
  hint?: string;
  error?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode={numeric ? 'numeric' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {hint ? <p className="muted small">{hint}</p> : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="toolbar gateway-form-actions">{children}</div>;
}
