// The release routes of the Priority Logic API: full and staggered release (with a release guard),
// promote, revoke, deactivate, the fallback logic, and the approval of code-based logics.
import { Type } from 'typebox';
import type { Expected, PriorityLogicService } from '../../core/priority-logic/priority-logic-service.ts';
import { readGuardInput } from '../../core/priority-logic/release-guard.ts';
import { BASE, IdParams, errors, expectedOf, security, tags, type LogicRoutesApp, type LogicRoutesContext, type RouteActor } from './route-support.ts';
import { ActionBody, ChangeResult, RejectBody, RoutingBody, StaggerBody, logicToWire, routingToWire } from './wire.ts';

/** POST fallback/unset: the merchant has no fallback logic any more. */
export function registerFallbackUnsetRoute(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.post(
    `${BASE}/fallback/unset`,
    {
      schema: {
        tags,
        security,
        summary: 'Unset the fallback logic',
        body: Type.Object({ routing_version: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
        response: { 200: RoutingBody, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      return routingToWire(await service.unsetFallback(actor, { routingVersion: request.body.routing_version }));
    },
  );
}

/** The actions on one logic (activate ... approve), reject and stagger. */
export function registerLogicReleaseRoutes(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  const action = (name: string, summary: string, run: (actor: RouteActor, id: string, expected: Expected) => ReturnType<PriorityLogicService['activate']>) => {
    app.post(
      `${BASE}/:id/${name}`,
      {
        schema: { tags, security, summary, params: IdParams, body: ActionBody, response: { 200: ChangeResult, ...errors } },
      },
      async (request) => {
        const actor = await actorOf(request);
        const result = await run(actor, request.params.id, expectedOf(request, request.body));
        return { logic: logicToWire(result.logic, result.routing), routing: routingToWire(result.routing) };
      },
    );
  };
  action('activate', 'Full release: 100% of traffic to this logic (ADMIN)', (a, id, e) => service.activate(a, id, e));
  action('promote', 'Promote the staggered logic to fully active (ADMIN)', (a, id, e) => service.promote(a, id, e));
  action('revoke', 'Revoke a staggered release (ADMIN)', (a, id, e) => service.revoke(a, id, e));
  action('deactivate', 'Deactivate the active logic: default ordering until another is released (ADMIN)', (a, id, e) => service.deactivate(a, id, e));
  action('fallback', 'Make this logic the fallback logic (ADMIN)', (a, id, e) => service.setFallback(a, id, e));
  action('approve', 'Approve a code-based logic (APPROVER, not its creator)', (a, id, e) => service.approve(a, id, e));

  app.post(
    `${BASE}/:id/reject`,
    {
      schema: {
        tags,
        security,
        summary: 'Reject a code-based logic waiting for approval, with a reason (APPROVER, not its creator); it becomes REJECTED',
        params: IdParams,
        body: RejectBody,
        response: { 200: ChangeResult, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const result = await service.reject(actor, request.params.id, expectedOf(request, request.body), request.body.reason);
      return { logic: logicToWire(result.logic, result.routing), routing: routingToWire(result.routing) };
    },
  );

  app.post(
    `${BASE}/:id/stagger`,
    {
      schema: {
        tags,
        security,
        summary: 'Staggered release to a percentage of orders, or change the percentage (ADMIN)',
        params: IdParams,
        body: StaggerBody,
        response: { 200: ChangeResult, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const guard = request.body.release_guard === undefined || request.body.release_guard === null ? undefined : readGuardInput(request.body.release_guard);
      const result = await service.stagger(actor, request.params.id, request.body.percentage, expectedOf(request, request.body), guard);
      return { logic: logicToWire(result.logic, result.routing), routing: routingToWire(result.routing) };
    },
  );
}
