// The EC API's payment endpoints: orders, transactions, refunds, the authentication return
// page and incoming gateway webhooks.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { flattenBody, type FlatBody } from '../../core/payments/input.ts';
import type { PaymentService } from '../../core/payments/payment-service.ts';
import { STATUS_ID } from '../../core/status.ts';
import type { MerchantAuth } from '../auth/merchant-auth.ts';
import { renderPaymentPage, renderReturnPage, renderUpiWaitingPage } from './payment-page.ts';
import { AnyObject, CaptureBody, OrderListQuerySchema, OrderCreateBody, OrderIdParams, OrderUpdateBody, RefundBody, TxnBody, VoidBody } from '../schemas.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

export interface PaymentRoutesDeps {
  payments: PaymentService;
  auth: MerchantAuth;
}

function body(request: FastifyRequest): FlatBody {
  return flattenBody(request.body);
}

function query(request: FastifyRequest): FlatBody {
  return flattenBody(request.query);
}

const txnParams = Type.Object({ txn_uuid: Type.String({ maxLength: 64 }) });

/** Orders: create, list, update, status (three paths), fulfillment. */
function orderRoutes(app: App, { payments, auth }: PaymentRoutesDeps): void {
  const orderTags = ['orders'];

  const createOrder = async (request: FastifyRequest) => {
    const principal = await auth.required(request);
    return payments.createOrder(principal.merchantId, body(request));
  };
  app.post('/orders', { schema: { tags: orderTags, summary: 'Create an order', body: OrderCreateBody } }, createOrder);
  app.post('/order/create', { schema: { tags: orderTags, summary: 'Create an order (legacy path)', body: OrderCreateBody } }, createOrder);

  app.get(
    '/orders',
    {
      schema: {
        tags: orderTags,
        summary:
          'List orders, newest first: filter by creation time (date_created_from inclusive, date_created_to exclusive; ISO-8601 or epoch seconds) and status (one or several); limit (1-100, default 20); cursor = next_cursor of the previous page',
        querystring: OrderListQuerySchema,
      },
    },
    async (request) => {
      const principal = await auth.required(request);
      return payments.listOrders(principal.merchantId, request.query as Record<string, unknown>);
    },
  );

  app.post('/orders/:order_id', { schema: { tags: orderTags, summary: 'Update an order before payment', params: OrderIdParams, body: OrderUpdateBody } }, async (request) => {
    const principal = await auth.required(request);
    return payments.updateOrder(principal.merchantId, request.params.order_id, body(request));
  });

  const orderStatus = async (request: FastifyRequest, reply: FastifyReply, orderId: string) => {
    const principal = await auth.required(request);
    const q = query(request);
    try {
      return await payments.getOrderStatus(principal.merchantId, orderId, { fullGatewayResponse: q['options.add_full_gateway_response'] === 'true' });
    } catch (error) {
      if (error instanceof AppError && error.code === 'RESOURCE_NOT_FOUND') {
        // Juspay answers an unknown order with status NOT_FOUND (40) inside the error body.
        const requestId = request.id;
        return reply.status(404).send({
          status: 'NOT_FOUND',
          status_id: STATUS_ID.NOT_FOUND,
          error_code: 'object_not_found',
          error_message: error.message,
          error_info: {
            code: 'RESOURCE_NOT_FOUND',
            category: 'USER_ERROR',
            request_id: requestId,
            developer_message: error.message,
            user_message: error.message,
            href: '/docs/errors.md#resource_not_found',
            fields: error.fields,
          },
        });
      }
      throw error;
    }
  };
  app.get('/orders/:order_id', { schema: { tags: orderTags, summary: 'Order status', params: OrderIdParams, querystring: AnyObject } }, async (request, reply) =>
    orderStatus(request, reply, request.params.order_id),
  );
  app.get(
    '/order/status',
    { schema: { tags: orderTags, summary: 'Order status (legacy path)', querystring: Type.Object({ order_id: Type.String() }, { additionalProperties: true }) } },
    async (request, reply) => orderStatus(request, reply, request.query.order_id),
  );
  app.post(
    '/order/status',
    { schema: { tags: orderTags, summary: 'Order status (legacy path, form body)', body: Type.Object({ order_id: Type.String() }, { additionalProperties: true }) } },
    async (request, reply) => orderStatus(request, reply, request.body.order_id),
  );

  app.post(
    '/orders/:order_id/fulfillment',
    {
      schema: {
        tags: orderTags,
        summary: 'Report fulfillment of a paid order',
        params: OrderIdParams,
        body: Type.Object(
          {
            fulfillment_status: Type.String({ description: 'SUCCESS, FAILURE or PENDING' }),
            fulfillment_command: Type.Optional(Type.String({ description: 'NO_ACTION, RELEASE_HOLD or HOLD' })),
            fulfillment_time: Type.Optional(Type.String()),
            fulfillment_id: Type.Optional(Type.String()),
            fulfillment_data: Type.Optional(Type.String()),
          },
          { additionalProperties: true },
        ),
      },
    },
    async (request) => {
      const principal = await auth.required(request);
      return payments.updateFulfillment(principal.merchantId, request.params.order_id, body(request));
    },
  );
}

/** Transactions (the payment itself, its authentication return, capture and void) and refunds. */
function txnRoutes(app: App, { payments, auth }: PaymentRoutesDeps): void {
  app.post('/txns', { schema: { tags: ['transactions'], summary: 'Start a payment on an order (card, netbanking, UPI, wallet)', body: TxnBody } }, async (request) => {
    const principal = await auth.optional(request);
    return payments.createTxn(principal ? { merchantId: principal.merchantId } : null, body(request));
  });

  app.post('/orders/:order_id/refunds', { schema: { tags: ['refunds'], summary: 'Refund an order', params: OrderIdParams, body: RefundBody } }, async (request) => {
    const principal = await auth.required(request);
    return payments.refund(principal.merchantId, body(request), request.params.order_id);
  });
  app.post('/refunds', { schema: { tags: ['refunds'], summary: 'Refund by txn_id or order_id', body: RefundBody } }, async (request) => {
    const principal = await auth.required(request);
    return payments.refund(principal.merchantId, body(request), null);
  });

  // The shopper's browser lands here after the gateway's authentication page (and for direct payments).
  const returnHandler = async (request: FastifyRequest, reply: FastifyReply, txnUuid: string) => {
    const params: Record<string, string> = { ...query(request), ...(request.method === 'POST' ? body(request) : {}) };
    const result = await payments.completeAuthentication(txnUuid, params);
    if (result.waiting) {
      // A UPI collect request still waiting for the shopper's approval in their UPI app.
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderUpiWaitingPage(result.order));
    }
    if (result.redirectTo) return reply.redirect(result.redirectTo, 302);
    return reply.type('text/html; charset=utf-8').send(renderReturnPage(result.order, result.txn));
  };
  app.get('/txns/:txn_uuid/return', { schema: { tags: ['transactions'], summary: 'Return from authentication (browser)', params: txnParams, querystring: AnyObject } }, (request, reply) =>
    returnHandler(request, reply, request.params.txn_uuid),
  );
  app.post(
    '/txns/:txn_uuid/return',
    { schema: { tags: ['transactions'], summary: 'Return from authentication (browser, form post)', params: txnParams, querystring: AnyObject, body: AnyObject } },
    (request, reply) => returnHandler(request, reply, request.params.txn_uuid),
  );

  // Pre-auth: capture or void an AUTHORIZED transaction (orders created with metadata.txns.auto_capture=false).
  // Juspay's documented calls carry no body at all: an absent body is an empty one.
  const emptyBodyIsEmptyObject = async (request: FastifyRequest) => {
    request.body ??= {};
  };
  for (const prefix of ['/v2', '']) {
    app.post(
      `${prefix}/txns/:txn_uuid/capture`,
      { preValidation: emptyBodyIsEmptyObject, schema: { tags: ['transactions'], summary: 'Capture an AUTHORIZED transaction (full or partial)', params: txnParams, body: CaptureBody } },
      async (request) => {
        const principal = await auth.required(request);
        return payments.capture(principal.merchantId, request.params.txn_uuid, body(request));
      },
    );
    app.post(
      `${prefix}/txns/:txn_uuid/void`,
      { preValidation: emptyBodyIsEmptyObject, schema: { tags: ['transactions'], summary: 'Void (release) an AUTHORIZED transaction', params: txnParams, body: VoidBody } },
      async (request) => {
        const principal = await auth.required(request);
        return payments.voidTxn(principal.merchantId, request.params.txn_uuid, body(request));
      },
    );
  }
}

export function paymentRoutes(deps: PaymentRoutesDeps): FastifyPluginAsyncTypebox {
  const { payments } = deps;
  return async (app) => {
    orderRoutes(app, deps);
    txnRoutes(app, deps);

    app.get(
      '/pay/:order_pk',
      { schema: { tags: ['orders'], summary: 'Hosted payment page (payment_links.web)', params: Type.Object({ order_pk: Type.String({ maxLength: 64 }) }), querystring: AnyObject } },
      async (request, reply) => {
        const order = await payments.orderForPaymentPage(request.params.order_pk);
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderPaymentPage(order));
      },
    );

    // Gateways tell us about settled payments and refunds here; each connector verifies its own signature.
    app.post(
      '/webhooks/gateways/:gateway/:merchant_id/:account_id',
      {
        schema: {
          tags: ['gateway webhooks'],
          summary: 'Incoming gateway webhook (signature checked with the account credentials)',
          params: Type.Object({ gateway: Type.String({ maxLength: 40 }), merchant_id: Type.String({ maxLength: 64 }), account_id: Type.String({ maxLength: 64 }) }),
          // Each gateway's own payload: the connector verifies and parses it.
          body: Type.Unknown(),
        },
      },
      async (request) => {
        const { gateway, merchant_id: merchantId, account_id } = request.params;
        const rawBody = (request as FastifyRequest & { rawBody?: string }).rawBody ?? JSON.stringify(request.body ?? {});
        const result = await payments.handleGatewayWebhook(gateway, account_id, merchantId, { headers: request.headers, rawBody, body: request.body });
        return { received: true, handled: result.handled, ...(result.duplicate ? { duplicate: true } : {}) };
      },
    );
  };
}
