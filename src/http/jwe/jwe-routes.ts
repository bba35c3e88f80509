// The official clients' encrypted endpoints (`jweAuth`): /v4/order-status, /v4/txns,
// /v4/orders/{id}/refunds and /v4/session. Each request is a JWE around a JWS; we open it with the
// keys its `kid` names, run the same use-case as the plain endpoint, and answer signed and
// encrypted to the merchant. Errors answer in clear (the clients read them unencrypted).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { jweKeyId, openJuspayJwe, sealJuspayJwe, type JweEnvelope } from '../../core/jose/juspay-jwe.ts';
import type { JwtKeyService } from '../../core/merchants/jwt-key-service.ts';
import { flattenBody, type FlatBody } from '../../core/payments/input.ts';
import type { PaymentService } from '../../core/payments/payment-service.ts';
import { requireAdminKey } from '../auth/admin-auth.ts';
import { NoQuery } from '../schemas.ts';

const Envelope = Type.Object(
  { header: Type.String(), encryptedKey: Type.String(), iv: Type.String(), encryptedPayload: Type.String(), tag: Type.String() },
  { additionalProperties: true, description: 'JWE (RSA-OAEP + A256GCM) around a JWS (RS256) of the plain request body' },
);

export interface JweRoutesDeps {
  payments: PaymentService;
  createSession(merchantId: string, body: FlatBody): Promise<Record<string, unknown>>;
  keys: JwtKeyService;
}

export function jweRoutes(deps: JweRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function handle(request: FastifyRequest, run: (merchantId: string, body: FlatBody) => Promise<unknown>): Promise<JweEnvelope> {
      const keyId = jweKeyId(request.body);
      const keys = await deps.keys.resolve(keyId);
      const claimed = request.headers['x-merchantid'];
      if (typeof claimed === 'string' && claimed !== '' && claimed !== keys.merchantId) {
        throw new AppError('UNAUTHENTICATED', 'x-merchantid does not match the key id', { fields: [{ field_name: 'x-merchantid', reason: 'does not match the key id' }] });
      }
      const payload = flattenBody(await openJuspayJwe(request.body, keys));
      const answer = await run(keys.merchantId, payload);
      return sealJuspayJwe(answer, keyId, keys);
    }
    const schema = (summary: string) => ({ tags: ['encrypted (JWE)'], summary, body: Envelope });

    app.post('/v4/order-status', { schema: schema('Order status, encrypted') }, async (request) =>
      handle(request, (merchantId, body) => {
        if (!body.order_id) throw new AppError('MISSING_MANDATORY_PARAMETER', 'Mandatory parameter is missing: order_id', { fields: [{ field_name: 'order_id', reason: 'is required' }] });
        return deps.payments.getOrderStatus(merchantId, body.order_id, { fullGatewayResponse: body['options.add_full_gateway_response'] === 'true' });
      }),
    );
    app.post('/v4/txns', { schema: schema('Start a payment, encrypted') }, async (request) => handle(request, (merchantId, body) => deps.payments.createTxn({ merchantId }, body)));
    app.post('/v4/orders/:order_id/refunds', { schema: { ...schema('Refund an order, encrypted'), params: Type.Object({ order_id: Type.String({ maxLength: 64 }) }) } }, async (request) =>
      handle(request, (merchantId, body) => deps.payments.refund(merchantId, body, request.params.order_id)),
    );
    app.post('/v4/session', { schema: schema('Order and payment page session, encrypted') }, async (request) => handle(request, (merchantId, body) => deps.createSession(merchantId, body)));
  };
}

/** Operators register a merchant's public key and hand back ours (admin key). */
export function jwtKeyAdminRoutes(deps: { keys: JwtKeyService; adminApiKey: string | undefined }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRequest', requireAdminKey(deps.adminApiKey));
    const params = Type.Object({ merchantId: Type.String({ maxLength: 64 }) });
    const tags = ['admin'];
    const security = [{ adminBearer: [] }];
    app.post(
      '/merchants/:merchantId/jwt-keys',
      {
        schema: {
          tags,
          security,
          summary: "Register a merchant's RSA public key for encrypted requests; answers our public key and the key id",
          params,
          body: Type.Object({ merchant_public_key: Type.String({ maxLength: 8192 }) }),
        },
      },
      async (request, reply) => {
        const created = await deps.keys.register(request.params.merchantId, request.body);
        return reply.status(201).send(created);
      },
    );
    app.get('/merchants/:merchantId/jwt-keys', { schema: { tags, security, summary: "A merchant's keys for encrypted requests", params, querystring: NoQuery } }, async (request) => ({
      keys: await deps.keys.list(request.params.merchantId),
    }));
    app.delete(
      '/merchants/:merchantId/jwt-keys/:keyId',
      {
        schema: { tags, security, summary: 'Revoke a key', params: Type.Object({ merchantId: Type.String({ maxLength: 64 }), keyId: Type.String({ maxLength: 64 }) }), querystring: NoQuery },
      },
      async (request) => {
        const { merchantId, keyId } = request.params;
        return deps.keys.revoke(merchantId, keyId);
      },
    );
  };
}
