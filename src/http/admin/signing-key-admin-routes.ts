// The admin API's signing key routes (response key, webhook HMAC key): shown and rotated with the
// admin key only; see docs/webhooks.md for why a merchant's API key cannot read them.
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { NoBody, NoQuery } from '../schemas.ts';
import type { AdminApp } from './admin-app.ts';
import { errors, MerchantParams, RotatedResponseKeyBody, RotatedWebhookKeyBody, security, SigningKeysBody, signingKeysToWire } from './admin-wire.ts';

export function registerSigningKeyAdminRoutes(app: AdminApp, merchants: MerchantService): void {
  // Signing keys. Answers carry secrets: never cached by a proxy or a browser.
  app.get(
    '/merchants/:merchantId/signing-keys',
    {
      schema: {
        querystring: NoQuery,
        tags: ['admin'],
        summary: "Show a merchant's response key and webhook signing key",
        security,
        params: MerchantParams,
        response: { 200: SigningKeysBody, ...errors },
      },
    },
    async (request, reply) => {
      const keys = await merchants.getSigningKeys(request.params.merchantId);
      reply.header('cache-control', 'no-store');
      return signingKeysToWire(request.params.merchantId, keys);
    },
  );

  app.post(
    '/merchants/:merchantId/signing-keys/response-key/rotate',
    {
      schema: {
        body: NoBody,
        tags: ['admin'],
        summary: 'Rotate the response key (the new key signs the next return-URL redirect; the old one no longer does)',
        security,
        params: MerchantParams,
        response: { 200: RotatedResponseKeyBody, ...errors },
      },
    },
    async (request, reply) => {
      const rotated = await merchants.rotateSigningKey(request.params.merchantId, 'response_key');
      reply.header('cache-control', 'no-store');
      return { merchant_id: request.params.merchantId, response_key: rotated.value };
    },
  );

  app.post(
    '/merchants/:merchantId/signing-keys/webhook-key/rotate',
    {
      schema: {
        body: NoBody,
        tags: ['admin'],
        summary: 'Rotate the webhook signing key (the new key signs the next delivery, retries included; the old one no longer does)',
        security,
        params: MerchantParams,
        response: { 200: RotatedWebhookKeyBody, ...errors },
      },
    },
    async (request, reply) => {
      const rotated = await merchants.rotateSigningKey(request.params.merchantId, 'webhook_hmac_key');
      reply.header('cache-control', 'no-store');
      return { merchant_id: request.params.merchantId, webhook_hmac_key: rotated.value };
    },
  );
}
