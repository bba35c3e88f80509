// What the dashboard's Risk page reads about past attempts: GET /v1/risk/blocked (attempts the
// risk checks blocked, with code, reasons and checks) and GET /v1/risk/block-rate (attempts
// checked and blocks per rule or check per time bucket). Same authentication as the rest of
// /v1/risk: a dashboard user with the read right or the merchant's API key. See docs/risk.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RiskInsightService } from '../../core/risk/risk-insight-service.ts';
import type { ActorAuth } from '../auth/user-auth.ts';

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef };
const tags = ['risk'];
const security: Array<Record<string, string[]>> = [{ basicAuth: [] }, { userBearer: [] }];
const Instant = Type.String({ maxLength: 40, description: 'ISO 8601 date-time' });
const BlockedQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    limit: Type.Optional(Type.String({ maxLength: 5, description: '1 to 500 (default 50)' })),
    before: Type.Optional(Type.String({ maxLength: 120, description: 'next_cursor of the previous page' })),
  },
  { additionalProperties: false },
);
const BlockRateQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    bucket: Type.Optional(Type.String({ maxLength: 4, description: '1m, 5m, 15m, 1h (default), 6h or 1d' })),
  },
  { additionalProperties: false },
);

export function riskInsightRoutes(deps: { insights: RiskInsightService; actorOf: ActorAuth }): FastifyPluginAsyncTypebox {
  const { insights, actorOf } = deps;
  return async (app) => {
    app.get(
      '/v1/risk/blocked',
      {
        schema: {
          tags,
          security,
          summary: 'Attempts the risk checks blocked (newest first, default last 24 h), with code, reasons and the blocking checks',
          querystring: BlockedQuery,
          response: errors,
        },
      },
      async (request) => insights.blocked(await actorOf(request), request.query),
    );
    app.get(
      '/v1/risk/block-rate',
      {
        schema: { tags, security, summary: 'Attempts checked and blocked per time bucket, blocks per rule or check', querystring: BlockRateQuery, response: errors },
      },
      async (request) => insights.blockRate(await actorOf(request), request.query),
    );
  };
}
