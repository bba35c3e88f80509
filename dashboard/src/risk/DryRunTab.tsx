// The Risk page's dry run: a sample payment through the stored setup, its verdict, score and the
// answer of each check. Nothing is counted and no payment is made.
import { useState } from 'react';
import { ApiError } from '../api/client';
import { errorText } from '../analytics/format';
import { FieldErrorList } from '../priority-logic/FieldErrors';
import { toMinor } from '../priority-logic/model';
import { dryRun, type CheckAnswer, type DryRunAnswer } from './api';
import { Reasons } from './Reasons';

const DRY_FIELDS: Array<{ name: string; label: string; placeholder?: string }> = [
  { name: 'payment_method_type', label: 'Payment method type', placeholder: 'CARD' },
  { name: 'card_bin', label: 'Card BIN', placeholder: '411111' },
  { name: 'card_issuer_country', label: 'Card issuer country', placeholder: 'IN' },
  { name: 'card_fingerprint', label: 'Card fingerprint' },
  { name: 'email', label: 'Email' },
  { name: 'customer_id', label: 'Customer id' },
  { name: 'client_ip', label: 'Client IP' },
  { name: 'device_id', label: 'Device id' },
  { name: 'billing_country', label: 'Billing country' },
  { name: 'ip_country', label: 'IP country' },
];

function CheckRows({ checks }: { checks: readonly CheckAnswer[] }) {
  return (
    <table className="table" aria-label="Checks">
      <thead>
        <tr>
          <th>Check</th>
          <th>Answer</th>
          <th className="num">Score</th>
          <th>Reasons</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
          <tr key={`${c.check}-${i}`} data-testid="dry-run-check" data-check={c.check}>
            <td>{c.check}</td>
            <td>
              <span className={`verdict-${c.action}`}>{c.action}</span>
            </td>
            <td className="num">{c.score}</td>
            <td>
              <Reasons reasons={c.reasons} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DryRunTab() {
  const [amount, setAmount] = useState('100.00');
  const [currency, setCurrency] = useState('INR');
  const [fields, setFields] = useState<Record<string, string>>({ payment_method_type: 'CARD' });
  const [answer, setAnswer] = useState<DryRunAnswer | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const reasons = (name: string) => (error instanceof ApiError ? error.fields.filter((f) => f.field_name === name).map((f) => f.reason) : []);

  async function run() {
    setError(null);
    setAnswer(null);
    const minor = toMinor(amount, currency);
    if (minor === null) {
      setError(new ApiError(400, { error_info: { fields: [{ field_name: 'amount', reason: `is not an amount in ${currency}` }] } }, 'Check the amount'));
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = { amount: minor, currency };
      for (const [k, v] of Object.entries(fields)) if (v.trim() !== '') body[k] = v.trim();
      setAnswer(await dryRun(body));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(errorText(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <form
        className="card"
        aria-label="Dry run"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <p className="muted small">A sample payment through the stored setup. Nothing is counted and no payment is made.</p>
        <div className="grid-form">
          <div className="field">
            <label>
              Amount
              <input type="text" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </label>
            <FieldErrorList messages={reasons('amount')} testId="error-amount" />
          </div>
          <div className="field">
            <label>
              Currency
              <input type="text" value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
            </label>
            <FieldErrorList messages={reasons('currency')} />
          </div>
          {DRY_FIELDS.map((f) => (
            <div className="field" key={f.name}>
              <label>
                {f.label}
                <input type="text" placeholder={f.placeholder} value={fields[f.name] ?? ''} onChange={(e) => setFields({ ...fields, [f.name]: e.target.value })} />
              </label>
              <FieldErrorList messages={reasons(f.name)} testId={`error-${f.name}`} />
            </div>
          ))}
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Run
        </button>
      </form>
      {error ? (
        <p role="alert" className="field-error">
          {errorText(error)}
        </p>
      ) : null}
      {answer ? (
        <div className="card stack" data-testid="dry-run-result">
          <h2>
            Verdict:{' '}
            <span className={`verdict-${answer.action}`} data-testid="dry-run-verdict">
              {answer.action}
            </span>
          </h2>
          <p>
            Score {answer.score}
            {answer.code ? (
              <>
                {' '}
                · code <code>{answer.code}</code>
              </>
            ) : null}
            {answer.allowlisted ? ' · allowlisted' : ''}
          </p>
          <Reasons reasons={answer.reasons} />
          <CheckRows checks={answer.checks} />
        </div>
      ) : null}
    </div>
  );
}
