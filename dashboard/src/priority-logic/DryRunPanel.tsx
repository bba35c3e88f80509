// "Test against a sample payment": runs a stored logic or the draft being edited through the
// engine (POST /v1/priority-logics/dry-run; nothing is stored) and shows the trace: which rule
// matched, why each earlier rule did not (actual against expected), and the final gateway list.
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { dryRun } from './api';
import { locatedReason } from './model';
import type { DryRunResult, LogicInput } from './types';
import type { DecisionFailureReason } from '../../../src/routing/decision-record.ts';
import type { PaymentMethodType } from '../../../src/core/payment-methods.ts';
import { RequestErrorAlert } from '../components/ErrorState';
import { GatewayChain } from './LogicDefinitionView';

/** The payment method types offered first for a sample payment: engine names (checked by the compiler). */
const SAMPLE_METHOD_TYPES = ['CARD', 'UPI', 'NB', 'WALLET', 'EMI', 'CONSUMER_FINANCE'] as const satisfies readonly PaymentMethodType[];

export type DryRunSource = { logic_id: string } | { logic: LogicInput };

interface Sample {
  payment_method_type: string;
  card: string;
  card_brand: string;
  card_type: string;
  card_issuer: string;
  card_issuer_country: string;
  amount: string;
  currency: string;
  payment_method: string;
  upi_app: string;
  txn_type: string;
  wallet: string;
  bank: string;
  preferred_gateway: string;
  order_id: string;
  udf1: string;
  udf2: string;
  udf3: string;
  udf4: string;
  udf5: string;
  metadata: string;
  billing_country: string;
  is_emi: boolean;
  emi_bank: string;
  emi_tenure: string;
  time: string;
}

const INITIAL: Sample = {
  payment_method_type: 'CARD',
  card: '4111111111111111',
  card_brand: '',
  card_type: '',
  card_issuer: '',
  card_issuer_country: '',
  amount: '100.00',
  currency: 'INR',
  payment_method: '',
  upi_app: '',
  txn_type: '',
  wallet: '',
  bank: '',
  preferred_gateway: '',
  order_id: '',
  udf1: '',
  udf2: '',
  udf3: '',
  udf4: '',
  udf5: '',
  metadata: '',
  billing_country: '',
  is_emi: false,
  emi_bank: '',
  emi_tenure: '',
  time: '',
};

/** The sample form → the dry run's payment (the EC API's words). */
function samplePaymentOf(s: Sample): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  const put = (k: string, v: string) => {
    if (v.trim() !== '') p[k] = v.trim();
  };
  put('payment_method_type', s.payment_method_type);
  const digits = s.card.replace(/\D/g, '');
  if (s.payment_method_type === 'CARD' && digits) {
    if (digits.length > 8) p.card_number = digits;
    else p.card_bin = digits;
  }
  for (const k of [
    'card_brand',
    'card_type',
    'card_issuer',
    'card_issuer_country',
    'amount',
    'currency',
    'payment_method',
    'upi_app',
    'txn_type',
    'wallet',
    'bank',
    'preferred_gateway',
    'order_id',
    'udf1',
    'udf2',
    'udf3',
    'udf4',
    'udf5',
    'billing_country',
    'emi_bank',
  ] as const) {
    put(k, s[k]);
  }
  if (s.is_emi) p.is_emi = true;
  if (s.emi_tenure.trim()) p.emi_tenure = Number(s.emi_tenure);
  const meta: Record<string, string> = {};
  for (const line of s.metadata.split(/[\n,]/)) {
    const m = /^\s*([^=:]+?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) meta[m[1]!] = m[2]!;
  }
  if (Object.keys(meta).length) p.metadata = meta;
  const t = /^(\d{1,2}):(\d{2})$/.exec(s.time.trim());
  if (t) {
    const now = new Date();
    p.now_millis = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(t[1]), Number(t[2]));
  }
  return p;
}

const show = (v: unknown): string => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

export function DryRunPanel({ source, title = 'Test against a sample payment' }: { source: () => DryRunSource | null; title?: string }) {
  const [sample, setSample] = useState<Sample>(INITIAL);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<{ message: string; fields: string[] } | null>(null);
  const base = useId();

  const field = (key: keyof Sample, label: string, opts: { placeholder?: string; list?: readonly string[] } = {}) => {
    const id = `${base}-${key}`;
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {opts.list ? (
          <select id={id} value={String(sample[key])} onChange={(e) => setSample({ ...sample, [key]: e.target.value })}>
            {opts.list.map((o) => (
              <option key={o} value={o}>
                {o || '(any)'}
              </option>
            ))}
          </select>
        ) : (
          <input id={id} type="text" placeholder={opts.placeholder} value={String(sample[key])} onChange={(e) => setSample({ ...sample, [key]: e.target.value })} />
        )}
      </div>
    );
  };

  const run = async (e: FormEvent) => {
    e.preventDefault();
    const src = source();
    if (!src) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await dryRun(src, samplePaymentOf(sample)));
    } catch (err) {
      setResult(null);
      if (err instanceof ApiError)
        setError({ message: err.status >= 500 ? 'Something went wrong. Please try again' : err.message, fields: err.fields.map((f) => locatedReason(f.field_name, f.reason)) });
      else setError({ message: 'Something went wrong. Please try again', fields: [] });
    } finally {
      setBusy(false);
    }
  };

  const pmt = sample.payment_method_type;
  return (
    <section className="card" aria-labelledby={`${base}-title`} data-testid="dry-run">
      <h2 id={`${base}-title`}>{title}</h2>
      <p className="muted small">Runs the logic through the routing engine with this sample payment. Nothing is stored and no payment is made.</p>
      <form onSubmit={run}>
        <div className="grid-3">
          {field('payment_method_type', 'Payment method type', { list: SAMPLE_METHOD_TYPES })}
          {pmt === 'CARD' ? field('card', 'Card number or BIN', { placeholder: '4111111111111111' }) : field('payment_method', 'Payment method', { placeholder: 'e.g. GOOGLEPAY, HDFC' })}
          {field('amount', 'Amount', { placeholder: '100.00' })}
          {field('currency', 'Currency', { placeholder: 'INR' })}
          {pmt === 'CARD' ? field('card_issuer', 'Card issuer', { placeholder: 'derived from the BIN' }) : null}
          {pmt === 'CARD' ? field('card_brand', 'Card brand', { placeholder: 'derived from the BIN' }) : null}
          {pmt === 'UPI' ? field('upi_app', 'UPI app', { placeholder: 'GOOGLEPAY' }) : null}
          {pmt === 'UPI' ? field('txn_type', 'UPI transaction type', { placeholder: 'COLLECT' }) : null}
          {pmt === 'WALLET' ? field('wallet', 'Wallet', { placeholder: 'PAYTM' }) : null}
          {pmt === 'NB' ? field('bank', 'Bank', { placeholder: 'HDFC' }) : null}
          {field('udf1', 'UDF 1')}
        </div>
        <div style={{ marginBottom: 12 }}>
          <button type="button" className="btn-link small" aria-expanded={more} onClick={() => setMore(!more)}>
            {more ? 'Fewer fields' : 'More fields'}
          </button>
        </div>
        {more ? (
          <div className="grid-3">
            {pmt === 'CARD' ? field('card_type', 'Card type', { placeholder: 'CREDIT' }) : null}
            {pmt === 'CARD' ? field('card_issuer_country', 'Card issuer country', { placeholder: 'IN' }) : null}
            {field('billing_country', 'Billing country', { placeholder: 'IN' })}
            {field('preferred_gateway', 'Preferred gateway', { placeholder: 'SIM_ALPHA' })}
            {field('order_id', 'Order ID', { placeholder: 'dry_run_order' })}
            {field('time', 'Time of day (UTC)', { placeholder: 'HH:MM' })}
            {field('udf2', 'UDF 2')}
            {field('udf3', 'UDF 3')}
            {field('udf4', 'UDF 4')}
            {field('udf5', 'UDF 5')}
            {field('metadata', 'Metadata (key=value, comma-separated)', { placeholder: 'channel=app' })}
            <div className="field inline">
              <input id={`${base}-emi`} type="checkbox" checked={sample.is_emi} onChange={(e) => setSample({ ...sample, is_emi: e.target.checked })} />
              <label htmlFor={`${base}-emi`}>EMI payment</label>
            </div>
            {sample.is_emi ? field('emi_bank', 'EMI bank') : null}
            {sample.is_emi ? field('emi_tenure', 'EMI tenure (months)') : null}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Running…' : 'Run test'}
        </button>
      </form>
      {error ? <RequestErrorAlert error={error} /> : null}
      {result ? <DryRunTrace result={result} /> : null}
    </section>
  );
}

function DryRunTrace({ result }: { result: DryRunResult }) {
  const d = result.decision;
  const failed = d.primary?.status === 'FAILURE';
  return (
    <div className="stack" style={{ marginTop: 16 }} data-testid="dry-run-result" aria-live="polite">
      <h3>Result</h3>
      {result.validation_errors.length ? (
        <div className="alert alert-warning">
          This draft would not save as it is:
          <ul>
            {result.validation_errors.map((v) => (
              <li key={`${v.field}-${v.message}`}>{locatedReason(v.field, v.message)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {failed ? (
        <div className="alert alert-error" data-testid="dry-run-failure">
          The logic failed: <strong>{d.primary.failure_reason}</strong>
          {d.primary.message ? ` — ${d.primary.message}` : ''}
          {d.fallback ? ` (fallback ${d.fallback.name}: ${d.fallback.status})` : ''}. The Default gateways decide.
        </div>
      ) : null}
      <p data-testid="dry-run-matched">
        {result.matched_rule ? (
          <>
            Matched rule: <strong>{`Rule ${result.matched_rule.index + 1}`}</strong> ({result.matched_rule.name})
          </>
        ) : d.logic?.kind === 'RULES' ? (
          <>No rule matched: the Default gateways are used.</>
        ) : (
          <>Outcome: {d.evaluationStatus}</>
        )}
      </p>
      {result.rules.length ? (
        <div>
          {result.rules.map((r) => (
            <div key={r.index} className={`trace-rule ${r.matched ? 'matched' : 'failed'}`} data-testid={`trace-rule-${r.index}`}>
              <div className="row">
                <strong>
                  Rule {r.index + 1}: {r.name}
                </strong>
                <span className={`badge ${r.matched ? 'badge-success' : 'badge-inactive'}`}>{r.matched ? 'matched' : 'did not match'}</span>
              </div>
              {r.failedLeaves.length ? (
                <ul className="small" style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                  {r.failedLeaves.map((l) => (
                    <li key={l.path}>
                      {l.dimension} {l.operator} {show(l.expected)}: actual {show(l.actual)}
                      {l.note ? ` (${l.note})` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ))}
        </div>
      ) : null}
      <dl className="detail-list">
        <dt>Produced list</dt>
        <dd>
          <GatewayChain list={d.producedList ?? []} />
        </dd>
        <dt>Enforced</dt>
        <dd>{d.enforced ? 'Yes: no fallback to other gateways' : 'No: the Default gateways follow as fallback'}</dd>
        {d.preferredGateway ? (
          <>
            <dt>Preferred gateway</dt>
            <dd>
              {d.preferredGateway.gateway}: {d.preferredGateway.applied ? 'moved first' : `not applied${d.preferredGateway.reason ? ` (${d.preferredGateway.reason})` : ''}`}
            </dd>
          </>
        ) : null}
        {d.eligibilityDrops?.length ? (
          <>
            <dt>Dropped</dt>
            <dd>
              {d.eligibilityDrops.map((x) => (
                <div key={`${x.gateway}-${x.gatewayReferenceId ?? ''}`} className="small">
                  {x.gateway}: {x.reason}
                </div>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Final gateways</dt>
        <dd data-testid="dry-run-final">
          {(d.finalGateways ?? []).length > 0 || !d.failureReason ? <GatewayChain list={d.finalGateways ?? []} /> : null}
          {d.failureReason ? (
            <span className="dry-run-outcome" data-testid="dry-run-outcome">
              {FAILURE_TEXT[d.failureReason] ?? 'No gateway is left to try.'} <span className="badge badge-failure">{d.failureReason}</span>
            </span>
          ) : null}
        </dd>
      </dl>
    </div>
  );
}

/** The outcome of a decision that left no gateway, said in words (the code follows as a badge). */
const FAILURE_TEXT: Record<DecisionFailureReason, string> = {
  NULL_AFTER_ENFORCE: 'No gateway to try: the logic is enforced and none of its own gateways is eligible, so the payment would fail without falling back.',
  NO_ELIGIBLE_GATEWAY: 'No gateway to try: none of the gateways is eligible for this payment.',
};
