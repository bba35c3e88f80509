// A logic's status as a badge (with its staggered share and the fallback badge), and the date format
// of the Priority Logic pages.
import { formatDateTime } from '../format/datetime';
import { STATUS_LABELS, type Logic } from './types';

const STATUS_BADGE: Record<string, string> = { ACTIVE: 'badge-active', INACTIVE: 'badge-inactive', STAGGERED: 'badge-staggered', PENDING_APPROVAL: 'badge-pending', REJECTED: 'badge-inactive' };

export function StatusBadges({ logic }: { logic: Logic }) {
  return (
    <span className="row" style={{ gap: 4 }}>
      <span className={`badge ${STATUS_BADGE[logic.status] ?? ''}`} data-testid="status">
        {logic.status_label ?? STATUS_LABELS[logic.status] ?? logic.status}
        {logic.status === 'STAGGERED' && logic.stagger_percentage !== null ? ` ${logic.stagger_percentage}%` : ''}
      </span>
      {logic.is_fallback ? <span className="badge badge-fallback">Fallback</span> : null}
    </span>
  );
}

/** The dashboard's one date-time format, in the chosen time zone (format/datetime.ts). */
export const formatDate = (iso: string) => formatDateTime(iso);
