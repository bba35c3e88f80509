// What every route group of the Priority Logic API shares: the OpenAPI pieces (error answers, tag,
// security, the id parameter), the versions a change expects (body `version` or If-Match), and
// the reading of a logic from a request body.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { invalidField } from '../../core/errors.ts';
import type { LogicInput } from '../../core/priority-logic/logic-input.ts';
import type { Expected, PriorityLogicService } from '../../core/priority-logic/priority-logic-service.ts';
import type { PriorityLogic } from '../../core/priority-logic/types.ts';
import type { ActorAuth } from '../auth/user-auth.ts';
import { logicToWire, ruleAnalysisToWire } from './wire.ts';

/** The Fastify instance a route group registers on (TypeBox type provider). */
export type LogicRoutesApp = Parameters<FastifyPluginAsyncTypebox>[0];

/** What the route groups need: the service and the authentication of the caller. */
export interface LogicRoutesContext {
  service: PriorityLogicService;
  actorOf: ActorAuth;
}

export type RouteActor = Awaited<ReturnType<ActorAuth>>;

const ErrorRef = Type.Ref('ErrorBody');
export const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef };
export const tags = ['priority-logic'];
export const security: Array<Record<string, string[]>> = [{ basicAuth: [] }, { userBearer: [] }];
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const BASE = '/v1/priority-logics';

/** `If-Match: "3"` or `W/"3"` or `3`. */
function ifMatch(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m) throw invalidField('If-Match', 'must be the logic row_version, e.g. "3"');
  return Number(m[1]);
}

export function expectedOf(request: FastifyRequest, body: { version?: number | undefined; routing_version?: number | undefined } | undefined): Expected {
  const header = ifMatch(request);
  const version = body?.version ?? header;
  if (body?.version !== undefined && header !== undefined && body.version !== header) throw invalidField('version', 'differs from the If-Match header');
  return { version, routingVersion: body?.routing_version };
}

export function logicInput(b: Record<string, unknown>): LogicInput {
  const input: LogicInput = {};
  for (const k of ['name', 'description', 'kind', 'enforce', 'defaultGateways', 'definition', 'ranking'] as const) if (k in b) input[k] = b[k];
  return input;
}

/** A saved logic with its rule analysis: warnings in the answer of the save itself (issue 17, item 3). */
export async function savedLogic(service: PriorityLogicService, actor: RouteActor, logic: PriorityLogic) {
  const warnings = logic.kind === 'RULES' ? (ruleAnalysisToWire(await service.analyze(actor, { logicId: logic.id })).warnings as Record<string, unknown>[]) : [];
  return { ...logicToWire(logic, null), warnings };
}
