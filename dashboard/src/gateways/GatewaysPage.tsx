// Gateways: the merchant's gateway accounts (never credentials) with capabilities, priority, fees
// and live health (GET /v1/routing/health every 3 s); ADMIN edits an account in place.
import { Fragment, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { can } from '../auth/permissions.ts';
import { errorText, formatTime } from '../analytics/format.ts';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { describeFees } from './fees.ts';
import { GatewayForm } from './GatewayForm.tsx';
import { HealthBadge, useGatewayHealth } from './HealthBadge.tsx';
import { normalizeAccounts, type GatewayAccountView } from './types.ts';
import './gateways.css';
import { QueryError } from '../components/ErrorState.tsx';

const COLUMNS = 11;

function listText(list: readonly string[]): string {
  return list.length === 0 ? 'all' : list.join(', ');
}

export function GatewaysPage() {
  const role = useSession().user?.role;
  const canEdit = can(role, 'gateway.configure');
  const loaded = useApiQuery(queryKeys.gateways.accounts(), async (signal) => normalizeAccounts(await api<unknown>('/v1/dashboard/gateways', { signal })));
  const health = useGatewayHealth(3000);
  const invalidate = useInvalidate();
  const [accounts, setAccounts] = useState<GatewayAccountView[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.data) setAccounts(loaded.data);
  }, [loaded.data]);

  const healthOf = useMemo(() => new Map((health.data?.gateways ?? []).map((g) => [g.gateway, g.health as string])), [health.data]);
  const list = [...(accounts ?? [])].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || a.gateway.localeCompare(b.gateway));

  function onSaved(account: GatewayAccountView, updated: GatewayAccountView | null) {
    setEditing(null);
    setSaved(`Saved ${account.gateway} (${account.accountId}).`);
    if (updated) setAccounts((current) => (current ?? []).map((a) => (a.accountId === account.accountId ? updated : a)));
    // Every view of the accounts (this page, the Live view, the Priority Logic pickers) loads them again.
    void invalidate(queryKeys.gateways.all);
  }

  return (
    <section className="page gateways-page">
      <header className="page-header">
        <h1>Gateways</h1>
      </header>
      <QueryError query={loaded} />
      {loaded.loading && !accounts ? (
        <p className="muted" role="status">
          Loading gateways…
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {saved}
      </div>
      {accounts && list.length === 0 ? <p className="empty">No gateway account is configured.</p> : null}
      {list.length > 0 ? (
        <div className="card table-scroll">
          <table className="table gateways-table" aria-label="Gateway accounts">
            <thead>
              <tr>
                <th scope="col">Gateway</th>
                <th scope="col">Account id</th>
                <th scope="col">Reference id</th>
                <th scope="col">Enabled</th>
                <th scope="col">Payment method types</th>
                <th scope="col">Methods</th>
                <th scope="col">Card brands / currencies</th>
                <th scope="col" className="num">
                  Priority
                </th>
                <th scope="col">Fees</th>
                <th scope="col">Health</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => {
                return (
                  <Fragment key={a.accountId}>
                    <tr data-testid="gateway-row" data-account-id={a.accountId}>
                      <GatewayNameCell account={a} />
                      <td>
                        <code>{a.accountId}</code>
                      </td>
                      <td>{a.referenceId ?? '–'}</td>
                      <td>{a.enabled ? 'Yes' : <span className="badge badge-failure">Disabled</span>}</td>
                      <td>{listText(a.paymentMethodTypes)}</td>
                      <td>{listText(a.paymentMethods)}</td>
                      <td>
                        {listText(a.cardBrands)} / {listText(a.currencies)}
                      </td>
                      <td className="num">{a.priority ?? '–'}</td>
                      <FeesCell fees={a.fees} />
                      <td>
                        <HealthBadge health={healthOf.get(a.gateway) ?? a.health} gateway={a.gateway} />
                      </td>
                      <td>
                        {canEdit ? (
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-expanded={editing === a.accountId}
                            aria-label={`Edit ${a.gateway} ${a.accountId}`}
                            onClick={() => {
                              setSaved(null);
                              setEditing(editing === a.accountId ? null : a.accountId);
                            }}
                          >
                            Edit
                          </button>
                        ) : null}
                      </td>
                    </tr>
                    {canEdit && editing === a.accountId ? (
                      <tr className="edit-row">
                        <td colSpan={COLUMNS}>
                          <GatewayForm account={a} onSaved={(u) => onSaved(a, u)} onCancel={() => setEditing(null)} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {health.error ? <p className="muted small">Live health unavailable: {errorText(health.error)}</p> : null}
    </section>
  );
}

/** The gateway's name, whether it is simulated, its connector's capabilities and its outages. */
function GatewayNameCell({ account: a }: { account: GatewayAccountView }) {
  return (
    <th scope="row">
      {a.gateway}
      {a.simulated ? <span className="muted small"> (simulated)</span> : null}
      {a.connector && !a.simulated ? (
        <div className="muted small" data-testid="gateway-connector">
          {a.connector.displayName}: takes {a.connector.paymentMethodTypes.join(', ')}; {a.connector.features.join(', ')}
        </div>
      ) : null}
      {a.activeOutages.length > 0 ? (
        <div className="small" data-testid="gateway-outage">
          <span className="badge badge-down">Outage</span> {a.activeOutages.map((o) => `${o.mode}${o.endsAt ? ` until ${formatTime(o.endsAt)}` : ''}`).join(', ')}
        </div>
      ) : null}
    </th>
  );
}

function FeesCell({ fees: model }: { fees: GatewayAccountView['fees'] }) {
  const fees = describeFees(model);
  return (
    <td>
      {fees.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ul className="fee-list">
          {fees.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </td>
  );
}
