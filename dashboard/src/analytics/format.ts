// Display formatting shared by the dashboard pages. Amounts stay strings or integers: no float
// arithmetic on money. Money and dates have one formatter each, in ../format/.
import { ApiError } from '../api/client.ts';
import { formatMoney } from '../format/money.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : integer.format(value);
}

/** A rate in 0..1 as a percentage with one decimal ("97.3%"). */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '–';
  return `${(rate * 100).toFixed(1)}%`;
}

/** part / whole as a percentage, "–" when whole is 0. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? formatRate(part / whole) : '–';
}

export { formatDateTime, formatTime } from '../format/datetime.ts';

/** An integer amount of minor units with the currency's symbol and grouping (the one money formatter, format/money.ts). */
export function formatMinor(minor: number, currency: string): string {
  return formatMoney(minor, currency);
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${integer.format(Math.round(value))} ms`;
}

/** The seed's words for a server error (5xx) or a network failure: the user can only try again. */
const SERVER_ERROR_TEXT = 'Something went wrong. Please try again';

/** True for a failure the user cannot fix but may retry: a 5xx answer, or no answer at all (network, CORS, offline). */
export function isServerError(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 0;
  return error instanceof TypeError; // fetch() rejects with a TypeError when no answer came back
}

/** The message to show for a failed request: the server's reason for a 4xx, the seed's words for a 5xx or network failure. */
export function errorText(error: unknown): string {
  if (isServerError(error)) return SERVER_ERROR_TEXT;
  if (error instanceof Error) return error.message || SERVER_ERROR_TEXT;
  return SERVER_ERROR_TEXT;
}
