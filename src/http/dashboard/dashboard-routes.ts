// The dashboard's data API (docs/dashboard-api.md): analytics, live traffic, payments and
// gateways under /v1/dashboard. Every route authenticates the caller (user token, session or
// API key) before its input is validated, and every read and write is scoped to the caller's
// merchant. Role checks (refund, gateway configuration, outages) come from core.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requireDashboardRight } from '../../core/analytics/dashboard-rights.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import type { DashboardActor, DashboardContext, DashboardRoutesDeps } from './context.ts';
import { gatewayRoutes } from './gateway-routes.ts';
import { orderRoutes } from './order-routes.ts';

export type { DashboardRoutesDeps } from './context.ts';

export function dashboardRoutes(deps: DashboardRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const actors = new WeakMap<FastifyRequest, DashboardActor>();
    // Authentication first: an unauthenticated caller learns nothing from validation errors.
    app.addHook('preValidation', async (request) => {
      actors.set(request, await deps.actorOf(request));
    });
    const context: DashboardContext = {
      ...deps,
      actor(request) {
        const actor = actors.get(request);
        if (!actor) throw new Error('dashboard route reached without an authenticated actor');
        return actor;
      },
      requireRight: (action) => async (request) => {
        requireDashboardRight(context.actor(request), action);
      },
    };
    await app.register(analyticsRoutes(context));
    await app.register(orderRoutes(context));
    await app.register(gatewayRoutes(context));
  };
}
