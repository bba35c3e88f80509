// Display formatting shared by the dashboard pages. Amounts stay strings or integers: no float
// arithmetic on money.

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

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-US', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** Minor-unit exponent per currency (as the server's money.ts); anything else has two decimals. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3,
};

/** An integer amount of minor units as a decimal string with grouping, e.g. 36500000 INR → "365,000.00 INR" (string arithmetic, no float). */
export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) return '–';
  const exponent = CURRENCY_EXPONENTS[currency] ?? 2;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${minor < 0 ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction} ${currency}`;
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${integer.format(Math.round(value))} ms`;
}

/** The message to show for a failed request (ApiError carries the server's message). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || 'Something went wrong';
  return 'Something went wrong';
}
