// GET /v1/dashboard/analytics and GET /v1/dashboard/live.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseAnalyticsQuery, parseLiveQuery } from '../../core/analytics/query-input.ts';
import { DASHBOARD_SECURITY as security, DASHBOARD_TAGS as tags, type DashboardContext } from './context.ts';
import { AnalyticsQuerySchema, AnalyticsResponse, LiveQuerySchema, LiveResponse, analyticsToWire, liveToWire } from './wire.ts';

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef };

export function analyticsRoutes(ctx: DashboardContext): FastifyPluginAsyncTypebox {
  const now = ctx.now ?? (() => new Date());
  return async (app) => {
    app.get(
      '/v1/dashboard/analytics',
      {
        schema: {
          tags,
          security,
          summary: 'Attempts, success rate, amounts, latency, failures by unified code, per gateway / logic / time bucket, first attempt vs fallback',
          querystring: AnalyticsQuerySchema,
          response: { 200: AnalyticsResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        const query = parseAnalyticsQuery(request.query, now());
        return analyticsToWire(await ctx.analytics.analytics(actor.merchantId, query));
      },
    );

    app.get(
      '/v1/dashboard/live',
      {
        schema: {
          tags,
          security,
          summary: 'Attempts and charges per gateway per step over the last seconds, read from the transactions',
          querystring: LiveQuerySchema,
          response: { 200: LiveResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        return liveToWire(await ctx.analytics.live(actor.merchantId, parseLiveQuery(request.query)));
      },
    );
  };
}
