// The time zone every date is shown in: the merchant's, UTC or the browser's (kept in localStorage).
import { useId } from 'react';
import { ZONE_CHOICES, merchantZoneMissing, setZoneChoice, useZoneChoice, zoneLabel, type ZoneChoice } from '../format/datetime.ts';

export function TimeZoneSwitch() {
  const choice = useZoneChoice();
  const id = useId();
  return (
    <div className="tz-switch">
      <label htmlFor={id}>Time zone</label>
      <select
        id={id}
        value={choice}
        onChange={(e) => setZoneChoice(e.target.value as ZoneChoice)}
        data-testid="time-zone"
        aria-describedby={choice === 'merchant' && merchantZoneMissing() ? `${id}-note` : undefined}
      >
        {ZONE_CHOICES.map((c) => (
          <option key={c} value={c}>
            {zoneLabel(c)}
          </option>
        ))}
      </select>
      {choice === 'merchant' && merchantZoneMissing() ? (
        <span id={`${id}-note`} className="tz-note" data-testid="time-zone-note">
          No merchant time zone is set: UTC.
        </span>
      ) : null}
    </div>
  );
}
