// The Risk page's views of what the checks did: the review queue (approve = capture, reject =
// void, each confirmed), blocked payments with their reasons, block rate by rule or check over
// time and the audit trail of setup changes (the dry run of a sample payment is DryRunTab).
import { useMemo, useState } from 'react';
import { Link } from '../router';
import { errorText, formatDateTime, formatMinor, formatRate } from '../analytics/format';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { audit, blockRate, blocked, decide, reviews, type AuditEntry, type BlockRate, type BlockedAttempt, type HeldPayment } from './api';
import { Reasons } from './Reasons';
import { QueryError } from '../components/ErrorState.tsx';
import { ExportCsvButton } from '../components/ExportCsvButton';
import type { CsvColumn } from '../format/csv';
import { minorToDecimal } from '../format/money';
import { useCursorParam, useQueryParams } from '../router';

const orderLink = (orderId: string) => <Link to={`/payments/${encodeURIComponent(orderId)}`}>{orderId}</Link>;

// ---------------------------------------------------------------- review queue

export function ReviewsTab({ canReview }: { canReview: boolean }) {
  const loaded = useApiQuery(queryKeys.risk.reviews(), (signal) => reviews(signal));
  const invalidate = useInvalidate();
  const [pending, setPending] = useState<{ payment: HeldPayment; decision: 'approve' | 'reject' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const held = loaded.data?.reviews ?? [];

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await decide(pending.payment.txn_uuid, pending.decision);
      setMessage(`${pending.decision === 'approve' ? 'Approved' : 'Rejected'} ${pending.payment.order_id}: ${String(answer.status ?? '')}.`);
      setPending(null);
      void invalidate(queryKeys.risk.all); // the queue, the blocked list and the audit trail
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <QueryError query={loaded} />
      <div role="status" aria-live="polite" data-testid="review-message">
        {message}
      </div>
      {loaded.data && held.length === 0 ? <p className="empty">No payment is waiting for review.</p> : null}
      {held.length > 0 ? (
        <div className="card table-scroll">
          <table className="table" aria-label="Payments held for review">
            <thead>
              <tr>
                <th>Order</th>
                <th>Attempt</th>
                <th className="num">Amount</th>
                <th>Gateway</th>
                <th>Status</th>
                <th className="num">Score</th>
                <th>Reasons</th>
                <th>Held since</th>
                <th>
                  <span className="visually-hidden">Decision</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {held.map((h) => (
                <tr key={h.txn_uuid} data-testid="review-row" data-order-id={h.order_id}>
                  <td>{orderLink(h.order_id)}</td>
                  <td>
                    <code>{h.txn_id}</code>
                  </td>
                  <td className="num">{formatMinor(h.amount, h.currency)}</td>
                  <td>{h.gateway ?? '–'}</td>
                  <td>{h.status}</td>
                  <td className="num">{h.risk.score ?? '–'}</td>
                  <td>
                    <Reasons reasons={h.risk.reasons ?? []} />
                  </td>
                  <td>{formatDateTime(h.created)}</td>
                  <td className="actions">
                    {canReview ? (
                      <>
                        <button type="button" className="btn btn-small btn-primary" aria-label={`Approve ${h.order_id}`} onClick={() => setPending({ payment: h, decision: 'approve' })}>
                          Approve
                        </button>
                        <button type="button" className="btn btn-small btn-danger" aria-label={`Reject ${h.order_id}`} onClick={() => setPending({ payment: h, decision: 'reject' })}>
                          Reject
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={pending !== null}
        title={pending?.decision === 'approve' ? `Approve ${pending.payment.order_id}?` : `Reject ${pending?.payment.order_id ?? ''}?`}
        confirmLabel={pending?.decision === 'approve' ? 'Approve and capture' : 'Reject and void'}
        danger={pending?.decision === 'reject'}
        busy={busy}
        error={error}
        onCancel={() => {
          setPending(null);
          setError(null);
        }}
        onConfirm={() => void confirm()}
      >
        {pending ? (
          <p>
            The authorisation of {formatMinor(pending.payment.amount, pending.payment.currency)} is{' '}
            {pending.decision === 'approve' ? 'captured: the customer is charged.' : 'voided: the customer is not charged.'}
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}

// ---------------------------------------------------------------- blocked payments

const BLOCKED_COLUMNS: CsvColumn<BlockedAttempt>[] = [
  { header: 'time_utc', value: (b) => b.created },
  { header: 'order_id', value: (b) => b.order_id },
  { header: 'amount', value: (b) => minorToDecimal(b.amount, b.currency) },
  { header: 'currency', value: (b) => b.currency },
  { header: 'code', value: (b) => b.code },
  { header: 'blocked_by', value: (b) => b.blocked_by.join('; ') },
  { header: 'reasons', value: (b) => b.reasons.join('; ') },
  { header: 'score', value: (b) => b.score },
  { header: 'status', value: (b) => b.status },
  { header: 'mode', value: (b) => b.mode },
];
const AUDIT_COLUMNS: CsvColumn<AuditEntry>[] = [
  { header: 'when_utc', value: (a) => a.at },
  { header: 'who', value: (a) => a.actor },
  { header: 'action', value: (a) => a.action },
  { header: 'entity', value: (a) => a.entity },
  { header: 'detail', value: (a) => JSON.stringify(a.detail) },
];

export function BlockedTab() {
  const [cursors, setCursors] = useCursorParam('blocked_pages');
  const before = cursors[cursors.length - 1];
  const loaded = useApiQuery(queryKeys.risk.blocked(before), (signal) => blocked({ from: new Date(Date.now() - 7 * 86_400_000).toISOString(), before, limit: 25 }, signal));
  const rows: BlockedAttempt[] = loaded.data?.blocked ?? [];
  return (
    <div className="stack">
      <p className="muted small">Attempts the risk checks declined (or voided or refunded afterwards in parallel mode), last 7 days, newest first.</p>
      <QueryError query={loaded} />
      {loaded.data && rows.length === 0 ? <p className="empty">No payment was blocked in the last 7 days.</p> : null}
      {rows.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="risk-blocked" label="Export CSV of blocked payments" columns={BLOCKED_COLUMNS} rows={rows} />
        </p>
      ) : null}
      {rows.length > 0 ? (
        <div className="card table-scroll">
          <table className="table" aria-label="Blocked payments">
            <thead>
              <tr>
                <th>Time</th>
                <th>Order</th>
                <th className="num">Amount</th>
                <th>Code</th>
                <th>Blocked by</th>
                <th>Reasons</th>
                <th className="num">Score</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.txn_uuid} data-testid="blocked-row" data-order-id={b.order_id}>
                  <td>{formatDateTime(b.created)}</td>
                  <td>{orderLink(b.order_id)}</td>
                  <td className="num">{formatMinor(b.amount, b.currency)}</td>
                  <td>
                    <code>{b.code ?? '–'}</code>
                  </td>
                  <td>{b.blocked_by.join(', ') || '–'}</td>
                  <td>
                    <Reasons reasons={b.reasons} />
                  </td>
                  <td className="num">{b.score}</td>
                  <td>
                    {b.status}
                    {b.mode === 'parallel' ? ' (parallel)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="row">
        <button type="button" className="btn btn-small" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="btn btn-small" disabled={!loaded.data?.next_cursor} onClick={() => loaded.data?.next_cursor && setCursors([...cursors, loaded.data.next_cursor])}>
          Older
        </button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------- block rate over time

const RANGES: Record<string, { ms: number; bucket: string; label: string }> = {
  '6h': { ms: 6 * 3_600_000, bucket: '15m', label: 'Last 6 hours' },
  '24h': { ms: 86_400_000, bucket: '1h', label: 'Last 24 hours' },
  '7d': { ms: 7 * 86_400_000, bucket: '6h', label: 'Last 7 days' },
  '30d': { ms: 30 * 86_400_000, bucket: '1d', label: 'Last 30 days' },
};

const seriesLabel = (key: string) => (key.startsWith('rule:') ? `Rule "${key.slice(5)}"` : key);

/** One row a bucket: its start, checked and blocked counts, then the blocked count per rule or check. */
function blockRateColumns(data: BlockRate): CsvColumn<BlockRate['buckets'][number] & { i: number }>[] {
  return [
    { header: 'bucket_start_utc', value: (b) => b.start },
    { header: 'checked', value: (b) => b.checked },
    { header: 'blocked', value: (b) => b.blocked },
    ...data.by.map((s) => ({ header: `blocked: ${seriesLabel(s.key)}`, value: (b: { i: number }) => s.blocked[b.i] ?? 0 })),
  ];
}

export function BlockRateTab() {
  const [params, setParams] = useQueryParams();
  const range = params.get('range') && RANGES[params.get('range')!] ? params.get('range')! : '24h';
  const setRange = (next: string) => setParams({ range: next === '24h' ? null : next });
  const r = RANGES[range] ?? RANGES['24h']!;
  const loaded = useApiQuery(queryKeys.risk.blockRate(range), (signal) => blockRate({ from: new Date(Date.now() - r.ms).toISOString(), bucket: r.bucket }, signal));
  const data = loaded.data;
  const chart = useMemo(() => {
    if (!data) return null;
    const x = data.buckets.map((b) => Date.parse(b.start) / 1000);
    const rate = (n: number, i: number) => {
      const checked = data.buckets[i]!.checked;
      return checked === 0 ? null : (100 * n) / checked;
    };
    return { x, series: data.by.map((s) => ({ label: seriesLabel(s.key), values: s.blocked.map(rate) })) };
  }, [data]);
  const checked = data?.buckets.reduce((s, b) => s + b.checked, 0) ?? 0;
  const blockedCount = data?.buckets.reduce((s, b) => s + b.blocked, 0) ?? 0;
  return (
    <div className="stack">
      <div className="toolbar">
        <div className="field">
          <label>
            Range
            <select value={range} onChange={(e) => setRange(e.target.value)}>
              {Object.entries(RANGES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <QueryError query={loaded} />
      {data ? (
        <p data-testid="block-rate-summary">
          {blockedCount} of {checked} checked attempts blocked ({formatRate(checked === 0 ? null : blockedCount / checked)}); one bucket is {data.bucket}.
          {data.truncated ? ' Only the first 200,000 blocked attempts are counted.' : ''}
        </p>
      ) : null}
      {chart ? (
        <TimeSeriesChart
          title="Block rate by rule or check (% of checked attempts)"
          x={chart.x}
          series={chart.series}
          format={(v) => `${v.toFixed(1)}%`}
          yRange={[0, 100]}
          stepped
          emptyText="Nothing was blocked in this range."
        />
      ) : null}
      {data && data.buckets.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="risk-block-rate" label="Export CSV of the block rate data" columns={blockRateColumns(data)} rows={data.buckets.map((b, i) => ({ ...b, i }))} />
        </p>
      ) : null}
      {data && data.by.length > 0 ? (
        <table className="table" aria-label="Blocks by rule or check">
          <thead>
            <tr>
              <th>Rule or check</th>
              <th className="num">Blocked</th>
              <th className="num">Share of checked</th>
            </tr>
          </thead>
          <tbody>
            {data.by.map((s) => (
              <tr key={s.key} data-testid="block-rate-row">
                <td>{seriesLabel(s.key)}</td>
                <td className="num">{s.total}</td>
                <td className="num">{formatRate(checked === 0 ? null : s.total / checked)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------- audit trail

export function AuditTab() {
  const loaded = useApiQuery(queryKeys.risk.audit(200), (signal) => audit(200, signal));
  const rows = loaded.data?.audit ?? [];
  return (
    <div className="stack">
      <QueryError query={loaded} />
      {loaded.data && rows.length === 0 ? <p className="empty">No change yet.</p> : null}
      {rows.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="risk-audit" label="Export CSV of the audit trail" columns={AUDIT_COLUMNS} rows={rows} />
        </p>
      ) : null}
      {rows.length > 0 ? (
        <div className="card table-scroll">
          <table className="table" aria-label="Risk audit trail">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>On</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id} data-testid="audit-row">
                  <td>{formatDateTime(a.at)}</td>
                  <td>{a.actor}</td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td>{a.entity}</td>
                  <td>
                    <details>
                      <summary className="small">detail</summary>
                      <pre className="small">{JSON.stringify(a.detail, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
