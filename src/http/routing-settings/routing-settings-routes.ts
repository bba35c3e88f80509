// A merchant's routing settings (automatic fallback across gateways): readable by every role,
// changed by ADMIN users or the API key.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { hasRight } from '../../core/priority-logic/priority-logic-service.ts';
import { routingSettingsToWire } from '../../core/routing-settings.ts';
import type { ActorAuth } from '../auth/user-auth.ts';

const SettingsBody = Type.Object(
  {
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'Gateways one payment may try (1 = no automatic fallback)' })),
    retry_soft_declines: Type.Optional(Type.Boolean({ description: 'Retry soft declines (do-not-honour, issuer unavailable) on the next gateway' })),
  },
  { additionalProperties: false },
);

export function routingSettingsRoutes(deps: { merchants: MerchantService; actorOf: ActorAuth }) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const tags = ['routing'];
    const security: Array<Record<string, string[]>> = [{ userBearer: [] }, { basicAuth: [] }];
    app.get('/v1/routing-settings', { schema: { tags, security, summary: 'Routing settings: automatic fallback' } }, async (request) => {
      const actor = await deps.actorOf(request);
      return routingSettingsToWire(await deps.merchants.getRoutingSettings(actor.merchantId));
    });
    app.put('/v1/routing-settings', { schema: { tags, security, summary: 'Change routing settings (ADMIN)', body: SettingsBody } }, async (request) => {
      const actor = await deps.actorOf(request);
      if (!hasRight(actor, 'release')) throw new AppError('UNAUTHORIZED', 'You do not have access');
      return routingSettingsToWire(await deps.merchants.updateRoutingSettings(actor.merchantId, request.body));
    });
  };
}
