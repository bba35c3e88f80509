// The merchant-wide reads of the Priority Logic API: the routing configuration, the audit trail
// and the per-logic metrics.
import { Type } from 'typebox';
import { invalidField } from '../../core/errors.ts';
import { NoQuery } from '../schemas.ts';
import { BASE, errors, security, tags, type LogicRoutesApp, type LogicRoutesContext } from './route-support.ts';
import { AuditBody, Loose, RoutingBody, auditToWire, metricsReportToWire, routingToWire } from './wire.ts';

/** The routing configuration, the audit trail and the metrics over a window. */
export function registerLogicReportRoutes(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.get(
    `${BASE}/routing`,
    {
      schema: { querystring: NoQuery, tags, security, summary: "The merchant's routing configuration (active, staggered, fallback, version)", response: { 200: RoutingBody, ...errors } },
    },
    async (request) => routingToWire(await service.routing(await actorOf(request))),
  );

  app.get(
    `${BASE}/audit`,
    {
      schema: {
        tags,
        security,
        summary: 'Audit trail: who changed what, when, before and after',
        querystring: Type.Object({ logic_id: Type.Optional(Type.String()), limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })) }),
        response: { 200: Type.Object({ entries: Type.Array(AuditBody) }), ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const q = request.query;
      const entries = await service.auditTrail(actor, { ...(q.logic_id ? { logicId: q.logic_id } : {}), ...(q.limit ? { limit: Number(q.limit) } : {}) });
      return { entries: entries.map(auditToWire) };
    },
  );

  app.get(
    `${BASE}/metrics`,
    {
      schema: {
        tags,
        security,
        summary: 'Per-logic traffic %, gateway undecided %, success rate, volume and latency over a window (default: the last 24 hours)',
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          trend_buckets: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', description: 'Also cut the window into this many equal slices per logic (1-96): `trend` on each logic' })),
        }),
        response: { 200: Loose, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const to = request.query.to ? new Date(request.query.to) : new Date();
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 24 * 3600_000);
      if (Number.isNaN(to.getTime())) throw invalidField('to', 'must be an ISO date-time');
      if (Number.isNaN(from.getTime())) throw invalidField('from', 'must be an ISO date-time');
      const trendSlices = request.query.trend_buckets ? Number(request.query.trend_buckets) : undefined;
      return metricsReportToWire(await service.metrics(actor, { from, to, ...(trendSlices !== undefined ? { trendSlices } : {}) }));
    },
  );
}
