import { afterEach, describe, expect, it } from 'vitest';
import { activeZone, merchantZoneMissing, formatDateTime, formatTime, getZoneChoice, setZoneChoice, zoneLabel } from './datetime';

describe('date-time format and time zone', () => {
  afterEach(() => setZoneChoice('merchant'));

  it('shows one format with the zone, in UTC for the merchant while the API has no zone', () => {
    setZoneChoice('merchant');
    expect(activeZone()).toBe('UTC');
    expect(zoneLabel('merchant')).toBe('Merchant (UTC)');
    expect(merchantZoneMissing()).toBe(true);
    expect(formatDateTime('2026-01-05T10:00:06Z')).toBe('05 Jan 2026, 10:00:06 UTC');
    expect(formatTime('2026-01-05T23:59:59Z')).toBe('23:59:59 UTC');
  });

  it('switches zone and keeps the choice in localStorage', () => {
    setZoneChoice('utc');
    expect(localStorage.getItem('junction.timeZone')).toBe('utc');
    expect(getZoneChoice()).toBe('utc');
    expect(formatDateTime('2026-01-05T10:00:06Z', 'Asia/Kolkata')).toBe('05 Jan 2026, 15:30:06 GMT+5:30');
    setZoneChoice('browser');
    expect(activeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('never prints "Invalid Date"', () => {
    expect(formatDateTime(null)).toBe('–');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
