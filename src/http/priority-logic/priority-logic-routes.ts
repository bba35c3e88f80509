// The Priority Logic API (/v1/priority-logics): list, view, create, copy, delete, import and
// export, full and staggered release, promote, revoke, deactivate, fallback, approval, audit,
// dry run and metrics. Users authenticate with a bearer token; the API key acts as a system
// admin. Every change takes the version the caller saw (body `version` or If-Match).
import multipart from '@fastify/multipart';
import { assertSafeInput } from '../input-guard.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { readGuardInput } from '../../core/priority-logic/release-guard.ts';
import { guardToJson } from '../../core/priority-logic/release-guard-service.ts';
import { AppError, invalidField } from '../../core/errors.ts';
import type { LogicInput } from '../../core/priority-logic/logic-input.ts';
import type { Expected, PriorityLogicService } from '../../core/priority-logic/priority-logic-service.ts';
import type { LogicKind, LogicListFilter, PriorityLogic, PriorityLogicStatus } from '../../core/priority-logic/types.ts';
import type { ActorAuth } from '../auth/user-auth.ts';
import {
  ReleaseGuardBody, SavedLogicBody, ActionBody, AnalyzeBody, AuditBody, ChangeResult, CopyBody, DryRunBody, RejectBody, ListQuery, LogicBody, LogicInputBody, Loose, RoutingBody, StaggerBody,
  auditToWire, explanationToWire, logicToWire, metricsReportToWire, routingToWire, ruleAnalysisToWire,
} from './wire.ts';
import { NoQuery, NoBody } from '../schemas.ts';

export interface PriorityLogicRoutesDeps {
  service: PriorityLogicService;
  actorOf: ActorAuth;
  /** Largest imported file. */
  maxImportBytes?: number;
}

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef };
const tags = ['priority-logic'];
const security: Array<Record<string, string[]>> = [{ basicAuth: [] }, { userBearer: [] }];
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const BASE = '/v1/priority-logics';

/** `If-Match: "3"` or `W/"3"` or `3`. */
function ifMatch(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m) throw invalidField('If-Match', 'must be the logic row_version, e.g. "3"');
  return Number(m[1]);
}

function expectedOf(request: FastifyRequest, body: { version?: number | undefined; routing_version?: number | undefined } | undefined): Expected {
  const header = ifMatch(request);
  const version = body?.version ?? header;
  if (body?.version !== undefined && header !== undefined && body.version !== header) throw invalidField('version', 'differs from the If-Match header');
  return { version, routingVersion: body?.routing_version };
}

function logicInput(b: Record<string, unknown>): LogicInput {
  const input: LogicInput = {};
  for (const k of ['name', 'description', 'kind', 'enforce', 'defaultGateways', 'definition', 'ranking'] as const) if (k in b) input[k] = b[k];
  return input;
}

export function priorityLogicRoutes(deps: PriorityLogicRoutesDeps): FastifyPluginAsyncTypebox {
  const { service, actorOf } = deps;
  /** A saved logic with its rule analysis: warnings in the answer of the save itself (issue 17, item 3). */
  const saved = async (actor: Awaited<ReturnType<ActorAuth>>, logic: PriorityLogic) => {
    const warnings = logic.kind === 'RULES' ? (ruleAnalysisToWire(await service.analyze(actor, { logicId: logic.id })).warnings as Record<string, unknown>[]) : [];
    return { ...logicToWire(logic, null), warnings };
  };
  return async (app) => {
    // Import takes a file upload too; the parser lives in this plugin only.
    await app.register(multipart, { limits: { fileSize: deps.maxImportBytes ?? 256 * 1024, files: 1, fields: 10 } });
    // Action bodies are optional (If-Match may carry the version).
    app.addHook('preValidation', async (request) => {
      if ((request.method === 'POST' || request.method === 'DELETE') && (request.body === undefined || request.body === null) && !request.isMultipart()) request.body = {};
    });

    app.get(BASE, {
      schema: {
        tags, security, summary: 'List Priority Logics (active and inactive), filter by status/kind, search by name, sort',
        querystring: ListQuery,
        response: { 200: Type.Object({ logics: Type.Array(LogicBody), total: Type.Integer(), routing: RoutingBody }), ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const q = request.query;
      const filter: LogicListFilter = {
        ...(q.status ? { status: q.status as PriorityLogicStatus } : {}),
        ...(q.kind ? { kind: q.kind as LogicKind } : {}),
        ...(q.search ? { search: q.search } : {}),
        ...(q.sort ? { sort: q.sort as LogicListFilter['sort'] } : {}),
        ...(q.order ? { order: q.order as 'asc' | 'desc' } : {}),
        ...(q.limit ? { limit: Number(q.limit) } : {}),
        ...(q.offset ? { offset: Number(q.offset) } : {}),
      };
      const page = await service.list(actor, filter);
      return { logics: page.logics.map((l) => logicToWire(l, page.routing)), total: page.total, routing: routingToWire(page.routing) };
    });

    app.post(BASE, {
      schema: { tags, security, summary: 'Create a Priority Logic (code-based logics start PENDING_APPROVAL)', body: LogicInputBody, response: { 201: SavedLogicBody, ...errors } },
    }, async (request, reply) => {
      const actor = await actorOf(request);
      const logic = await service.create(actor, logicInput(request.body as Record<string, unknown>));
      return reply.status(201).send(await saved(actor, logic));
    });

    app.get(`${BASE}/routing`, {
      schema: { querystring: NoQuery, tags, security, summary: "The merchant's routing configuration (active, staggered, fallback, version)", response: { 200: RoutingBody, ...errors } },
    }, async (request) => routingToWire(await service.routing(await actorOf(request))));

    app.get(`${BASE}/audit`, {
      schema: {
        tags, security, summary: 'Audit trail: who changed what, when, before and after',
        querystring: Type.Object({ logic_id: Type.Optional(Type.String()), limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })) }),
        response: { 200: Type.Object({ entries: Type.Array(AuditBody) }), ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const q = request.query;
      const entries = await service.auditTrail(actor, { ...(q.logic_id ? { logicId: q.logic_id } : {}), ...(q.limit ? { limit: Number(q.limit) } : {}) });
      return { entries: entries.map(auditToWire) };
    });

    app.get(`${BASE}/metrics`, {
      schema: {
        tags, security, summary: 'Per-logic traffic %, gateway undecided %, success rate, volume and latency over a window (default: the last 24 hours)',
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          trend_buckets: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', description: 'Also cut the window into this many equal slices per logic (1-96): `trend` on each logic' })),
        }),
        response: { 200: Loose, ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const to = request.query.to ? new Date(request.query.to) : new Date();
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 24 * 3600_000);
      if (Number.isNaN(to.getTime())) throw invalidField('to', 'must be an ISO date-time');
      if (Number.isNaN(from.getTime())) throw invalidField('from', 'must be an ISO date-time');
      const trendSlices = request.query.trend_buckets ? Number(request.query.trend_buckets) : undefined;
      return metricsReportToWire(await service.metrics(actor, { from, to, ...(trendSlices !== undefined ? { trendSlices } : {}) }));
    });

    app.post(`${BASE}/import`, {
      schema: { body: NoBody, 
        tags, security, consumes: ['application/json', 'multipart/form-data'],
        summary: 'Import a logic document (raw JSON body, or a multipart file upload); validated exactly as create. ?name= renames it.',
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 201: SavedLogicBody, ...errors },
      },
    }, async (request, reply) => {
      const actor = await actorOf(request);
      let document: unknown = request.body;
      if (request.isMultipart()) {
        let buffer: Buffer;
        try {
          const file = await request.file();
          if (!file) throw invalidField('file', 'upload one JSON file');
          buffer = await file.toBuffer();
        } catch (error) {
          if (error instanceof AppError) throw error;
          const tooLarge = (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';
          throw invalidField('file', tooLarge ? 'is larger than the import limit' : `the multipart/form-data body is malformed (${error instanceof Error ? error.message : String(error)})`);
        }
        try {
          document = JSON.parse(buffer.toString('utf8'));
        } catch {
          throw invalidField('file', 'is not valid JSON');
        }
        assertSafeInput(document, 'file');
      }
      const logic = await service.importDocument(actor, document, request.query.name);
      return reply.status(201).send(await saved(actor, logic));
    });

    app.post(`${BASE}/dry-run`, {
      schema: {
        tags, security, summary: 'Run a stored logic (logic_id) or a draft (logic) against a sample payment: full trace and decision record',
        body: DryRunBody, response: { 200: Loose, ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const b = request.body;
      const result = await service.dryRun(actor, {
        ...(b.logic_id ? { logicId: b.logic_id } : {}),
        ...(b.logic ? { logic: logicInput(b.logic as Record<string, unknown>) } : {}),
        payment: b.payment as Record<string, unknown>,
      });
      return explanationToWire(result);
    });

    app.post(`${BASE}/analyze`, {
      schema: {
        tags, security,
        summary: 'Rule analysis of a stored logic (logic_id) or a draft (logic): rules that never match or are shadowed, overlaps with a witness payment, gateways a rule cannot use, enforced lists that leave payments without a gateway (warnings, not errors)',
        body: AnalyzeBody, response: { 200: Loose, ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const b = request.body;
      const result = await service.analyze(actor, {
        ...(b.logic_id ? { logicId: b.logic_id } : {}),
        ...(b.logic ? { logic: logicInput(b.logic as Record<string, unknown>) } : {}),
      });
      return ruleAnalysisToWire(result);
    });

    app.post(`${BASE}/fallback/unset`, {
      schema: {
        tags, security, summary: 'Unset the fallback logic', body: Type.Object({ routing_version: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
        response: { 200: RoutingBody, ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      return routingToWire(await service.unsetFallback(actor, { routingVersion: request.body.routing_version }));
    });

    app.get(`${BASE}/:id`, {
      schema: { querystring: NoQuery, tags, security, summary: 'View a Priority Logic', params: IdParams, response: { 200: LogicBody, ...errors } },
    }, async (request, reply) => {
      const { logic, routing } = await service.get(await actorOf(request), request.params.id);
      void reply.header('etag', `"${logic.rowVersion}"`);
      return logicToWire(logic, routing);
    });

    app.get(`${BASE}/:id/export`, {
      schema: { querystring: NoQuery, tags, security, summary: 'Share: the logic as a JSON document (import it elsewhere)', params: IdParams, response: { 200: Loose, ...errors } },
    }, async (request, reply) => {
      const doc = await service.exportDocument(await actorOf(request), request.params.id);
      void reply.header('content-disposition', `attachment; filename="${doc.name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'priority-logic'}.json"`);
      return doc;
    });

    app.post(`${BASE}/:id/copy`, {
      schema: { tags, security, summary: 'Copy a logic with changed fields into a new logic (the only way to edit)', params: IdParams, body: CopyBody, response: { 201: SavedLogicBody, ...errors } },
    }, async (request, reply) => {
      const actor = await actorOf(request);
      const body = request.body as Record<string, unknown> & { version?: number };
      const logic = await service.copy(actor, request.params.id, logicInput(body), expectedOf(request, body));
      return reply.status(201).send(await saved(actor, logic));
    });

    app.delete(`${BASE}/:id`, {
      schema: {
        tags, security, summary: 'Delete a logic (refused while active or staggered)', params: IdParams,
        querystring: Type.Object({ version: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })) }),
        body: ActionBody, response: { 200: LogicBody, ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const body = { ...request.body, ...(request.body.version === undefined && request.query.version ? { version: Number(request.query.version) } : {}) };
      const logic = await service.remove(actor, request.params.id, expectedOf(request, body));
      return logicToWire(logic, null);
    });

    const action = (name: string, summary: string, run: (actor: Awaited<ReturnType<ActorAuth>>, id: string, expected: Expected) => ReturnType<PriorityLogicService['activate']>) => {
      app.post(`${BASE}/:id/${name}`, {
        schema: { tags, security, summary, params: IdParams, body: ActionBody, response: { 200: ChangeResult, ...errors } },
      }, async (request) => {
        const actor = await actorOf(request);
        const result = await run(actor, request.params.id, expectedOf(request, request.body));
        return { logic: logicToWire(result.logic, result.routing), routing: routingToWire(result.routing) };
      });
    };
    action('activate', 'Full release: 100% of traffic to this logic (ADMIN)', (a, id, e) => service.activate(a, id, e));
    action('promote', 'Promote the staggered logic to fully active (ADMIN)', (a, id, e) => service.promote(a, id, e));
    action('revoke', 'Revoke a staggered release (ADMIN)', (a, id, e) => service.revoke(a, id, e));
    action('deactivate', 'Deactivate the active logic: default ordering until another is released (ADMIN)', (a, id, e) => service.deactivate(a, id, e));
    action('fallback', 'Make this logic the fallback logic (ADMIN)', (a, id, e) => service.setFallback(a, id, e));
    action('approve', 'Approve a code-based logic (APPROVER, not its creator)', (a, id, e) => service.approve(a, id, e));

    app.post(`${BASE}/:id/reject`, {
      schema: {
        tags, security, summary: 'Reject a code-based logic waiting for approval, with a reason (APPROVER, not its creator); it becomes REJECTED',
        params: IdParams, body: RejectBody, response: { 200: ChangeResult, ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const result = await service.reject(actor, request.params.id, expectedOf(request, request.body), request.body.reason);
      return { logic: logicToWire(result.logic, result.routing), routing: routingToWire(result.routing) };
    });

    app.post(`${BASE}/:id/stagger`, {
      schema: { tags, security, summary: 'Staggered release to a percentage of orders, or change the percentage (ADMIN)', params: IdParams, body: StaggerBody, response: { 200: ChangeResult, ...errors } },
    }, async (request) => {
      const actor = await actorOf(request);
      const guard = request.body.release_guard === undefined || request.body.release_guard === null ? undefined : readGuardInput(request.body.release_guard);
      const result = await service.stagger(actor, request.params.id, request.body.percentage, expectedOf(request, request.body), guard);
      return { logic: logicToWire(result.logic, result.routing), routing: routingToWire(result.routing) };
    });

    app.get(`${BASE}/guards`, {
      schema: {
        querystring: NoQuery, tags, security,
        summary: "The merchant's latest release guards (every logic's), the latest first: the dashboard's rollback banner",
        response: { 200: Type.Object({ guards: Type.Array(ReleaseGuardBody) }), ...errors },
      },
    }, async (request) => {
      const guards = await service.recentGuards(await actorOf(request));
      return { guards: guards.map((g) => guardToJson(g) as Static<typeof ReleaseGuardBody>) };
    });

    app.get(`${BASE}/:id/versions`, {
      schema: {
        querystring: NoQuery, tags, security, params: IdParams,
        summary: 'The versions of a logic: the logics it was copied from and every copy made from them, oldest first (deleted ones left out)',
        response: { 200: Type.Object({ versions: Type.Array(LogicBody) }), ...errors },
      },
    }, async (request) => {
      const actor = await actorOf(request);
      const [versions, routing] = await Promise.all([service.versions(actor, request.params.id), service.routing(actor)]);
      return { versions: versions.map((l) => logicToWire(l, routing)) };
    });

    app.get(`${BASE}/:id/guards`, {
      schema: {
        querystring: NoQuery, tags, security, params: IdParams,
        summary: "The guards of this logic's staggered releases, the latest first: settings, state and the sequential test's evidence",
        response: { 200: Type.Object({ guards: Type.Array(ReleaseGuardBody) }), ...errors },
      },
    }, async (request) => {
      const guards = await service.guards(await actorOf(request), request.params.id);
      return { guards: guards.map((g) => guardToJson(g) as Static<typeof ReleaseGuardBody>) };
    });
  };
}
