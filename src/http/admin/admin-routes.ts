// The admin API (mounted at /admin/v1): merchants, API keys, webhook settings and gateway
// accounts. Guarded by one operator key (JUNCTION_ADMIN_KEY) sent as a Bearer token; without a
// configured key the whole API answers 403, so nothing is open by accident.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { requireAdminKey } from '../auth/admin-auth.ts';
import { registerApiKeyAdminRoutes } from './api-key-admin-routes.ts';
import { registerConnectorAdminRoutes, type ConnectorAdminDeps } from './connector-admin-routes.ts';
import { registerGatewayAccountAdminRoutes } from './gateway-account-admin-routes.ts';
import { registerCreateMerchantRoute, registerMerchantRoutes } from './merchant-admin-routes.ts';
import { registerSigningKeyAdminRoutes } from './signing-key-admin-routes.ts';

export interface AdminRoutesDeps extends ConnectorAdminDeps {
  merchants: MerchantService;
  adminApiKey: string | undefined;
}

export function adminRoutes(deps: AdminRoutesDeps): FastifyPluginAsyncTypebox {
  const { merchants } = deps;

  return async (app) => {
    app.addHook('onRequest', requireAdminKey(deps.adminApiKey));

    // Registered in this order: the OpenAPI document lists the paths as they come.
    registerCreateMerchantRoute(app, merchants);
    registerConnectorAdminRoutes(app, deps);
    registerMerchantRoutes(app, merchants);
    registerApiKeyAdminRoutes(app, merchants);
    registerGatewayAccountAdminRoutes(app, merchants);
    registerSigningKeyAdminRoutes(app, merchants);
  };
}
