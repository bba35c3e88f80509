// Operators read and override connectors' gateway status tables (admin key).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { GatewayStatusTable } from '../../core/gateway-status/gateway-status-table.ts';
import { requireAdminKey } from '../auth/admin-auth.ts';
import { NoQuery } from '../schemas.ts';

const Params = Type.Object({ gateway: Type.String({ maxLength: 40 }) });
const CodeParams = Type.Object({ gateway: Type.String({ maxLength: 40 }), code: Type.String({ maxLength: 40 }) });
const EntryBody = Type.Object(
  {
    message: Type.String({ maxLength: 200 }),
    unified_code: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    unified_message: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    category: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    failure_class: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    retryable: Type.Boolean(),
    counts_against_gateway: Type.Boolean(),
  },
  { additionalProperties: false },
);

function wire(entry: {
  rawCode?: string;
  message: string;
  unifiedCode: string | null;
  unifiedMessage: string | null;
  category: string | null;
  failureClass: string | null;
  retryable: boolean;
  countsAgainstGateway: boolean;
  source?: string;
}) {
  return {
    code: entry.rawCode,
    message: entry.message,
    unified_code: entry.unifiedCode,
    unified_message: entry.unifiedMessage,
    category: entry.category,
    failure_class: entry.failureClass,
    retryable: entry.retryable,
    counts_against_gateway: entry.countsAgainstGateway,
    source: entry.source ?? 'OVERRIDE',
  };
}

export function gatewayStatusRoutes(deps: { table: GatewayStatusTable; adminApiKey: string | undefined }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRequest', requireAdminKey(deps.adminApiKey));
    const tags = ['admin'];
    const security = [{ adminBearer: [] }];
    app.get(
      '/gateway-status/:gateway',
      { schema: { tags, security, summary: "A connector's gateway status table with operator overrides", params: Params, querystring: NoQuery } },
      async (request) => {
        const { gateway } = request.params;
        return { gateway, entries: (await deps.table.list(gateway)).map(wire) };
      },
    );
    app.put('/gateway-status/:gateway/:code', { schema: { tags, security, summary: 'Override the meaning of one raw gateway code', params: CodeParams, body: EntryBody } }, async (request) => {
      const { gateway, code } = request.params;
      const saved = await deps.table.setOverride(gateway, code, request.body, 'admin');
      return wire(saved);
    });
    app.delete(
      '/gateway-status/:gateway/:code',
      { schema: { tags, security, summary: "Drop an override (back to the connector's row)", params: CodeParams, querystring: NoQuery } },
      async (request) => {
        const { gateway, code } = request.params;
        return { removed: await deps.table.removeOverride(gateway, code) };
      },
    );
  };
}
