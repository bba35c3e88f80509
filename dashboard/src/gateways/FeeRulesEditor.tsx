// The fee rules of a gateway account: a default, and rules by payment method type, payment method
// or card brand, each a percentage plus a fixed fee in minor units.
import type { Dispatch, SetStateAction } from 'react';
import { ruleId, type FeeRule, type FeeRuleErrors, type FeeScope } from './fees.ts';
import { CARD_BRANDS, PAYMENT_METHOD_TYPES } from './types.ts';
import { FieldError } from './FieldError.tsx';

const scopeTargets = (scope: FeeScope): readonly string[] | null => (scope === 'type' ? PAYMENT_METHOD_TYPES : scope === 'brand' ? CARD_BRANDS : null);

interface FeeRulesEditorProps {
  rules: FeeRule[];
  setRules: Dispatch<SetStateAction<FeeRule[]>>;
  ruleErrors: Record<string, FeeRuleErrors>;
  /** Fee keys the editor does not know, kept as they are. */
  other: Readonly<Record<string, number>>;
  error: string | undefined;
  errorId: string;
}

export function FeeRulesEditor({ rules, setRules, ruleErrors, other, error, errorId }: FeeRulesEditorProps) {
  function updateRule(ruleId_: string, change: Partial<FeeRule>) {
    setRules((list) => list.map((r) => (r.id === ruleId_ ? { ...r, ...change } : r)));
  }
  return (
    <fieldset className="field fee-rules" aria-describedby={error ? errorId : undefined}>
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
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
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
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      aria-label={`Fee ${name}: value`}
                      value={rule.target}
                      placeholder="NB_HDFC"
                      onChange={(e) => updateRule(rule.id, { target: e.target.value })}
                      aria-invalid={re.target ? true : undefined}
                    />
                  )}
                  {re.target ? <p className="field-error">{re.target}</p> : null}
                </td>
                <td>
                  <input
                    aria-label={`Fee ${name}: percentage`}
                    inputMode="decimal"
                    size={7}
                    value={rule.percent}
                    placeholder="1.9"
                    onChange={(e) => updateRule(rule.id, { percent: e.target.value })}
                    aria-invalid={re.percent ? true : undefined}
                  />
                  {re.percent ? <p className="field-error">{re.percent}</p> : null}
                </td>
                <td>
                  <input
                    aria-label={`Fee ${name}: fixed fee in minor units`}
                    inputMode="numeric"
                    size={9}
                    value={rule.fixed}
                    placeholder="300"
                    onChange={(e) => updateRule(rule.id, { fixed: e.target.value })}
                    aria-invalid={re.fixed ? true : undefined}
                  />
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
        <p className="muted small">
          Kept as they are:{' '}
          {Object.entries(other)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}
