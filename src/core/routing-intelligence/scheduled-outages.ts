// Scheduled outages (a gateway's planned downtime, optionally for one payment method type): read,
// added with their fields checked, deleted; a change drops the merchant's cached context here and
// tells the other instances (onChange).
import { invalidField, missingField, notFound } from '../errors.ts';
import type { MerchantContexts } from './merchant-context.ts';
import type { ScheduledOutageRecord } from './ports.ts';
import type { RoutingIntelligenceDeps } from './routing-intelligence.ts';

const PAYMENT_METHOD_TYPE = /^[A-Z_]{2,32}$/;
const GATEWAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_OUTAGE_MS = 31 * 24 * 3600 * 1000;

function dateField(body: Record<string, unknown>, field: string): Date {
  const value = body[field];
  if (value === undefined || value === null) throw missingField(field);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) throw invalidField(field, 'must be an ISO 8601 date-time, e.g. 2026-01-31T22:00:00Z');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidField(field, 'must be an ISO 8601 date-time, e.g. 2026-01-31T22:00:00Z');
  return date;
}

type OutageDeps = Pick<RoutingIntelligenceDeps, 'outages' | 'onChange'> & { contexts: MerchantContexts; now: () => number };

export function createScheduledOutages(deps: OutageDeps) {
  const changed = (merchantId: string) => {
    deps.contexts.drop(merchantId);
    deps.onChange?.(merchantId);
  };
  return {
    listOutages: (merchantId: string) => deps.outages.list(merchantId),

    async createOutage(merchantId: string, body: unknown): Promise<ScheduledOutageRecord> {
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
      const b = body as Record<string, unknown>;
      for (const key of Object.keys(b)) if (!['gateway', 'start', 'end', 'payment_method_type'].includes(key)) throw invalidField(key, 'is not a scheduled outage field');
      if (b.gateway === undefined) throw missingField('gateway');
      if (typeof b.gateway !== 'string' || !GATEWAY_NAME.test(b.gateway)) throw invalidField('gateway', 'must be a gateway name');
      const ctx = await deps.contexts.get(merchantId);
      if (!ctx.gateways.includes(b.gateway)) throw invalidField('gateway', "is not one of the merchant's enabled gateways");
      const start = dateField(b, 'start');
      const end = dateField(b, 'end');
      if (end.getTime() <= start.getTime()) throw invalidField('end', 'must be after start');
      if (end.getTime() - start.getTime() > MAX_OUTAGE_MS) throw invalidField('end', 'an outage lasts at most 31 days');
      if (end.getTime() <= deps.now()) throw invalidField('end', 'must be in the future');
      let paymentMethodType: string | null = null;
      if (b.payment_method_type !== undefined && b.payment_method_type !== null) {
        if (typeof b.payment_method_type !== 'string' || !PAYMENT_METHOD_TYPE.test(b.payment_method_type))
          throw invalidField('payment_method_type', 'must be a payment method type such as CARD or UPI');
        paymentMethodType = b.payment_method_type;
      }
      const id = `so_${Math.random().toString(36).slice(2, 10)}${deps.now().toString(36)}`;
      const created = await deps.outages.insert({ id, merchantId, gateway: b.gateway, startAt: start, endAt: end, paymentMethodType });
      changed(merchantId);
      return created;
    },

    async deleteOutage(merchantId: string, id: string): Promise<void> {
      if (!(await deps.outages.delete(merchantId, id))) throw notFound('Scheduled outage');
      changed(merchantId);
    },
  };
}
