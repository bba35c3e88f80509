// Order use-cases: create (idempotent on order_id), update before payment, status, fulfillment,
// and the lookup behind the hosted payment page.
import { AppError, invalidField, notFound } from '../errors.ts';
import { newId, randomToken, sha256Hex } from '../crypto.ts';
import { type FlatBody, readString } from './input.ts';
import { parseOrderCreate, parseOrderUpdate } from './order-input.ts';
import { orderCreateView } from './order-status-view.ts';
import { encodeOrderListCursor, orderListItemView, parseOrderListQuery } from './order-list.ts';
import type { PaymentContext } from './payment-context.ts';
import type { Fulfillment, Order } from './types.ts';

export function createOrderFlow(ctx: PaymentContext) {
  const { store, now, view, requireOrder, statusOf } = ctx;

  async function createOrder(merchantId: string, body: FlatBody): Promise<Record<string, unknown>> {
    const input = parseOrderCreate(body);
    const clientAuthToken = input.wantsClientAuthToken ? `tkn_${randomToken(24)}` : null;
    const expiry = clientAuthToken ? new Date(now().getTime() + 15 * 60_000) : null;
    const { order, created } = await store.insertOrderIfAbsent({
      id: newId('ordeh'),
      merchantId,
      orderId: input.orderId,
      amount: input.amount,
      currency: input.currency,
      status: 'NEW',
      customerId: input.customerId,
      customerEmail: input.customerEmail,
      customerPhone: input.customerPhone,
      description: input.description,
      productId: input.productId,
      returnUrl: input.returnUrl,
      gatewayId: input.gatewayId,
      billingAddress: input.billingAddress,
      shippingAddress: input.shippingAddress,
      udf: input.udf,
      metadata: input.metadata,
      clientAuthTokenHash: clientAuthToken ? sha256Hex(clientAuthToken) : null,
      clientAuthTokenExpiry: expiry,
    });
    if (!created && (order.amount !== input.amount || order.currency !== input.currency)) {
      // The same order id again: never a second order. A different amount is a merchant bug worth telling.
      throw new AppError('ALREADY_EXISTS', `Order ${input.orderId} already exists with a different amount or currency`, {
        fields: [{ field_name: 'order_id', reason: 'already used for another order' }],
      });
    }
    if (!created) return statusOf(order);
    return orderCreateView(order, view, clientAuthToken);
  }

  async function updateOrder(merchantId: string, orderId: string, body: FlatBody): Promise<Record<string, unknown>> {
    const existing = await requireOrder(merchantId, orderId);
    const update = parseOrderUpdate(body, existing.currency);
    const order = await store.transaction(async (tx) => {
      const locked = await tx.lockOrder(merchantId, orderId);
      if (!locked) throw notFound(`Order ${orderId}`);
      if (locked.status !== 'NEW' || locked.txnCount > 0) {
        throw new AppError('INVALID_ACTION', 'An order can only be updated before a transaction starts', { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
      }
      const patch = { ...update };
      if (update.udf) patch.udf = { ...locked.udf, ...update.udf };
      if (update.metadata) patch.metadata = { ...locked.metadata, ...update.metadata };
      return tx.updateOrder(locked.id, patch);
    });
    return statusOf(order);
  }

  async function getOrderStatus(merchantId: string, orderId: string, options: { fullGatewayResponse?: boolean } = {}): Promise<Record<string, unknown>> {
    const order = await store.getOrder(merchantId, orderId);
    if (!order) throw new AppError('RESOURCE_NOT_FOUND', `Order ${orderId} not found`, { fields: [{ field_name: 'order_id', reason: 'no such order for this merchant' }] });
    return statusOf(order, options);
  }

  /** GET /orders: a page of the merchant's orders, newest first, and the cursor of the next page (null on the last). */
  async function listOrders(merchantId: string, rawQuery: Readonly<Record<string, unknown>>): Promise<{ list: Record<string, unknown>[]; count: number; next_cursor: string | null }> {
    const query = parseOrderListQuery(rawQuery);
    // One row more than asked tells whether a next page exists.
    const rows = await store.listOrders(merchantId, { ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { list: page.map((r) => orderListItemView(r.order)), count: page.length, next_cursor: rows.length > query.limit && last ? encodeOrderListCursor(last.cursor) : null };
  }

  /** POST /orders/{id}/fulfillment: the merchant tells us whether it delivered (and whether to hold settlement). */
  async function updateFulfillment(merchantId: string, orderId: string, body: FlatBody): Promise<Record<string, unknown>> {
    const status = readString(body, 'fulfillment_status', { required: true, oneOf: ['SUCCESS', 'FAILURE', 'PENDING'] }) as Fulfillment['fulfillment_status'];
    const command = (readString(body, 'fulfillment_command', { oneOf: ['NO_ACTION', 'RELEASE_HOLD', 'HOLD'] }) ?? 'NO_ACTION') as Fulfillment['fulfillment_command'];
    const time = readString(body, 'fulfillment_time', { max: 40 });
    if (time !== null && Number.isNaN(Date.parse(time))) throw invalidField('fulfillment_time', 'must be an ISO 8601 date-time');
    const fulfillment: Fulfillment = {
      fulfillment_status: status,
      fulfillment_command: command,
      fulfillment_time: time,
      fulfillment_id: readString(body, 'fulfillment_id', { max: 128 }),
      fulfillment_data: readString(body, 'fulfillment_data', { max: 4096 }),
      updated_at: now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
    const order = await store.transaction(async (tx) => {
      const locked = await tx.lockOrder(merchantId, orderId);
      if (!locked) throw new AppError('RESOURCE_NOT_FOUND', `Order ${orderId} not found`, { fields: [{ field_name: 'order_id', reason: 'no such order for this merchant' }] });
      if (locked.status !== 'CHARGED' && locked.status !== 'AUTHORIZED') {
        throw new AppError('INVALID_ACTION', `Fulfillment applies to paid orders; order ${orderId} is ${locked.status}`, { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
      }
      return tx.updateOrder(locked.id, { fulfillment });
    });
    return statusOf(order);
  }

  /** The hosted payment page looks orders up by their unguessable internal id. */
  async function orderForPaymentPage(orderPk: string): Promise<Order> {
    const order = await store.getOrderByPk(orderPk);
    if (!order) throw notFound('Order');
    return order;
  }

  return { createOrder, updateOrder, getOrderStatus, listOrders, updateFulfillment, orderForPaymentPage };
}
