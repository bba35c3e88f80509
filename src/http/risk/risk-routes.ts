// The risk API (/v1/risk): configuration, rules (Priority Logic conditions with a risk action),
// block and allow lists with file import, the audit trail, dry runs and the review queue. The
// same authentication as the Priority Logic API: a dashboard user (VIEWER reads, EDITOR and ADMIN
// change) or the merchant's API key. See docs/risk.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RiskAdminService } from '../../core/risk/risk-admin-service.ts';
import type { ActorAuth } from '../auth/user-auth.ts';
import { AnyObject, NoBody, NoQuery } from '../schemas.ts';

export interface RiskRoutesDeps {
  service: RiskAdminService;
  actorOf: ActorAuth;
  /** Largest blocklist file (bytes). */
  maxImportBytes?: number;
  /** A risk provider's signed webhook (verified by the provider's adapter). */
  providerWebhook(provider: string, headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<Record<string, unknown>>;
}

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef };
const tags = ['risk'];
const security: Array<Record<string, string[]>> = [{ basicAuth: [] }, { userBearer: [] }];
const ListParams = Type.Object({ list: Type.String({ maxLength: 20, description: 'blocklist or allowlist' }) });
const EntryParams = Type.Object({ list: Type.String({ maxLength: 20 }), kind: Type.String({ maxLength: 40 }), value: Type.String({ maxLength: 300 }) });
const ImportParams = Type.Object({ list: Type.String({ maxLength: 20 }), kind: Type.String({ maxLength: 40 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const TxnParams = Type.Object({ txn_uuid: Type.String({ maxLength: 64 }) });
const EntriesQuery = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 40 })), after: Type.Optional(Type.String({ maxLength: 400 })), limit: Type.Optional(Type.String({ maxLength: 5 })) });
const AuditQuery = Type.Object({ limit: Type.Optional(Type.String({ maxLength: 5 })) });
const BASE = '/v1/risk';

export function riskRoutes(deps: RiskRoutesDeps): FastifyPluginAsyncTypebox {
  const { service, actorOf } = deps;
  const importLimit = deps.maxImportBytes ?? 64 * 1024 * 1024;
  return async (app) => {
    // Blocklist files: text/plain (one value a line) or text/csv.
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: importLimit }, (_request, body, done) => done(null, body));

    app.get(`${BASE}/config`, { schema: { tags, security, summary: "The merchant's risk configuration (configured: false when it runs no risk checks)", querystring: NoQuery } }, async (request) =>
      service.getConfig(await actorOf(request)),
    );
    app.put(
      `${BASE}/config`,
      {
        schema: {
          tags,
          security,
          summary: 'Set the risk configuration (mode, provider, fail open/closed, timeouts, post_auth, review_expiry_hours, velocity, card testing, amount limits, mismatches)',
          body: AnyObject,
          response: { 400: ErrorRef },
        },
      },
      async (request) => service.putConfig(await actorOf(request), request.body),
    );
    app.delete(`${BASE}/config`, { schema: { tags, security, summary: 'Remove the risk configuration: payments are no longer checked', querystring: NoQuery } }, async (request) =>
      service.deleteConfig(await actorOf(request)),
    );

    app.get(`${BASE}/rules`, { schema: { tags, security, summary: 'Risk rules, in evaluation order', querystring: NoQuery } }, async (request) => service.listRules(await actorOf(request)));
    app.post(
      `${BASE}/rules`,
      { schema: { tags, security, summary: 'Create a rule: a Priority Logic condition and an action (allow, review, block) with a score', body: AnyObject, response: { ...errors } } },
      async (request, reply) => reply.status(201).send(await service.createRule(await actorOf(request), request.body)),
    );
    app.put(`${BASE}/rules/:id`, { schema: { tags, security, summary: 'Change a rule (fields left out keep their value)', params: IdParams, body: AnyObject } }, async (request) =>
      service.updateRule(await actorOf(request), request.params.id, request.body),
    );
    app.delete(`${BASE}/rules/:id`, { schema: { tags, security, summary: 'Delete a rule', params: IdParams, querystring: NoQuery } }, async (request) =>
      service.deleteRule(await actorOf(request), request.params.id),
    );

    app.get(
      `${BASE}/lists/:list`,
      { schema: { tags, security, summary: 'Entries of the blocklist or allowlist, a page at a time (kind, after, limit)', params: ListParams, querystring: EntriesQuery } },
      async (request) => service.listEntries(await actorOf(request), request.params.list, request.query),
    );
    app.post(
      `${BASE}/lists/:list`,
      { schema: { tags, security, summary: 'Add entries: {kind, values[] | value, note?}; all valid or none written', params: ListParams, body: AnyObject } },
      async (request, reply) => reply.status(201).send(await service.addEntries(await actorOf(request), request.params.list, request.body)),
    );
    app.delete(`${BASE}/lists/:list/:kind/:value`, { schema: { tags, security, summary: 'Remove one entry (URL-encode CIDR slashes)', params: EntryParams, querystring: NoQuery } }, async (request) =>
      service.removeEntry(await actorOf(request), request.params.list, request.params.kind, request.params.value),
    );
    app.post(
      `${BASE}/lists/:list/:kind/import`,
      {
        bodyLimit: importLimit,
        schema: {
          tags,
          security,
          summary: 'Import a file of one kind (text/plain, one value a line, or text/csv, value in the first column)',
          consumes: ['text/plain', 'text/csv'],
          params: ImportParams,
          body: Type.String(),
        },
      },
      async (request, reply) => reply.status(201).send(await service.importEntries(await actorOf(request), request.params.list, request.params.kind, request.body)),
    );

    app.get(`${BASE}/audit`, { schema: { tags, security, summary: 'Changes to the risk setup, newest first', querystring: AuditQuery } }, async (request) =>
      service.audit(await actorOf(request), request.query.limit),
    );
    app.post(`${BASE}/dry-run`, { schema: { tags, security, summary: 'Run a sample payment (amount in minor units) through the checks; nothing is counted', body: AnyObject } }, async (request) =>
      service.dryRun(await actorOf(request), request.body),
    );

    app.post(
      '/webhooks/risk/:provider',
      {
        schema: {
          tags,
          summary: "A risk provider's verdict update, HMAC-signed (x-risk-signature); a block voids or refunds, an accept captures a held payment",
          params: Type.Object({ provider: Type.String({ maxLength: 40 }) }),
          body: Type.Unknown(),
        },
      },
      async (request) => {
        const rawBody = (request as FastifyRequest & { rawBody?: string }).rawBody ?? JSON.stringify(request.body ?? {});
        return deps.providerWebhook(request.params.provider, request.headers, rawBody);
      },
    );

    app.get(`${BASE}/reviews`, { schema: { tags, security, summary: 'Payments held for review (authorised, not captured)', querystring: NoQuery } }, async (request) =>
      service.reviews(await actorOf(request)),
    );
    app.post(`${BASE}/reviews/:txn_uuid/approve`, { schema: { tags, security, summary: 'Approve a held payment: capture it', params: TxnParams, body: NoBody } }, async (request) =>
      service.decide(await actorOf(request), request.params.txn_uuid, 'approve'),
    );
    app.post(`${BASE}/reviews/:txn_uuid/reject`, { schema: { tags, security, summary: 'Reject a held payment: void it', params: TxnParams, body: NoBody } }, async (request) =>
      service.decide(await actorOf(request), request.params.txn_uuid, 'reject'),
    );
  };
}
