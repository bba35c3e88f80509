// The time zone every date is shown in: the merchant's, UTC or the browser's (kept in localStorage).
import { useId } from 'react';
import { ZONE_CHOICES, setZoneChoice, useZoneChoice, zoneLabel, type ZoneChoice } from '../format/datetime.ts';

export function TimeZoneSwitch() {
  const choice = useZoneChoice();
  const id = useId();
  return (
    <div className="tz-switch">
      <label htmlFor={id}>Time zone</label>
      <select id={id} value={choice} onChange={(e) => setZoneChoice(e.target.value as ZoneChoice)} data-testid="time-zone">
        {ZONE_CHOICES.map((c) => (
          <option key={c} value={c}>{zoneLabel(c)}</option>
        ))}
      </select>
    </div>
  );
}
