// The merchant API's webhook delivery log: an order's outgoing webhooks (event, attempts, last
// answer, times) and the re-send of one (docs/webhooks.md, "Delivery log and re-send").
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { webhookDeliveryView, type WebhookLog } from '../../core/webhooks/webhook-log.ts';
import type { MerchantAuth } from '../auth/merchant-auth.ts';
import { NoBody, NoQuery, OrderIdParams } from '../schemas.ts';

export interface WebhookLogRoutesDeps {
  webhookLog: WebhookLog;
  auth: MerchantAuth;
}

const EventParams = Type.Object({ order_id: Type.String({ maxLength: 64 }), event_id: Type.String({ maxLength: 64 }) });

export function webhookLogRoutes(deps: WebhookLogRoutesDeps): FastifyPluginAsyncTypebox {
  const { webhookLog, auth } = deps;
  return async (app) => {
    const tags = ['webhooks'];
    app.get(
      '/orders/:order_id/webhooks',
      {
        schema: { tags, summary: "The order's outgoing webhooks, newest first: event, status, attempts, last status code and error, times", params: OrderIdParams, querystring: NoQuery },
      },
      async (request) => {
        const principal = await auth.required(request);
        const deliveries = await webhookLog.list(principal.merchantId, request.params.order_id);
        return { order_id: request.params.order_id, webhooks: deliveries.map(webhookDeliveryView) };
      },
    );

    app.post(
      '/orders/:order_id/webhooks/:event_id/resend',
      {
        schema: { tags, summary: 'Send a webhook of the order again: the same event (id and body), due now, with a fresh retry schedule', params: EventParams, querystring: NoQuery, body: NoBody },
      },
      async (request, reply) => {
        const principal = await auth.required(request);
        const queued = await webhookLog.resend(principal.merchantId, request.params.order_id, request.params.event_id);
        return reply.status(202).send(webhookDeliveryView(queued));
      },
    );
  };
}
