// The lifecycle routes of the Priority Logic API: list and create, import (JSON body or a file
// upload), view, export, copy (the only way to edit) and delete.
import { Type } from 'typebox';
import { AppError, invalidField } from '../../core/errors.ts';
import type { LogicKind, LogicListFilter, PriorityLogicStatus } from '../../core/priority-logic/types.ts';
import { assertSafeInput } from '../input-guard.ts';
import { NoBody, NoQuery } from '../schemas.ts';
import { BASE, IdParams, errors, expectedOf, logicInput, savedLogic, security, tags, type LogicRoutesApp, type LogicRoutesContext } from './route-support.ts';
import { ActionBody, CopyBody, ListQuery, LogicBody, LogicInputBody, Loose, RoutingBody, SavedLogicBody, logicToWire, routingToWire } from './wire.ts';

/** GET and POST /v1/priority-logics: the list and create. */
export function registerLogicCollectionRoutes(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.get(
    BASE,
    {
      schema: {
        tags,
        security,
        summary: 'List Priority Logics (active and inactive), filter by status/kind, search by name, sort',
        querystring: ListQuery,
        response: { 200: Type.Object({ logics: Type.Array(LogicBody), total: Type.Integer(), routing: RoutingBody }), ...errors },
      },
    },
    async (request) => {
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
    },
  );

  app.post(
    BASE,
    {
      schema: { tags, security, summary: 'Create a Priority Logic (code-based logics start PENDING_APPROVAL)', body: LogicInputBody, response: { 201: SavedLogicBody, ...errors } },
    },
    async (request, reply) => {
      const actor = await actorOf(request);
      const logic = await service.create(actor, logicInput(request.body as Record<string, unknown>));
      return reply.status(201).send(await savedLogic(service, actor, logic));
    },
  );
}

/** POST /v1/priority-logics/import: a logic document, validated exactly as create. */
export function registerLogicImportRoute(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.post(
    `${BASE}/import`,
    {
      schema: {
        body: NoBody,
        tags,
        security,
        consumes: ['application/json', 'multipart/form-data'],
        summary: 'Import a logic document (raw JSON body, or a multipart file upload); validated exactly as create. ?name= renames it.',
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 201: SavedLogicBody, ...errors },
      },
    },
    async (request, reply) => {
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
      return reply.status(201).send(await savedLogic(service, actor, logic));
    },
  );
}

/** One logic: view, export, copy, delete. */
export function registerLogicItemRoutes(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.get(
    `${BASE}/:id`,
    {
      schema: { querystring: NoQuery, tags, security, summary: 'View a Priority Logic', params: IdParams, response: { 200: LogicBody, ...errors } },
    },
    async (request, reply) => {
      const { logic, routing } = await service.get(await actorOf(request), request.params.id);
      void reply.header('etag', `"${logic.rowVersion}"`);
      return logicToWire(logic, routing);
    },
  );

  app.get(
    `${BASE}/:id/export`,
    {
      schema: { querystring: NoQuery, tags, security, summary: 'Share: the logic as a JSON document (import it elsewhere)', params: IdParams, response: { 200: Loose, ...errors } },
    },
    async (request, reply) => {
      const doc = await service.exportDocument(await actorOf(request), request.params.id);
      void reply.header('content-disposition', `attachment; filename="${doc.name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'priority-logic'}.json"`);
      return doc;
    },
  );

  app.post(
    `${BASE}/:id/copy`,
    {
      schema: { tags, security, summary: 'Copy a logic with changed fields into a new logic (the only way to edit)', params: IdParams, body: CopyBody, response: { 201: SavedLogicBody, ...errors } },
    },
    async (request, reply) => {
      const actor = await actorOf(request);
      const body = request.body as Record<string, unknown> & { version?: number };
      const logic = await service.copy(actor, request.params.id, logicInput(body), expectedOf(request, body));
      return reply.status(201).send(await savedLogic(service, actor, logic));
    },
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Delete a logic (refused while active or staggered)',
        params: IdParams,
        querystring: Type.Object({ version: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })) }),
        body: ActionBody,
        response: { 200: LogicBody, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const body = { ...request.body, ...(request.body.version === undefined && request.query.version ? { version: Number(request.query.version) } : {}) };
      const logic = await service.remove(actor, request.params.id, expectedOf(request, body));
      return logicToWire(logic, null);
    },
  );
}
