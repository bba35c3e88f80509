// The Backtest tab of a logic (issue 17, item 4): pick a window of past payments, run the logic on
// them (POST /v1/priority-logics/:id/backtests), follow the job's progress (polling), then read the
// report: what happened against the logic's estimate per gateway and payment method, with 95%
// intervals and the plain statement that the logic's figures are estimates; the traffic that
// would move; and the moved payments with both decisions side by side.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ApiError } from '../api/client';
import { formatMoney } from '../format/money';
import { getBacktest, listBacktests, startBacktest, type Backtest, type BacktestGroup, type BacktestReport, type DecisionRecord, type MovedPayment, type RateInterval } from './backtest-api';

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${x.toFixed(2)}%`);
const points = (x: number): string => `${x > 0 ? '+' : ''}${x.toFixed(2)} pts`;

function Rate({ r, diff = false }: { r: RateInterval | null | undefined; diff?: boolean }) {
  if (!r) return <span className="muted">—</span>;
  const f = diff ? points : pct;
  return (
    <span>
      {f(r.estimate)}{' '}
      <span className="muted small">
        ({f(r.low)} to {f(r.high)})
      </span>
    </span>
  );
}

const running = (b: Backtest | null): boolean => b !== null && (b.status === 'QUEUED' || b.status === 'RUNNING');

/** A decision in a few words: the logic, how it decided, and the gateways it leaves to try. */
function DecisionSummary({ d, gateway }: { d: DecisionRecord | null; gateway: string | null }) {
  const logic = (d?.logic ?? {}) as { name?: string; version?: number };
  const finals = (Array.isArray(d?.finalGateways) ? d.finalGateways : Array.isArray(d?.final_gateways) ? d.final_gateways : []) as unknown[];
  const names = finals.map((g) => (typeof g === 'string' ? g : String((g as { gateway?: string }).gateway ?? '')));
  const rule = d?.matchedRule as { name?: string } | undefined;
  const status = String(d?.evaluationStatus ?? d?.evaluation_status ?? '');
  const drops = (Array.isArray(d?.eligibilityDrops) ? d.eligibilityDrops : Array.isArray(d?.eligibility_drops) ? d.eligibility_drops : []) as { gateway?: string; reason?: string }[];
  return (
    <div>
      <strong>{gateway ?? 'No gateway'}</strong>
      <div className="muted small">
        {logic.name ?? 'Default ordering'}
        {logic.version !== undefined ? ` v${logic.version}` : ''} · {status}
        {rule?.name ? ` · rule "${rule.name}"` : ''}
      </div>
      <div className="small">Final gateways: {names.length ? names.join(' → ') : '(none)'}</div>
      {drops.length ? <div className="small">Dropped: {drops.map((x) => `${x.gateway ?? '?'} (${x.reason ?? '?'})`).join(', ')}</div> : null}
      {d ? (
        <details className="small">
          <summary>Decision record</summary>
          <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxWidth: 420, fontSize: 11 }}>{JSON.stringify(d, null, 2)}</pre>
        </details>
      ) : null}
    </div>
  );
}

function GroupTable({ title, groups, testId }: { title: string; groups: BacktestGroup[]; testId: string }) {
  return (
    <>
      <h3>{title}</h3>
      <div className="table-scroll">
        <table className="table" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{title.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase())}</th>
              <th scope="col">Payments</th>
              <th scope="col">Moved</th>
              <th scope="col">Actual success (95% interval)</th>
              <th scope="col">Estimated with this logic (95% interval)</th>
              <th scope="col">Difference</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.key}</th>
                <td>{g.payments}</td>
                <td>{g.moved}</td>
                <td>
                  <Rate r={g.actual_success_rate} />
                </td>
                <td>
                  <Rate r={g.draft_success_rate} />
                </td>
                <td>
                  <Rate r={g.difference} diff />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function MovedRow({ m }: { m: MovedPayment }) {
  return (
    <tr>
      <td>
        <div>{m.order_id}</div>
        <div className="muted small">{new Date(m.created_at).toISOString().replace('T', ' ').slice(0, 19)} UTC</div>
      </td>
      <td>{formatMoney(m.amount_minor, m.currency)}</td>
      <td>
        {m.payment_method_type}
        {m.payment_method ? ` · ${m.payment_method}` : ''}
      </td>
      <td>
        {m.success ? 'Succeeded' : 'Failed'} <span className="muted small">({m.status})</span>
      </td>
      <td data-testid="moved-actual">
        <DecisionSummary d={m.actual.decision} gateway={m.actual.gateway} />
      </td>
      <td data-testid="moved-draft">
        <DecisionSummary d={m.draft.decision} gateway={m.draft.gateway} />
      </td>
    </tr>
  );
}

function Report({ r }: { r: BacktestReport }) {
  const t = r.totals;
  return (
    <div data-testid="backtest-report">
      <p className="alert alert-info" role="note" data-testid="backtest-statement">
        <strong>Estimates.</strong> {r.statement}
      </p>
      <p data-testid="backtest-summary">
        {r.payments} payments replayed; this logic routes <strong>{r.moved}</strong> of them differently
        {r.payments ? ` (${((100 * r.moved) / r.payments).toFixed(2)}%)` : ''}. Actual success <Rate r={t.actual_success_rate} />
        {'; '}estimated with this logic <Rate r={t.draft_success_rate} />
        {'; '}
        difference <Rate r={t.difference} diff />.
      </p>
      <p className="muted small">
        Moved payments by how their estimate is supported: {t.supported} supported by a randomised history, {t.model_only} from the success-rate model only, {t.extrapolated} extrapolated (no outcome
        of that gateway for such payments yet: the interval takes the worst case).
        {r.skipped ? ` ${r.skipped} payments without a readable decision were skipped.` : ''}
      </p>
      <h3>Traffic that would move</h3>
      {r.flows.length === 0 ? (
        <p className="muted">No payment would be routed differently.</p>
      ) : (
        <ul data-testid="backtest-flows">
          {r.flows.map((f) => (
            <li key={`${f.from}-${f.to}`}>
              {f.from ?? '(none)'} → {f.to ?? 'no gateway'}: {f.count} ({pct(f.share)})
            </li>
          ))}
        </ul>
      )}
      <h3>By gateway</h3>
      <div className="table-scroll">
        <table className="table" data-testid="backtest-gateways">
          <thead>
            <tr>
              <th scope="col">Gateway</th>
              <th scope="col">Actual payments</th>
              <th scope="col">Actual success (95% interval)</th>
              <th scope="col">With this logic</th>
              <th scope="col">Estimated success (95% interval)</th>
              <th scope="col">Moved in / out</th>
            </tr>
          </thead>
          <tbody>
            {r.by_gateway.map((g) => (
              <tr key={g.gateway}>
                <th scope="row">{g.gateway}</th>
                <td>
                  {g.actual.payments} ({pct(g.actual.share)})
                </td>
                <td>
                  <Rate r={g.actual.success_rate} />
                </td>
                <td>
                  {g.draft.payments} ({pct(g.draft.share)})
                </td>
                <td>
                  <Rate r={g.draft.success_rate} />
                </td>
                <td>
                  +{g.moved_in} / −{g.moved_out}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <GroupTable title="By payment method type" groups={r.by_payment_method_type} testId="backtest-methods" />
      {r.by_segment.length > 1 ? <GroupTable title="By segment" groups={r.by_segment} testId="backtest-segments" /> : null}
      {r.cost.by_currency.length > 0 ? (
        <>
          <h3>Fees</h3>
          <ul data-testid="backtest-cost">
            {r.cost.by_currency.map((c) => (
              <li key={c.currency}>
                {c.currency}: {formatMoney(c.actual_fees_minor, c.currency)} as routed, {formatMoney(c.draft_fees_minor, c.currency)} with this logic ({c.difference_minor >= 0 ? '+' : '−'}
                {formatMoney(Math.abs(c.difference_minor), c.currency)}) over {c.payments} payments at the accounts' fee schedules
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Moved payments</h3>
      {r.moved_sample.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <>
          <p className="muted small">
            The first {r.moved_sample.length} of {r.moved} moved payments (at most {r.moved_sample_limit}), the decision that was made beside this logic's.
          </p>
          <div className="table-scroll">
            <table className="table" data-testid="backtest-moved">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Method</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Actual decision</th>
                  <th scope="col">This logic's decision</th>
                </tr>
              </thead>
              <tbody>
                {r.moved_sample.map((m) => (
                  <MovedRow key={m.txn_uuid} m={m} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

export function BacktestTab({ logicId, canRun, pollMs = 1_000, now = () => Date.now() }: { logicId: string; canRun: boolean; pollMs?: number; now?: () => number }) {
  const base = useId();
  const [from, setFrom] = useState(() => isoDay(now() - 7 * DAY_MS));
  const [to, setTo] = useState(() => isoDay(now()));
  // The job shown: the one just started, else the logic's latest (through the data layer, polled while it runs).
  const [startedId, setStartedId] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; fields: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const recent = useApiQuery(queryKeys.priorityLogic.backtests(logicId), (signal) => listBacktests(logicId, signal));
  const shownId = startedId ?? recent.data?.backtests[0]?.id ?? null;
  const [followed, setFollowed] = useState<Backtest | null>(null);
  const detail = useApiQuery(queryKeys.priorityLogic.backtest(shownId ?? ''), (signal) => getBacktest(shownId ?? '', signal), {
    enabled: shownId !== null,
    refetchInterval: running(followed) ? pollMs : false,
  });
  const backtest = detail.data && detail.data.id === shownId ? detail.data : null;
  useEffect(() => setFollowed(backtest), [backtest]);
  const readError = detail.error ? { message: 'Could not read the backtest. Please try again', fields: [] } : null;

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      // Whole UTC days: from the start of the first to the end of the last.
      const fromIso = `${from}T00:00:00.000Z`;
      const toIso = new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString();
      const started = await startBacktest(logicId, fromIso, toIso);
      setFollowed(started);
      setStartedId(started.id);
    } catch (err) {
      if (err instanceof ApiError) setError({ message: err.message, fields: err.fields.map((f) => `${f.field_name}: ${f.reason}`) });
      else setError({ message: 'Something went wrong. Please try again', fields: [] });
    } finally {
      setBusy(false);
    }
  };

  const b = backtest;
  return (
    <section className="card" aria-labelledby={`${base}-title`} data-testid="backtest">
      <h2 id={`${base}-title`}>Backtest</h2>
      <p className="muted small">
        Replays this logic on the payments of a past window (at most 90 days): which would have gone elsewhere, and how the success rate and fees would likely have changed. Nothing is changed and no
        payment is made.
      </p>
      {canRun ? (
        <form onSubmit={run} className="row" style={{ gap: 12, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          <div className="field">
            <label htmlFor={`${base}-from`}>From (UTC day)</label>
            <input id={`${base}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor={`${base}-to`}>To (UTC day, included)</label>
            <input id={`${base}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
          </div>
          <div className="field">
            <button type="submit" className="btn btn-primary" disabled={busy || running(b)}>
              {running(b) ? 'Running…' : 'Run backtest'}
            </button>
          </div>
        </form>
      ) : null}
      {(error ?? readError) ? (
        <div className="alert alert-error" role="alert" data-testid="backtest-error">
          {(error ?? readError)!.message}
          {(error ?? readError)!.fields.length ? (
            <ul>
              {(error ?? readError)!.fields.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {b && running(b) ? (
        <div data-testid="backtest-progress">
          <progress max={Math.max(1, b.progress.total)} value={b.progress.processed} aria-label="Backtest progress" />{' '}
          <span className="small">
            {b.status === 'QUEUED' ? 'Queued' : 'Running'}: {b.progress.processed} of {b.progress.total} payments
          </span>
        </div>
      ) : null}
      {b && b.status === 'FAILED' ? (
        <p className="alert alert-error" role="alert">
          The backtest failed: {b.error ?? 'unknown error'}
        </p>
      ) : null}
      {b && b.status === 'DONE' && b.report ? (
        <>
          <p className="muted small" data-testid="backtest-window">
            Window {b.from.replace('T', ' ').slice(0, 16)} to {b.to.replace('T', ' ').slice(0, 16)} UTC (end excluded), logic version {b.logic_version}, finished{' '}
            {b.finished_at?.replace('T', ' ').slice(0, 19)} UTC.
          </p>
          <Report r={b.report} />
        </>
      ) : null}
    </section>
  );
}
