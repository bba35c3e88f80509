// The admin API's merchant routes: create, list (a page at a time), get, and webhook settings.
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { NoQuery } from '../schemas.ts';
import type { AdminApp } from './admin-app.ts';
import {
  CreatedKeyBody,
  CreateMerchantRequest,
  errors,
  gatewayAccountToAdminWire,
  MERCHANT_LIST_PARAMS,
  MerchantBody,
  MerchantListItem,
  MerchantListQuery,
  MerchantParams,
  merchantToWire,
  Nullable,
  security,
  WebhookPatchRequest,
} from './admin-wire.ts';

export function registerCreateMerchantRoute(app: AdminApp, merchants: MerchantService): void {
  app.post(
    '/merchants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a merchant (returns its first API key, response key and webhook HMAC key once)',
        security,
        body: CreateMerchantRequest,
        response: {
          201: Type.Object({ merchant: MerchantBody, api_key: CreatedKeyBody, response_key: Type.String(), webhook_hmac_key: Type.String() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const created = await merchants.createMerchant({
        ...(b.merchant_id !== undefined ? { id: b.merchant_id } : {}),
        name: b.name,
        ...(b.webhook_url !== undefined ? { webhookUrl: b.webhook_url } : {}),
        ...(b.webhook_username !== undefined ? { webhookUsername: b.webhook_username } : {}),
        ...(b.webhook_password !== undefined ? { webhookPassword: b.webhook_password } : {}),
        ...(b.webhook_custom_headers !== undefined ? { webhookCustomHeaders: b.webhook_custom_headers } : {}),
        ...(b.webhook_version !== undefined ? { webhookVersion: b.webhook_version } : {}),
      });
      return reply.status(201).send({
        merchant: merchantToWire(created.merchant),
        api_key: { id: created.apiKeyId, key: created.apiKey, prefix: created.apiKeyPrefix },
        response_key: created.responseKey,
        webhook_hmac_key: created.webhookHmacKey,
      });
    },
  );
}

export function registerMerchantRoutes(app: AdminApp, merchants: MerchantService): void {
  app.get(
    '/merchants',
    {
      schema: {
        tags: ['admin'],
        security,
        summary: "List merchants in id order, a page at a time (limit 1-200, default 50; cursor = next_cursor); include_gateway_accounts=true adds each one's gateway accounts (credentials masked)",
        querystring: MerchantListQuery,
        response: { 200: Type.Object({ merchants: Type.Array(MerchantListItem), next_cursor: Nullable(Type.String()) }), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      for (const key of Object.keys(q)) {
        if (!MERCHANT_LIST_PARAMS.includes(key))
          throw new AppError('INVALID_INPUT', `Unknown parameter ${key}`, { fields: [{ field_name: key, reason: `is not a parameter of this list (${MERCHANT_LIST_PARAMS.join(', ')})` }] });
      }
      const include = q.include_gateway_accounts;
      if (include !== undefined && include !== 'true' && include !== 'false') {
        throw new AppError('INVALID_INPUT', 'Invalid value for include_gateway_accounts: must be true or false', {
          fields: [{ field_name: 'include_gateway_accounts', reason: 'must be true or false' }],
        });
      }
      const page = await merchants.listMerchants({ ...(q.limit !== undefined ? { limit: q.limit } : {}), ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) });
      const items = [];
      for (const merchant of page.merchants) {
        items.push({
          ...merchantToWire(merchant),
          ...(include === 'true' ? { gateway_accounts: (await merchants.listGatewayAccounts(merchant.id)).map(gatewayAccountToAdminWire) } : {}),
        });
      }
      return { merchants: items, next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/merchants/:merchantId',
    { schema: { querystring: NoQuery, tags: ['admin'], summary: 'Get a merchant', security, params: MerchantParams, response: { 200: MerchantBody, ...errors } } },
    async (request) => merchantToWire(await merchants.getMerchant(request.params.merchantId)),
  );

  app.patch(
    '/merchants/:merchantId/webhook',
    {
      schema: {
        tags: ['admin'],
        summary: 'Update webhook settings (null clears a field; rotate_hmac_key: true rotates the webhook signing key like POST .../signing-keys/webhook-key/rotate and returns the new key)',
        security,
        params: MerchantParams,
        body: WebhookPatchRequest,
        response: { 200: Type.Object({ merchant: MerchantBody, webhook_hmac_key: Type.Optional(Type.String()) }), ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.rotate_hmac_key === true) reply.header('cache-control', 'no-store');
      const result = await merchants.updateWebhookSettings(request.params.merchantId, {
        ...(b.url !== undefined ? { url: b.url } : {}),
        ...(b.username !== undefined ? { username: b.username } : {}),
        ...(b.password !== undefined ? { password: b.password } : {}),
        ...(b.custom_headers !== undefined ? { customHeaders: b.custom_headers } : {}),
        ...(b.version !== undefined ? { version: b.version } : {}),
        ...(b.rotate_hmac_key !== undefined ? { rotateHmacKey: b.rotate_hmac_key } : {}),
      });
      return { merchant: merchantToWire(result.merchant), ...(result.webhookHmacKey !== undefined ? { webhook_hmac_key: result.webhookHmacKey } : {}) };
    },
  );
}
