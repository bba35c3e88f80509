// Validation of the dashboard's query parameters. Every failure names the parameter; an empty
// value means "not set" (a picker's "all" option sends gateway=).
import { invalidField } from '../errors.ts';
import { isGatewayName } from '../gateways.ts';
import { isCardBrand, isPaymentMethodType } from '../payment-methods.ts';
import { allOrderStatuses } from '../status.ts';
import { chooseBucket, DAY_MS, MAX_RANGE_MS } from './time-plan.ts';
import { ANALYTICS_BUCKETS, type AnalyticsBucket, type AnalyticsFilters, type AnalyticsQuery, type LiveQuery, type OrderCursor, type OrderSearch } from './types.ts';

export type RawQuery = Record<string, string | undefined>;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?))?$/i;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const LOGIC_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_RANGE_MS = DAY_MS;
export const MAX_ORDER_PAGE = 200;
export const DEFAULT_ORDER_PAGE = 50;

function value(raw: RawQuery, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An ISO-8601 date or date-time; a time needs its zone (Z or an offset), so it never depends on the server's. */
export function parseInstant(text: string, field: string): Date {
  if (!ISO_DATE_TIME.test(text) || (text.length > 10 && !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text))) {
    throw invalidField(field, 'must be an ISO-8601 date-time with a zone, such as 2024-05-01T00:00:00Z');
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
  if (!Number.isFinite(ms)) throw invalidField(field, 'is not a valid date');
  if (ms < EARLIEST || ms >= LATEST) throw invalidField(field, 'must be between 2000 and 2100');
  return new Date(ms);
}

function parseInteger(text: string, field: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text)) throw invalidField(field, `must be a whole number from ${min} to ${max}`);
  const n = Number(text);
  if (n < min || n > max) throw invalidField(field, `must be a whole number from ${min} to ${max}`);
  return n;
}

/** `from`/`to` with defaults: the `defaultMs` before `to`, and `to` now. */
function parseRange(raw: RawQuery, now: Date, defaultMs: number | null): { from?: Date; to?: Date } {
  const toText = value(raw, 'to');
  const fromText = value(raw, 'from');
  let to = toText ? parseInstant(toText, 'to') : undefined;
  let from = fromText ? parseInstant(fromText, 'from') : undefined;
  if (defaultMs !== null) {
    to ??= now;
    from ??= new Date(to.getTime() - defaultMs);
  }
  if (from && to && from >= to) throw invalidField('from', 'must be before to');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function parseFilters(raw: RawQuery): AnalyticsFilters {
  const filters: AnalyticsFilters = {};
  const pmt = value(raw, 'payment_method_type')?.toUpperCase();
  if (pmt !== undefined) {
    if (!isPaymentMethodType(pmt)) throw invalidField('payment_method_type', 'must be CARD, NB, UPI, WALLET or another payment method type');
    filters.paymentMethodType = pmt;
  }
  const brand = value(raw, 'card_brand')?.toUpperCase();
  if (brand !== undefined) {
    if (!isCardBrand(brand)) throw invalidField('card_brand', 'is not a known card brand (VISA, MASTERCARD, RUPAY, ...)');
    filters.cardBrand = brand;
  }
  const gateway = value(raw, 'gateway')?.toUpperCase();
  if (gateway !== undefined) {
    if (!isGatewayName(gateway)) throw invalidField('gateway', 'is not a known gateway');
    filters.gateway = gateway;
  }
  const logicId = value(raw, 'logic_id');
  if (logicId !== undefined) {
    if (!LOGIC_ID.test(logicId)) throw invalidField('logic_id', 'must be a Priority Logic id (or DEFAULT_ORDER)');
    filters.logicId = logicId;
  }
  return filters;
}

export function parseAnalyticsQuery(raw: RawQuery, now: Date): AnalyticsQuery {
  const { from, to } = parseRange(raw, now, DEFAULT_RANGE_MS) as { from: Date; to: Date };
  const bucketText = value(raw, 'bucket')?.toLowerCase();
  let bucket: AnalyticsBucket;
  if (bucketText === undefined) {
    bucket = chooseBucket({ from, to });
  } else {
    if (!(ANALYTICS_BUCKETS as readonly string[]).includes(bucketText)) throw invalidField('bucket', `must be one of ${ANALYTICS_BUCKETS.join(', ')}`);
    bucket = bucketText as AnalyticsBucket;
  }
  const span = to.getTime() - from.getTime();
  if (span > MAX_RANGE_MS.day) throw invalidField('from', 'the range from..to must be at most 400 days');
  if (span > MAX_RANGE_MS[bucket]) {
    throw invalidField('bucket', bucket === 'minute' ? 'minute buckets need a range of at most 24 hours' : 'hour buckets need a range of at most 93 days');
  }
  return { from, to, bucket, filters: parseFilters(raw) };
}

export const LIVE_DEFAULT_SECONDS = 300;
export const LIVE_DEFAULT_STEP = 10;
export const LIVE_MAX_POINTS = 720;

export function parseLiveQuery(raw: RawQuery): LiveQuery {
  const secondsText = value(raw, 'seconds');
  const stepText = value(raw, 'step');
  const seconds = secondsText === undefined ? LIVE_DEFAULT_SECONDS : parseInteger(secondsText, 'seconds', 10, 3600);
  const stepSeconds = stepText === undefined ? LIVE_DEFAULT_STEP : parseInteger(stepText, 'step', 1, 3600);
  if (stepSeconds > seconds) throw invalidField('step', 'must not exceed seconds');
  if (seconds / stepSeconds > LIVE_MAX_POINTS) throw invalidField('step', `too small for ${seconds} seconds: at most ${LIVE_MAX_POINTS} steps`);
  return { seconds, stepSeconds };
}

export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(`${cursor.createdUs}.${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeOrderCursor(text: string): OrderCursor {
  const bad = () => invalidField('cursor', 'is not a next_cursor of a previous page');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw bad();
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const match = /^(\d{1,17})\.(.+)$/.exec(decoded);
  if (!match || !ROW_ID.test(match[2]!)) throw bad();
  const createdUs = Number(match[1]);
  if (!Number.isSafeInteger(createdUs)) throw bad();
  return { createdUs, id: match[2]! };
}

const ORDER_STATUSES = new Set<string>(allOrderStatuses());

export function parseOrderSearch(raw: RawQuery): OrderSearch {
  const search = value(raw, 'search');
  if (search !== undefined && search.length > 128) throw invalidField('search', 'must be at most 128 characters');
  const status = value(raw, 'status')?.toUpperCase();
  if (status !== undefined && !ORDER_STATUSES.has(status)) throw invalidField('status', 'is not an order status (CHARGED, AUTHORIZATION_FAILED, ...)');
  const { from, to } = parseRange(raw, new Date(), null);
  const limitText = value(raw, 'limit');
  const limit = limitText === undefined ? DEFAULT_ORDER_PAGE : parseInteger(limitText, 'limit', 1, MAX_ORDER_PAGE);
  const cursorText = value(raw, 'cursor');
  return {
    ...(search !== undefined ? { search } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit,
    ...(cursorText !== undefined ? { cursor: decodeOrderCursor(cursorText) } : {}),
  };
}
