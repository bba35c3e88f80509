// Backtests of a Priority Logic on past payments (issue 17, item 1): start one (202: it runs after
// the answer), read its status, progress and report, list a logic's recent ones. The state is in
// the database, so any instance answers the reads.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BacktestService } from '../../core/backtest/backtest-service.ts';
import { invalidField } from '../../core/errors.ts';
import type { ActorAuth } from '../auth/user-auth.ts';
import { NoQuery } from '../schemas.ts';
import { BacktestBody, backtestToWire } from './backtest-wire.ts';
import { BASE, errors, security, tags } from './route-support.ts';
import { Loose } from './wire.ts';

export interface BacktestRoutesDeps {
  service: BacktestService;
  actorOf: ActorAuth;
}

function dateOf(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalidField(field, 'must be an ISO date-time');
  return d;
}

export function backtestRoutes(deps: BacktestRoutesDeps): FastifyPluginAsyncTypebox {
  const { service, actorOf } = deps;
  return async (app) => {
    app.post(
      `${BASE}/:id/backtests`,
      {
        schema: {
          tags,
          security,
          summary: "Backtest this logic on the merchant's past payments of a window (at most 90 days): 202, the job runs in the background; poll GET /v1/priority-logics/backtests/{backtest_id}",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: BacktestBody,
          response: { 202: Loose, ...errors },
        },
      },
      async (request, reply) => {
        const actor = await actorOf(request);
        const body = request.body ?? {};
        const backtest = await service.start(actor, request.params.id, { from: dateOf(body.from, 'from'), to: dateOf(body.to, 'to') });
        return reply.status(202).send(backtestToWire(backtest));
      },
    );

    app.get(
      `${BASE}/backtests/:backtestId`,
      {
        schema: {
          querystring: NoQuery,
          tags,
          security,
          summary: 'A backtest: status, progress (processed of total) and, once DONE, its report',
          params: Type.Object({ backtestId: Type.String({ maxLength: 64 }) }),
          response: { 200: Loose, ...errors },
        },
      },
      async (request) => backtestToWire(await service.get(await actorOf(request), request.params.backtestId), { report: true }),
    );

    app.get(
      `${BASE}/:id/backtests`,
      {
        schema: {
          tags,
          security,
          summary: "A logic's recent backtests, newest first (without their reports)",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }),
          response: { 200: Loose, ...errors },
        },
      },
      async (request) => {
        const actor = await actorOf(request);
        const list = await service.list(actor, request.params.id, request.query.limit ? Number(request.query.limit) : undefined);
        return { backtests: list.map((b) => backtestToWire(b)) };
      },
    );
  };
}
