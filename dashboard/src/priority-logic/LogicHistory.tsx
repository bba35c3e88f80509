// The History card of a logic's view: who did what and when, and the diff between its versions.
import type { AuditEntry } from './api';
import { formatDate } from './StatusBadges';
import type { Logic } from './types';
import { VersionDiff } from './VersionDiff';

export function LogicHistory({ logic, entries }: { logic: Logic; entries: AuditEntry[] | null }) {
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">History</h2>
      {entries === null ? (
        <p className="muted small">No history available.</p>
      ) : entries.length === 0 ? (
        <p className="muted small">No changes yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Who</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="small">{formatDate(e.created)}</td>
                <td>{e.action}</td>
                <td className="small">
                  {e.actor_email ?? (e.actor_role === 'API_KEY' ? 'API key' : e.actor_id)} <span className="muted">({e.actor_role})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <VersionDiff logic={logic} />
    </section>
  );
}

/** A user as History shows them: the email its entries carry for that user id (else the id). */
export function personLabel(userId: string, entries: readonly AuditEntry[] | null): string {
  return entries?.find((e) => e.actor_id === userId && e.actor_email)?.actor_email ?? userId;
}
