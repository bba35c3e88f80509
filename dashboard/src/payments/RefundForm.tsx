// Refund an order (ADMIN): amount as the API's decimal string in the order's currency (never a
// float) and a generated unique_request_id, kept across retries of the same refund so a repeated
// submit cannot refund twice; a new one is generated after a refund is accepted. A refund is asked
// for confirmation first (it moves money back and cannot be undone); a typed amount is guarded
// against leaving the page.
import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api/client.ts';
import { errorText } from '../analytics/format.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useUnsavedChanges } from '../components/unsaved-changes.tsx';
import { currencyExponent, decimalToMinor, formatMoney } from '../format/money.ts';

function newRequestId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `rfnd_${Date.now().toString(36)}_${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Checks a decimal amount string for a currency; returns the reason it is wrong, or null. */
function amountProblem(text: string, currency: string): string | null {
  const value = text.trim();
  if (value === '') return 'Enter the amount to refund';
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(value);
  if (!m) return 'must be a decimal number such as 100.50';
  const exponent = currencyExponent(currency);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return `must have at most ${exponent} decimal places for ${currency}`;
  if (/^0*$/.test(m[1]!) && fraction === '') return 'must be greater than zero';
  return null;
}

export function RefundForm({ orderId, currency, onRefunded }: { orderId: string; currency: string; onRefunded: () => void }) {
  const [amount, setAmount] = useState('');
  const [requestId, setRequestId] = useState(newRequestId);
  const [busy, setBusy] = useState(false);
  const [amountError, setAmountError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  useUnsavedChanges(amount.trim() !== '');
  const shown = (text: string) => {
    const minor = decimalToMinor(text.trim(), currency);
    return minor === null ? `${text.trim()} ${currency}` : formatMoney(minor, currency);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    const problem = amountProblem(amount, currency);
    setAmountError(problem);
    if (problem) {
      document.getElementById('refund-amount')?.focus();
      return;
    }
    setConfirming(true);
  }

  async function refund() {
    setBusy(true);
    try {
      // The answer is the order as after the refund (GET /v1/dashboard/orders/{id}): our refund's status is in its refunds.
      const answer = await api<{ refunds?: Array<{ unique_request_id?: string; status?: string }> } | null>(`/v1/dashboard/orders/${encodeURIComponent(orderId)}/refunds`, {
        method: 'POST',
        body: { amount: amount.trim(), unique_request_id: requestId },
      });
      const status = answer?.refunds?.find((r) => r.unique_request_id === requestId)?.status ?? null;
      setDone(`Refund of ${shown(amount)} requested${status ? ` (${status})` : ''}.`);
      setAmount('');
      setRequestId(newRequestId());
      onRefunded();
    } catch (e) {
      if (e instanceof ApiError && (e.fieldReason('amount') || e.fieldReason('unique_request_id'))) {
        setAmountError(e.fieldReason('amount') ?? null);
        if (!e.fieldReason('amount')) setError(`Request id ${e.fieldReason('unique_request_id')}`);
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <form className="refund-form" aria-labelledby="refund-heading" onSubmit={submit} noValidate>
      <h3 id="refund-heading">Refund this order</h3>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="refund-amount">Refund amount ({currency})</label>
          <input
            id="refund-amount"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder="100.00"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? 'refund-amount-error' : undefined}
          />
          {amountError ? (
            <p id="refund-amount-error" className="field-error" data-testid="refund-amount-error">
              {amountError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="refund-request-id">Request id</label>
          <input id="refund-request-id" value={requestId} readOnly size={34} />
        </div>
        <button type="submit" className="btn btn-danger" disabled={busy}>
          {busy ? 'Refunding…' : 'Refund'}
        </button>
      </div>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {done}
      </div>
      <ConfirmDialog open={confirming} title={`Refund ${shown(amount)}?`} confirmLabel="Refund" danger busy={busy} onCancel={() => setConfirming(false)} onConfirm={() => void refund()}>
        <p>
          {shown(amount)} of order {orderId} goes back to the customer. A refund cannot be undone.
        </p>
      </ConfirmDialog>
    </form>
  );
}
