// The admin API's API key routes: create (shown once), list (prefixes only), revoke.
import { Type } from 'typebox';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { NoQuery } from '../schemas.ts';
import type { AdminApp } from './admin-app.ts';
import { ApiKeyBody, apiKeyToWire, CreatedKeyBody, CreateKeyRequest, errors, KeyParams, MerchantParams, security } from './admin-wire.ts';

export function registerApiKeyAdminRoutes(app: AdminApp, merchants: MerchantService): void {
  app.post(
    '/merchants/:merchantId/api-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (shown once)',
        security,
        params: MerchantParams,
        body: CreateKeyRequest,
        response: { 201: CreatedKeyBody, ...errors },
      },
      // The body is optional: a POST without one means "no label".
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const created = await merchants.createApiKey(request.params.merchantId, request.body.label ?? null);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/merchants/:merchantId/api-keys',
    {
      schema: {
        querystring: NoQuery,
        tags: ['admin'],
        summary: 'List API keys (prefixes only)',
        security,
        params: MerchantParams,
        response: { 200: Type.Object({ api_keys: Type.Array(ApiKeyBody) }), ...errors },
      },
    },
    async (request) => ({ api_keys: (await merchants.listApiKeys(request.params.merchantId)).map(apiKeyToWire) }),
  );

  app.delete(
    '/merchants/:merchantId/api-keys/:keyId',
    {
      schema: {
        querystring: NoQuery,
        tags: ['admin'],
        summary: 'Revoke an API key (effective at once on this instance, within seconds on others)',
        security,
        params: KeyParams,
        response: { 200: ApiKeyBody, ...errors },
      },
    },
    async (request) => apiKeyToWire(await merchants.revokeApiKey(request.params.merchantId, request.params.keyId)),
  );
}
