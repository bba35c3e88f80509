// A logic's history: its versions and the release guards of its staggered releases (and the
// merchant's latest guards, the dashboard's rollback banner).
import { Type, type Static } from 'typebox';
import { guardToJson } from '../../core/priority-logic/release-guard-service.ts';
import { NoQuery } from '../schemas.ts';
import { BASE, IdParams, errors, security, tags, type LogicRoutesApp, type LogicRoutesContext } from './route-support.ts';
import { LogicBody, ReleaseGuardBody, logicToWire } from './wire.ts';

/** The merchant's latest guards, a logic's versions and its guards. */
export function registerLogicHistoryRoutes(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.get(
    `${BASE}/guards`,
    {
      schema: {
        querystring: NoQuery,
        tags,
        security,
        summary: "The merchant's latest release guards (every logic's), the latest first: the dashboard's rollback banner",
        response: { 200: Type.Object({ guards: Type.Array(ReleaseGuardBody) }), ...errors },
      },
    },
    async (request) => {
      const guards = await service.recentGuards(await actorOf(request));
      return { guards: guards.map((g) => guardToJson(g) as Static<typeof ReleaseGuardBody>) };
    },
  );

  app.get(
    `${BASE}/:id/versions`,
    {
      schema: {
        querystring: NoQuery,
        tags,
        security,
        params: IdParams,
        summary: 'The versions of a logic: the logics it was copied from and every copy made from them, oldest first (deleted ones left out)',
        response: { 200: Type.Object({ versions: Type.Array(LogicBody) }), ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const [versions, routing] = await Promise.all([service.versions(actor, request.params.id), service.routing(actor)]);
      return { versions: versions.map((l) => logicToWire(l, routing)) };
    },
  );

  app.get(
    `${BASE}/:id/guards`,
    {
      schema: {
        querystring: NoQuery,
        tags,
        security,
        params: IdParams,
        summary: "The guards of this logic's staggered releases, the latest first: settings, state and the sequential test's evidence",
        response: { 200: Type.Object({ guards: Type.Array(ReleaseGuardBody) }), ...errors },
      },
    },
    async (request) => {
      const guards = await service.guards(await actorOf(request), request.params.id);
      return { guards: guards.map((g) => guardToJson(g) as Static<typeof ReleaseGuardBody>) };
    },
  );
}
