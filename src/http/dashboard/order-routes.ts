// Payments in the dashboard: order search, order detail with every attempt's routing trace,
// and refunds (ADMIN; the same use-case, so the same rules, as POST /orders/{id}/refunds).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseOrderSearch } from '../../core/analytics/query-input.ts';
import { flattenBody } from '../../core/payments/input.ts';
import { DASHBOARD_SECURITY as security, DASHBOARD_TAGS as tags, type DashboardContext } from './context.ts';
import { OrderDetailResponse, OrdersQuerySchema, OrdersResponse, RefundBody, orderDetailToWire, orderSummaryToWire } from './wire.ts';
import { NoBody, NoQuery } from '../schemas.ts';
import { AppError } from '../../core/errors.ts';
import { webhookDeliveryView } from '../../core/webhooks/webhook-log.ts';

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef };
const OrderParams = Type.Object({ order_id: Type.String({ minLength: 1, maxLength: 64 }) });
const EventParams = Type.Object({ order_id: Type.String({ minLength: 1, maxLength: 64 }), event_id: Type.String({ minLength: 1, maxLength: 64 }) });
const WebhookDelivery = Type.Object({
  id: Type.String(),
  event_name: Type.String(),
  order_id: Type.Union([Type.String(), Type.Null()]),
  target_url: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  date_created: Type.Union([Type.String(), Type.Null()]),
  next_attempt_at: Type.Union([Type.String(), Type.Null()]),
  delivered_at: Type.Union([Type.String(), Type.Null()]),
});

export function orderRoutes(ctx: DashboardContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/dashboard/orders',
      {
        schema: {
          tags,
          security,
          summary: 'Orders, newest first: search by order id, customer id or email (prefix), filter by status and time; keyset pages',
          querystring: OrdersQuerySchema,
          response: { 200: OrdersResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        const page = await ctx.analytics.orders(actor.merchantId, parseOrderSearch(request.query));
        return { orders: page.orders.map(orderSummaryToWire), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/dashboard/orders/:order_id',
      {
        schema: {
          querystring: NoQuery,
          tags,
          security,
          summary: 'An order with every attempt (unified error, raw gateway answer, latency, routing trace) and its refunds',
          params: OrderParams,
          response: { 200: OrderDetailResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        return orderDetailToWire(await ctx.analytics.orderDetail(actor.merchantId, request.params.order_id));
      },
    );

    const webhookLog = () => {
      if (!ctx.webhookLog) throw new AppError('METHOD_NOT_FOUND', 'The webhook delivery log is not available here');
      return ctx.webhookLog;
    };

    app.get(
      '/v1/dashboard/orders/:order_id/webhooks',
      {
        schema: {
          querystring: NoQuery,
          tags,
          security,
          summary: "The order's outgoing webhooks, newest first (every role)",
          params: OrderParams,
          response: { 200: Type.Object({ order_id: Type.String(), webhooks: Type.Array(WebhookDelivery) }), ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        const deliveries = await webhookLog().list(actor.merchantId, request.params.order_id);
        return { order_id: request.params.order_id, webhooks: deliveries.map(webhookDeliveryView) as never };
      },
    );

    app.post(
      '/v1/dashboard/orders/:order_id/webhooks/:event_id/resend',
      {
        preValidation: ctx.requireRight('resend_webhook'),
        schema: {
          querystring: NoQuery,
          body: NoBody,
          tags,
          security,
          summary: 'Send a webhook of the order again (EDITOR, ADMIN): same event id and body, due now, fresh retry schedule',
          params: EventParams,
          response: { 202: WebhookDelivery, ...errors },
        },
      },
      async (request, reply) => {
        const actor = ctx.actor(request);
        const queued = await webhookLog().resend(actor.merchantId, request.params.order_id, request.params.event_id);
        return reply.status(202).send(webhookDeliveryView(queued) as never);
      },
    );

    app.post(
      '/v1/dashboard/orders/:order_id/refunds',
      {
        preValidation: ctx.requireRight('refund'),
        schema: {
          tags,
          security,
          summary: 'Refund an order (ADMIN): full or partial, idempotent on unique_request_id; answers the order as after the refund',
          params: OrderParams,
          body: RefundBody,
          response: { 200: OrderDetailResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        await ctx.payments.refund(actor.merchantId, flattenBody(request.body), request.params.order_id);
        return orderDetailToWire(await ctx.analytics.orderDetail(actor.merchantId, request.params.order_id));
      },
    );
  };
}
