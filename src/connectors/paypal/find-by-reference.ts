// Finding an order by our txn id when the create call got no answer (so we have no order id).
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { readTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { linkOf } from './transformers.ts';
import { PayPalAuthError } from './oauth-token.ts';
import type { PayPalClient } from './paypal-client.ts';
import { syncOrder } from './orders.ts';

/**
 * The create call got no answer, so we have no order id. Orders v2 has no search by reference; the
 * account's webhook event log does carry our txn id (custom_id / invoice_id / reference_id) on every
 * order, authorization and capture event, with the order id beside it. Not found: UNKNOWN (the
 * events may not be there yet; a wallet order nobody approved has none and expires at PayPal).
 */
export async function findByReference(client: PayPalClient, account: ConnectorAccount, reference: string): Promise<AuthorizeOutcome> {
  const since = new Date(client.clock() - 3 * 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let path: string | null = `/v1/notifications/webhooks-events?page_size=100&start_time=${encodeURIComponent(since)}`;
  try {
    for (let page = 0; path && page < 5; page++) {
      const response = await client.call(account, 'syncStatus:events', 'GET', path, null);
      const body = parseJson(response.text) as { events?: Array<{ resource_type?: string; resource?: Record<string, unknown> }>; links?: Array<{ href: string; rel: string }> } | undefined;
      // The lookup itself failed: that says nothing about the payment.
      if (response.status !== 200 || !Array.isArray(body?.events))
        return { kind: 'UNKNOWN', raw: { code: `EVENTS_HTTP_${response.status}`, message: "PayPal's event log could not be read: the payment is still unknown", gatewayTxnId: null } };
      for (const event of body.events) {
        const orderId = orderIdCarrying(event.resource, reference);
        if (orderId) return syncOrder(client, account, orderId, false, 'syncStatus');
      }
      const next = linkOf(body.links, 'next');
      // Only the path and query of PayPal's link: never another host.
      path = next
        ? (() => {
            const url = new URL(next, client.baseUrl);
            return `${url.pathname}${url.search}`;
          })()
        : null;
    }
  } catch (error) {
    if (error instanceof PayPalAuthError) return { kind: 'UNKNOWN', raw: { code: error.code, message: error.message, gatewayTxnId: null } };
    return readTransportOutcome(error, null);
  }
  return {
    kind: 'UNKNOWN',
    raw: { code: 'ORDER_NOT_FOUND_BY_REFERENCE', message: 'PayPal has no event naming this txn id yet (Orders v2 has no search by reference): the order is not known here', gatewayTxnId: null },
  };
}

/** The order id an event's resource carries when it names our txn id, or null. */
function orderIdCarrying(resource: Record<string, unknown> | undefined, reference: string): string | null {
  if (!resource) return null;
  const units = (resource.purchase_units as Array<{ reference_id?: string; custom_id?: string; invoice_id?: string }> | undefined) ?? [];
  const names = [resource.custom_id, resource.invoice_id, ...units.flatMap((u) => [u.reference_id, u.custom_id, u.invoice_id])];
  if (!names.includes(reference.slice(0, 127))) return null;
  const related = (resource.supplementary_data as { related_ids?: { order_id?: string } } | undefined)?.related_ids?.order_id;
  if (related) return related;
  return units.length && typeof resource.id === 'string' ? resource.id : null;
}
